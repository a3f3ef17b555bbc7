"""A signed-in resident's own data and whom to reach."""

import pytest

from tests.conftest import Cast
from veerkracht.core.models import AuditEvent


def test_a_resident_sees_their_data_and_their_teams_workers(cast: Cast, client):
    cast.resident_north.user = cast.resident
    cast.resident_north.save()
    cast.professional.email = "sam@welzijn.example"
    cast.professional.save()
    client.force_login(cast.resident)
    html = client.get("/bewoners/mijn-gegevens/").content.decode()
    assert cast.resident_north.full_name in html
    assert f"Uw wijkteam is {cast.team_north.name}" in html
    assert 'href="mailto:sam@welzijn.example"' in html
    assert cast.other_professional.display_name not in html  # the other team's worker
    assert "inzage" in html
    assert AuditEvent.objects.filter(actor=cast.resident, object_id=str(cast.resident_north.pk)).exists()


def test_the_assigned_worker_is_named(cast: Cast, client):
    cast.resident_north.user = cast.resident
    cast.resident_north.assigned_worker = cast.professional
    cast.resident_north.save()
    client.force_login(cast.resident)
    html = client.get("/bewoners/mijn-gegevens/").content.decode()
    assert f"Uw buurtwerker is {cast.professional.display_name}." in html


@pytest.mark.parametrize("role", ["resident", "volunteer", "professional"])
def test_without_an_own_record_there_is_no_page(cast: Cast, client, role):
    client.force_login(getattr(cast, role))  # the resident account here has no record
    assert client.get("/bewoners/mijn-gegevens/").status_code == 404
