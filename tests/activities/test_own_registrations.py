"""A signed-in resident's own registrations: listed, and cancelled after a confirmation."""

import pytest

from tests.conftest import Cast
from veerkracht.activities.models import Registration
from veerkracht.activities.services import registration_create
from veerkracht.people.models import Resident


@pytest.fixture
def me(cast: Cast) -> Resident:
    cast.resident_north.user = cast.resident
    cast.resident_north.save()
    return cast.resident_north


def test_a_resident_sees_their_registrations_and_cancels_after_confirming(cast: Cast, client, me, park, plan_at):
    bingo = plan_at(park, title="Plantsoenbingo", max_participants=1)
    registration = registration_create(activity_id=bingo.pk, by=cast.resident, resident_id=me.pk, mode="onsite")
    waiting = registration_create(activity_id=bingo.pk, name="Bep", phone="0622222222", mode="onsite", consent=True)
    client.force_login(cast.resident)
    listed = client.get("/mijn-aanmeldingen/").content.decode()
    assert "Plantsoenbingo" in listed
    assert f'href="/mijn-aanmeldingen/{registration.pk}/annuleren/"' in listed

    asked = client.get(f"/mijn-aanmeldingen/{registration.pk}/annuleren/").content.decode()
    assert 'Wilt u uw aanmelding voor <span lang="nl" dir="ltr">Plantsoenbingo</span> annuleren?' in asked
    registration.refresh_from_db()
    assert registration.status == "confirmed"  # asking is not cancelling

    done = client.post(f"/mijn-aanmeldingen/{registration.pk}/annuleren/", follow=True)
    assert "U bent voor geen enkele activiteit aangemeld." in done.content.decode()
    registration.refresh_from_db()
    waiting.refresh_from_db()
    assert registration.status == "cancelled"
    assert waiting.status == "confirmed"  # the waitlist moved up, as with every cancellation


def test_a_resident_cannot_cancel_someone_elses_registration(cast: Cast, client, me, park, plan_at):
    other = Registration.objects.create(activity=plan_at(park), name="Ans", phone="0611111111", status="confirmed")
    client.force_login(cast.resident)
    assert client.get(f"/mijn-aanmeldingen/{other.pk}/annuleren/").status_code == 404
    assert client.post(f"/mijn-aanmeldingen/{other.pk}/annuleren/").status_code == 404
    other.refresh_from_db()
    assert other.status == "confirmed"


@pytest.mark.parametrize("role", ["volunteer", "professional", "coordinator"])
def test_only_residents_have_a_list_of_own_registrations(cast: Cast, client, role):
    client.force_login(getattr(cast, role))
    assert client.get("/mijn-aanmeldingen/").status_code == 404
