"""Registering a resident for an activity by name, not by number: a search within the worker's scope
that shows year of birth and neighbourhood, audits what it shows, and works without script (issue 23)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import Cast
from tests.factories import ResidentFactory
from veerkracht.activities.models import Activity
from veerkracht.core.models import AuditAction, AuditEvent
from veerkracht.places.models import Place


@pytest.fixture
def coffee(cast: Cast) -> Activity:
    place = Place.objects.create(
        organisation=cast.organisation, neighbourhood=cast.north, name="Buurthuis", kind="community_centre"
    )
    starts = timezone.now() + timedelta(days=3)
    return Activity.objects.create(
        organisation=cast.organisation, title="Koffieochtend", kind="coffee_morning", place=place,
        starts_at=starts, ends_at=starts + timedelta(hours=2), organiser=cast.professional,
    )  # fmt: skip


def test_the_worker_finds_the_resident_by_name_with_birth_year_and_neighbourhood_and_registers_them(
    cast: Cast, client: Client, coffee: Activity
):
    namesake = ResidentFactory.create(
        first_name="Fatma", last_name=cast.resident_north.last_name, birth_year=1990,
        household__building__neighbourhood=cast.north,
    )  # fmt: skip
    client.force_login(cast.professional)
    page = client.get(f"/activiteiten/{coffee.pk}/beheer/").content.decode()
    assert "Bewonersnummer" not in page
    assert 'name="resident_q"' in page  # the search button works without script
    assert 'hx-get="' in page  # with it, typing searches
    found = client.get(f"/activiteiten/{coffee.pk}/beheer/", {"resident_q": cast.resident_north.last_name})
    html = found.content.decode()
    north = cast.resident_north
    assert f"{north.full_name} · {north.birth_year} · Noorderhof" in html
    assert f"{namesake.full_name} · 1990 · Noorderhof" in html  # two people of one name, told apart
    assert cast.resident_south.full_name not in html  # another team's neighbourhood: out of this worker's scope
    listed = AuditEvent.objects.filter(actor=cast.professional, action=AuditAction.LIST, object_type="people.resident")
    assert {event.object_id for event in listed} == {str(north.pk), str(namesake.pk)}

    answer = client.post(
        "/activiteiten/aanmelden-bewoner/",
        {"activity_id": coffee.pk, "resident_id": north.pk, "mode": "onsite"},
        follow=True,
    )
    assert "Aangemeld" in answer.content.decode()
    assert coffee.registrations.get().resident_id == north.pk


def test_a_short_search_shows_no_one_and_a_post_without_a_choice_says_so(cast: Cast, client: Client, coffee: Activity):
    client.force_login(cast.coordinator)
    html = client.get(f"/activiteiten/{coffee.pk}/beheer/", {"resident_q": "F"}).content.decode()
    assert 'name="resident_id"' not in html
    answer = client.post("/activiteiten/aanmelden-bewoner/", {"activity_id": coffee.pk, "mode": "onsite"}, follow=True)
    assert answer.status_code == 200
    assert "Kies de bewoner die u wilt aanmelden." in answer.content.decode()
    assert not coffee.registrations.exists()


def test_nobody_found_is_said_plainly(cast: Cast, client: Client, coffee: Activity):
    client.force_login(cast.professional)
    html = client.get(f"/activiteiten/{coffee.pk}/beheer/", {"resident_q": "Xyzzy"}).content.decode()
    assert "Geen bewoner in uw buurten past bij “Xyzzy”." in html
