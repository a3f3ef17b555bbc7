"""Call back and follow up: the follow-up dates a worker sets on contacts come back on a worklist and the start page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import Cast
from tests.factories import ResidentFactory
from veerkracht.contacts.services import contact_log
from veerkracht.core.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def _contact(cast: Cast, resident, *, days_ago: int, follow_up_in: int | None, by=None) -> None:
    contact_log(
        by=by or cast.professional,
        resident_ids=[resident.pk],
        channel="phone",
        started_at=timezone.now() - timedelta(days=days_ago),
        duration_minutes=5,
        follow_up_on=None if follow_up_in is None else timezone.localdate() + timedelta(days=follow_up_in),
        note="Terugbellen over de huur",
    )


def test_overdue_and_todays_follow_ups_come_first_and_the_coming_week_after(cast: Cast, client):
    overdue = ResidentFactory.create(household__building__neighbourhood=cast.north, first_name="Overdue")
    today = ResidentFactory.create(household__building__neighbourhood=cast.north, first_name="Vandaag")
    coming = ResidentFactory.create(household__building__neighbourhood=cast.north, first_name="Straks")
    far = ResidentFactory.create(household__building__neighbourhood=cast.north, first_name="Veelsater")
    _contact(cast, overdue, days_ago=5, follow_up_in=-2)
    _contact(cast, today, days_ago=3, follow_up_in=0)
    _contact(cast, coming, days_ago=1, follow_up_in=3)
    _contact(cast, far, days_ago=1, follow_up_in=30)
    client.force_login(cast.professional)
    page = client.get("/werklijsten/opvolgen/").content.decode()
    due, week = page.split("De komende week")
    assert due.index(overdue.full_name) < due.index(today.full_name)
    assert "te laat" in due
    assert coming.full_name in week
    assert far.full_name not in page
    assert AuditEvent.objects.filter(action=AuditAction.LIST, object_id=str(overdue.pk)).exists()


def test_a_later_contact_by_anyone_takes_the_resident_off_the_list(cast: Cast, client):
    resident = cast.resident_north
    _contact(cast, resident, days_ago=4, follow_up_in=-1)
    client.force_login(cast.professional)
    assert resident.full_name in client.get("/werklijsten/opvolgen/").content.decode()
    _contact(cast, resident, days_ago=0, follow_up_in=None, by=cast.coordinator)
    assert resident.full_name not in client.get("/werklijsten/opvolgen/").content.decode()


def test_the_start_page_shows_todays_follow_ups_and_links_the_list(cast: Cast, client):
    _contact(cast, cast.resident_north, days_ago=2, follow_up_in=0)
    client.force_login(cast.professional)
    page = client.get("/").content.decode()
    assert "Terugbellen en opvolgen" in page
    assert cast.resident_north.full_name in page
    assert 'href="/werklijsten/opvolgen/"' in page


def test_a_colleagues_follow_ups_are_not_on_my_list(cast: Cast, client):
    _contact(cast, cast.resident_north, days_ago=2, follow_up_in=0, by=cast.coordinator)
    client.force_login(cast.professional)
    assert cast.resident_north.full_name not in client.get("/werklijsten/opvolgen/").content.decode()
