"""A coordinator blocks and unblocks a worker's account from the team page."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import Cast
from tests.factories import PASSWORD
from veerkracht.core.models import ApiToken, AuditAction, AuditEvent, User
from veerkracht.core.services import api_token_issue


def _urls(cast: Cast, member: User) -> dict[str, str]:
    kwargs = {"team_id": cast.team_north.pk, "user_id": member.pk}
    return {name: reverse(f"team:member_{name}", kwargs=kwargs) for name in ("disable_confirm", "disable", "enable")}


def _reauthenticated(client: Client, user: User) -> Client:
    client.force_login(user)
    client.post(reverse("accounts:reauthenticate"), {"password": PASSWORD, "next": "/"})
    return client


@pytest.fixture
def coordinator(cast: Cast, client: Client) -> Client:
    cast.team_north.members.add(cast.coordinator, cast.volunteer)
    return _reauthenticated(client, cast.coordinator)


def test_a_coordinator_blocks_a_worker_and_their_session_and_token_end(cast: Cast, coordinator: Client):
    worker = Client()
    worker.force_login(cast.professional)
    raw, _token = api_token_issue(user=cast.professional)
    urls = _urls(cast, cast.professional)
    page = coordinator.get(urls["disable_confirm"]).content.decode()
    assert "Weet u zeker dat u het account van" in page
    assert "Alle sessies en API-tokens worden beëindigd." in page
    response = coordinator.post(urls["disable"])
    assert response["Location"] == reverse("team:team", kwargs={"team_id": cast.team_north.pk})
    cast.professional.refresh_from_db()
    assert not cast.professional.is_active
    assert worker.get("/").status_code == 302
    assert worker.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401
    assert not ApiToken.objects.filter(user=cast.professional).exists()
    event = AuditEvent.objects.get(
        actor=cast.coordinator, action=AuditAction.UPDATE, object_id=str(cast.professional.pk)
    )
    assert event.fields == ["all_sessions", "api_tokens", "is_active"]
    assert event.organisation == cast.organisation


def test_the_team_page_shows_a_blocked_member_and_unblocking_lets_them_sign_in(cast: Cast, coordinator: Client):
    urls = _urls(cast, cast.volunteer)
    coordinator.post(urls["disable"])
    team_page = reverse("team:team", kwargs={"team_id": cast.team_north.pk})
    assert "Geblokkeerd" in coordinator.get(team_page).content.decode()
    assert coordinator.post(urls["enable"])["Location"] == team_page
    cast.volunteer.refresh_from_db()
    assert cast.volunteer.is_active
    assert Client().post("/inloggen/", {"username": "vol", "password": PASSWORD})["Location"] == "/"
    fields = list(
        AuditEvent.objects.filter(actor=cast.coordinator, object_id=str(cast.volunteer.pk), object_type="core.user")
        .order_by("pk")
        .values_list("fields", flat=True)
    )
    assert fields == [["all_sessions", "api_tokens", "is_active"], ["is_active"]]


def test_blocking_twice_takes_effect_once(cast: Cast, coordinator: Client):
    urls = _urls(cast, cast.professional)
    coordinator.post(urls["disable"])
    coordinator.post(urls["disable"])
    coordinator.post(urls["enable"])
    coordinator.post(urls["enable"])
    events = AuditEvent.objects.filter(actor=cast.coordinator, object_id=str(cast.professional.pk))
    assert events.filter(action=AuditAction.UPDATE).count() == 2


def test_blocking_asks_for_the_password_again(cast: Cast, client: Client):
    client.force_login(cast.coordinator)
    urls = _urls(cast, cast.professional)
    for response in (client.get(urls["disable_confirm"]), client.post(urls["disable"])):
        assert response["Location"].startswith(reverse("accounts:reauthenticate"))
        assert "blokkeren" in response["Location"]
    cast.professional.refresh_from_db()
    assert cast.professional.is_active


def test_a_coordinator_of_another_organisation_gets_404(cast: Cast, client: Client):
    _reauthenticated(client, cast.outsider_coordinator)
    urls = _urls(cast, cast.professional)
    assert client.get(urls["disable_confirm"]).status_code == 404
    assert client.post(urls["disable"]).status_code == 404
    assert client.post(urls["enable"]).status_code == 404
    cast.professional.refresh_from_db()
    assert cast.professional.is_active


@pytest.mark.parametrize("role", ["professional", "volunteer", "privacy_officer"])
def test_other_roles_get_404(cast: Cast, client: Client, role: str):
    cast.team_north.members.add(cast.volunteer)
    _reauthenticated(client, getattr(cast, role))
    urls = _urls(cast, cast.volunteer if role == "professional" else cast.professional)
    assert client.get(urls["disable_confirm"]).status_code == 404
    assert client.post(urls["disable"]).status_code == 404
    assert not User.objects.filter(is_active=False).exists()


def test_a_coordinator_cannot_block_themselves_or_another_coordinator(cast: Cast, coordinator: Client):
    assert coordinator.post(_urls(cast, cast.coordinator)["disable"]).status_code == 404
    assert coordinator.get(_urls(cast, cast.coordinator)["disable_confirm"]).status_code == 404
    cast.coordinator.refresh_from_db()
    assert cast.coordinator.is_active


def test_a_get_does_not_block(cast: Cast, coordinator: Client):
    assert coordinator.get(_urls(cast, cast.professional)["disable"]).status_code == 405
    cast.professional.refresh_from_db()
    assert cast.professional.is_active


def test_members_of_the_team_see_no_block_buttons_and_no_blocked_members(cast: Cast, coordinator: Client):
    coordinator.post(_urls(cast, cast.volunteer)["disable"])
    client = Client()
    client.force_login(cast.professional)
    page = client.get(reverse("team:team", kwargs={"team_id": cast.team_north.pk})).content.decode()
    assert "blokkeren/" not in page
    assert "Geblokkeerd" not in page
    assert cast.volunteer.display_name not in page
