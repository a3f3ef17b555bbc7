"""The aggregate tables: kept up to date contact by contact and attendance by attendance, and equal
to a rebuild from scratch."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import Cast
from tests.factories import ResidentFactory
from veerkracht.activities.models import Activity, Registration, RegistrationStatus
from veerkracht.activities.services import attendance_record
from veerkracht.contacts.services import contact_log
from veerkracht.insights.aggregates import attendance_mix_rebuild, contact_daily_rebuild
from veerkracht.insights.models import MIX_GROUPS, AttendanceMix, ContactDaily, ContactMonthly

pytestmark = pytest.mark.django_db


def _table() -> set[tuple[object, ...]]:
    return set(ContactDaily.objects.values_list("neighbourhood_id", "day", "channel", "contacts", "minutes", "reached"))


def _months() -> set[tuple[object, ...]]:
    return set(
        ContactMonthly.objects.values_list("neighbourhood_id", "month", "channel", "contacts", "minutes", "reached")
    )


def test_each_logged_contact_is_counted_once_and_a_rebuild_agrees(cast: Cast):
    now = timezone.now()
    for days, channel, minutes, reached in [
        (0, "phone", 10, True),
        (0, "phone", 5, False),
        (3, "video_call", 30, True),
    ]:
        contact_log(
            by=cast.professional,
            resident_ids=[cast.resident_north.pk],
            channel=channel,
            started_at=now - timedelta(days=days),
            duration_minutes=minutes,
            reached=reached,
        )
    incremental, months = _table(), _months()
    phone = ContactDaily.objects.get(channel="phone")
    assert (phone.contacts, phone.minutes, phone.reached) == (2, 15, 1)
    assert phone.neighbourhood_id == cast.north.pk
    assert ContactMonthly.objects.filter(channel="phone").get().contacts == 2
    assert contact_daily_rebuild(cast.organisation.pk) == 2
    assert _table() == incremental
    assert _months() == months


def test_a_message_to_many_and_an_answer_are_counted_as_a_rebuild_would(cast: Cast):
    from veerkracht.contacts.services import contact_answered, contact_attempts_log

    sent = contact_attempts_log(
        by=cast.coordinator,
        residents=[cast.resident_north, cast.resident_south],
        channel="messaging",
        started_at=timezone.now(),
    )
    contact_answered(by=cast.coordinator, contact_id=sent[cast.resident_north.pk].pk)
    north = ContactDaily.objects.get(neighbourhood=cast.north, channel="messaging")
    assert (north.contacts, north.reached) == (1, 1)
    assert ContactDaily.objects.get(neighbourhood=cast.south, channel="messaging").reached == 0
    incremental, months = _table(), _months()
    contact_daily_rebuild(cast.organisation.pk)
    assert _table() == incremental
    assert _months() == months


def test_each_attendee_is_counted_in_their_group_once_and_a_rebuild_agrees(cast: Cast):
    starts = timezone.now() - timedelta(days=2)
    activity = Activity.objects.create(
        organisation=cast.organisation, title="Koffieochtend", kind="coffee_morning", starts_at=starts,
        ends_at=starts + timedelta(hours=2), organiser=cast.professional, online_link="https://meet.example.nl/k",
    )  # fmt: skip
    year = timezone.localdate(starts).year
    residents = [
        ResidentFactory.create(household__building__neighbourhood=cast.north, birth_year=year - 80),
        ResidentFactory.create(household__building__neighbourhood=cast.north, birth_year=year - 20),
        ResidentFactory.create(
            household__building__neighbourhood=cast.south, birth_year=year - 40, migration_background=True
        ),
    ]
    ids = [
        Registration.objects.create(activity=activity, resident=r, status=RegistrationStatus.CONFIRMED).pk
        for r in residents
    ]
    attendance_record(by=cast.professional, activity=activity, registration_ids=ids)
    attendance_record(by=cast.professional, activity=activity, registration_ids=ids)  # ticked twice: once

    def mixes() -> dict[int, dict[str, int]]:
        rows = AttendanceMix.objects.values("neighbourhood_id", "kind", *MIX_GROUPS)
        return {row.pop("neighbourhood_id"): row for row in rows}

    counted = mixes()
    assert counted[cast.north.pk]["age_75_plus_native"] == 1
    assert counted[cast.north.pk]["age_under_30_native"] == 1
    assert counted[cast.south.pk]["age_30_54_migration"] == 1
    assert sum(sum(v for k, v in row.items() if k != "kind") for row in counted.values()) == 3
    assert attendance_mix_rebuild(cast.organisation.pk) == 2
    assert mixes() == counted


@pytest.mark.django_db(transaction=True)
def test_two_first_contacts_of_a_day_at_once_are_both_counted(cast: Cast):
    """Neither creates the day's row over the other's: the first waits for the second's lock."""
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from django.db import connection

    if connection.vendor == "sqlite" and "memory" in str(connection.settings_dict["NAME"]):
        pytest.skip("threads need a shared database: a file or PostgreSQL")
    rounds = 8

    def log(day: int, start: Barrier) -> None:
        try:
            start.wait()
            contact_log(
                by=cast.professional,
                resident_ids=[cast.resident_north.pk],
                channel="phone",
                started_at=timezone.now() - timedelta(days=day),
                duration_minutes=10,
            )
        finally:
            connection.close()  # this thread's own connection

    with ThreadPoolExecutor(max_workers=2) as pool:
        for day in range(1, rounds + 1):
            start = Barrier(2)
            list(pool.map(lambda _: log(day, start), range(2)))  # noqa: B023 - both calls run in this round
    counts = sorted(ContactDaily.objects.values_list("contacts", flat=True))
    assert counts == [2] * rounds
    assert sum(ContactMonthly.objects.values_list("contacts", flat=True)) == 2 * rounds
    before = _table()
    contact_daily_rebuild(cast.organisation.pk)
    assert _table() == before
