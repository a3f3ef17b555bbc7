"""The neighbourhood upload on the settings page, teams given their neighbourhoods, and the platform screen."""

import json
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.conftest import Cast
from veerkracht.core.models import AuditAction, AuditEvent, Neighbourhood, Organisation, Team, User
from veerkracht.onboarding.models import ImportRun, Invitation

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "buurten.geojson"
UPLOAD = reverse("onboarding:geography_upload")
PLATFORM = reverse("onboarding:platform")


def _example() -> SimpleUploadedFile:
    return SimpleUploadedFile("buurten.geojson", EXAMPLE.read_bytes(), content_type="application/geo+json")


def _municipality() -> str:
    feature = json.loads(EXAMPLE.read_text())["features"][0]
    properties = {key.lower(): value for key, value in feature["properties"].items()}
    return str(properties.get("gemeentecode") or properties["gm_code"])


@pytest.fixture
def coordinator(cast: Cast, client: Client) -> Client:
    cast.organisation.municipality_code = _municipality()
    cast.organisation.save()
    client.force_login(cast.coordinator)
    return client


def test_the_sample_neighbourhood_file_uploads_with_a_dutch_report(cast: Cast, coordinator: Client):
    before = Neighbourhood.objects.filter(organisation=cast.organisation).count()
    response = coordinator.post(UPLOAD, {"file": _example()})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Import van buurten.geojson" in html
    assert "nieuw" in html
    assert Neighbourhood.objects.filter(organisation=cast.organisation).count() > before
    run = ImportRun.objects.get(organisation=cast.organisation, kind="geography")
    assert (run.by, run.file_name) == (cast.coordinator, "buurten.geojson")
    assert AuditEvent.objects.filter(object_type="onboarding.importrun", object_id=str(run.pk)).exists()


def test_a_dry_run_of_the_upload_saves_nothing(cast: Cast, coordinator: Client):
    before = Neighbourhood.objects.count()
    html = coordinator.post(UPLOAD, {"file": _example(), "dry_run": "on"}).content.decode()
    assert "Proefimport (er is niets opgeslagen)" in html
    assert Neighbourhood.objects.count() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"buurtcode;naam\nBU1;x\n", "Het bestand is geen GeoJSON."),
        (b'{"type": "Feature"}', "FeatureCollection"),
    ],
)
def test_a_file_that_is_not_a_neighbourhood_file_is_refused_in_dutch(coordinator: Client, content: bytes, message: str):
    response = coordinator.post(UPLOAD, {"file": SimpleUploadedFile("buurten.csv", content)})
    assert response.status_code == 422
    assert message in response.content.decode()


def test_an_upload_without_a_file_is_refused_on_the_field(coordinator: Client):
    response = coordinator.post(UPLOAD, {})
    assert response.status_code == 422
    assert "file" in response.context["upload"].errors


def test_a_file_without_the_municipality_reports_it(cast: Cast, coordinator: Client):
    cast.organisation.municipality_code = "GM0001"
    cast.organisation.save()
    html = coordinator.post(UPLOAD, {"file": _example()}).content.decode()
    assert "het bestand heeft geen buurten van GM0001" in html


@pytest.mark.parametrize("role", ["professional", "privacy_officer", "volunteer"])
def test_only_the_coordinator_uploads(cast: Cast, client: Client, role: str):
    client.force_login(getattr(cast, role))
    assert client.post(UPLOAD, {"file": _example()}).status_code == 404


def test_a_coordinator_creates_a_team_and_gives_it_neighbourhoods(cast: Cast, coordinator: Client):
    response = coordinator.post(reverse("team:team_create"), {"name": "Team Centrum"})
    team = Team.objects.get(organisation=cast.organisation, name="Team Centrum")
    assert response["Location"] == reverse("team:team", args=[team.pk])
    page = coordinator.get(response["Location"]).content.decode()
    assert "Buurten van het team" in page
    coordinator.post(reverse("team:team_neighbourhoods", args=[team.pk]), {"neighbourhoods": [cast.north.pk]})
    assert list(team.neighbourhoods.all()) == [cast.north]
    events = AuditEvent.objects.filter(object_type="core.team", object_id=str(team.pk), actor=cast.coordinator)
    assert {event.action for event in events} == {AuditAction.CREATE, AuditAction.UPDATE}


def test_a_team_name_twice_is_refused(cast: Cast, coordinator: Client):
    coordinator.post(reverse("team:team_create"), {"name": cast.team_north.name.upper()})
    assert Team.objects.filter(organisation=cast.organisation).count() == 2


def test_another_organisation_s_neighbourhood_cannot_be_given(cast: Cast, coordinator: Client):
    outside = Neighbourhood.objects.exclude(organisation=cast.organisation).first()
    assert outside is not None
    url = reverse("team:team_neighbourhoods", args=[cast.team_north.pk])
    coordinator.post(url, {"neighbourhoods": [outside.pk]})
    assert list(cast.team_north.neighbourhoods.all()) == [cast.north]


def test_another_organisation_s_team_is_not_found(cast: Cast, client: Client):
    client.force_login(cast.outsider_coordinator)
    url = reverse("team:team_neighbourhoods", args=[cast.team_north.pk])
    assert client.post(url, {"neighbourhoods": []}).status_code == 404
    assert list(cast.team_north.neighbourhoods.all()) == [cast.north]


@pytest.fixture
def administrator(db: None, client: Client) -> Client:
    user = User.objects.create_superuser(username="beheer@platform.example", password="x-lang-genoeg-wachtwoord-1")
    client.force_login(user)
    return client


ORGANISATION = {
    "name": "Stichting Buurtkracht Oost",
    "slug": "buurtkracht-oost",
    "municipality_code": "GM0363",
    "city": "Amsterdam",
    "coordinator_email": "fatima@buurtkracht.example",
}


def test_a_platform_administrator_creates_an_organisation_and_sees_the_link_once(administrator: Client):
    response = administrator.post(PLATFORM, ORGANISATION)
    assert response.status_code == 200
    html = response.content.decode()
    match = re.search(r"https?://[^/\s<]+(/uitnodiging/[^/\s<]+/)", html)
    assert match, html
    organisation = Organisation.objects.get(slug="buurtkracht-oost")
    assert Invitation.objects.get(organisation=organisation).email == "fatima@buurtkracht.example"
    listing = administrator.get(PLATFORM).content.decode()
    assert "Stichting Buurtkracht Oost" in listing
    assert match.group(1) not in listing  # shown only once
    assert Client().get(match.group(1)).status_code == 200  # the link works


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("municipality_code", "0363", "GM0363"),
        ("slug", "Buurt Kracht", ""),
        ("name", "", ""),
        ("coordinator_email", "geen-adres", ""),
    ],
)
def test_bad_organisation_input_is_refused_in_dutch(administrator: Client, field: str, value: str, message: str):
    response = administrator.post(PLATFORM, {**ORGANISATION, field: value})
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert message in response.content.decode()
    assert not Organisation.objects.filter(slug="buurtkracht-oost").exists()


def test_a_slug_in_use_is_refused(administrator: Client):
    administrator.post(PLATFORM, ORGANISATION)
    response = administrator.post(PLATFORM, {**ORGANISATION, "coordinator_email": ""})
    assert response.status_code == 422
    assert "Deze korte naam is al in gebruik" in response.content.decode()


@pytest.mark.parametrize("role", ["coordinator", "professional", "privacy_officer", "resident", "funder"])
def test_no_other_role_reaches_the_platform_screen(cast: Cast, client: Client, role: str):
    client.force_login(getattr(cast, role))
    assert client.get(PLATFORM).status_code == 404
    assert client.post(PLATFORM, ORGANISATION).status_code == 404
    assert not Organisation.objects.filter(slug="buurtkracht-oost").exists()


def test_a_superuser_s_start_page_leads_to_the_platform_screen(administrator: Client):
    assert PLATFORM in administrator.get(reverse("home")).content.decode()
