"""The pages of outreach rounds: planning from the form, the lists, map and print-out, ticking a door."""

import pytest
from django.utils import timezone

from tests.conftest import Cast
from veerkracht.contacts.models import Contact
from veerkracht.outreach.models import DoorFlag, OutreachRound, PriorityWeights, RoundStop, Visit

pytestmark = pytest.mark.django_db


def _plan_form(cast: Cast, centre, **walker):
    data = {
        "neighbourhood": cast.north.pk,
        "date": timezone.localdate().isoformat(),
        "kinds": ["porch_talk", "intercom"],
        "walkers-TOTAL_FORMS": "3",
        "walkers-INITIAL_FORMS": "0",
        "walkers-MIN_NUM_FORMS": "0",
        "walkers-MAX_NUM_FORMS": "8",
        "walkers-0-worker": cast.professional.pk,
        "walkers-0-starts": "09:00",
        "walkers-0-ends": "11:00",
        "walkers-0-place": centre.pk,
    }
    return data | {f"walkers-0-{name}": value for name, value in walker.items()}


def test_a_coordinator_plans_a_round_from_the_form_and_sees_lists_map_and_print_out(cast: Cast, centre, door, client):
    door(dx=120)
    client.force_login(cast.coordinator)
    response = client.post("/rondes/nieuw/", _plan_form(cast, centre))
    round_ = OutreachRound.objects.get()
    assert response.status_code == 302
    assert response.url == f"/rondes/{round_.pk}/"
    page = client.get(response.url).content.decode()
    assert "<svg" in page
    assert "vk-route__door" in page
    assert "Waarom deze deur" in page
    assert cast.resident_north.full_name in page
    printed = client.get(f"/rondes/{round_.pk}/afdrukken/").content.decode()
    assert "☐ Niet thuis" in printed
    assert 'class="vk-print__page"' in printed


def test_the_form_shows_a_walker_without_a_start_point_in_dutch(cast: Cast, centre, client):
    client.force_login(cast.coordinator)
    response = client.post("/rondes/nieuw/", _plan_form(cast, centre, place=""))
    assert response.status_code == 200
    assert "Kies een plek of vul een postcode en huisnummer in." in response.content.decode()
    assert not OutreachRound.objects.exists()


def test_the_walker_ticks_a_door_on_the_phone_and_a_double_tap_saves_once(cast: Cast, start_round, client):
    round_ = start_round()
    stop = RoundStop.objects.get(round=round_)
    client.force_login(cast.professional)
    walk = client.get(f"/rondes/{round_.pk}/mijn-lijst/").content.decode()
    assert "0 van 1 deur gedaan." in walk
    door_url = f"/rondes/{round_.pk}/deuren/{stop.pk}/"
    tap = {"outcome": "talked", "channel": "porch_talk", "note": "", "idempotency_key": "same-tap"}
    first = client.post(door_url, tap)
    second = client.post(door_url, tap)
    assert first.status_code == second.status_code == 302
    assert first.url == f"/rondes/{round_.pk}/mijn-lijst/"
    assert Visit.objects.count() == Contact.objects.count() == 1
    again = client.post(door_url, {"outcome": "not_home", "idempotency_key": "other-phone"})
    assert again.status_code == 200
    assert "Gedaan: Gesproken" in again.content.decode()
    assert "1 van 1 deur gedaan." in client.get(f"/rondes/{round_.pk}/mijn-lijst/").content.decode()


def test_a_worker_sees_who_is_next_and_flags_a_door(cast: Cast, client):
    client.force_login(cast.professional)
    page = client.get("/rondes/kandidaten/").content.decode()
    assert cast.resident_north.full_name in page
    assert "nooit bereikt (+52)" in page
    client.post(f"/rondes/deur-markeren/{cast.resident_north.pk}/", {"next": "/rondes/kandidaten/"})
    assert DoorFlag.objects.filter(resident=cast.resident_north, cleared_at__isnull=True).exists()
    assert "een werker vroeg om een bezoek (+40)" in client.get("/rondes/kandidaten/").content.decode()


def test_a_coordinator_changes_the_weights(cast: Cast, client):
    client.force_login(cast.coordinator)
    assert "Prioriteitsgewichten" in client.get("/rondes/prioriteiten/").content.decode()
    weights = dict.fromkeys(PriorityWeights.FIELDS, 1) | {"flag": 99}
    assert client.post("/rondes/prioriteiten/", weights).status_code == 302
    assert PriorityWeights.objects.get(organisation=cast.organisation).flag == 99


def test_the_menu_leads_every_walker_to_their_rounds(cast: Cast, client):
    client.force_login(cast.volunteer)
    home = client.get("/").content.decode()
    assert 'href="/rondes/"' in home
    assert "U staat nog niet op een ronde." in client.get("/rondes/").content.decode()


def test_a_worker_flags_a_door_from_the_resident_s_page(cast: Cast, client):
    client.force_login(cast.professional)
    page = f"/bewoners/{cast.resident_north.pk}/"
    assert "Deze deur bezoeken" in client.get(page).content.decode()
    assert client.post(f"/rondes/deur-markeren/{cast.resident_north.pk}/").url == page
    assert "Bezoekverzoek intrekken" in client.get(page).content.decode()
    client.post(f"/rondes/deur-markeren/{cast.resident_north.pk}/", {"clear": "1"})
    assert not DoorFlag.objects.filter(cleared_at__isnull=True).exists()
