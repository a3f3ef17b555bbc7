"""The daily contact table: kept up to date contact by contact, and equal to a rebuild from scratch."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import Cast
from veerkracht.contacts.services import contact_log
from veerkracht.insights.aggregates import contact_daily_rebuild
from veerkracht.insights.models import ContactDaily

pytestmark = pytest.mark.django_db


def _table() -> set[tuple[object, ...]]:
    return set(ContactDaily.objects.values_list("neighbourhood_id", "day", "channel", "contacts", "minutes", "reached"))


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
    incremental = _table()
    phone = ContactDaily.objects.get(channel="phone")
    assert (phone.contacts, phone.minutes, phone.reached) == (2, 15, 1)
    assert phone.neighbourhood_id == cast.north.pk
    assert contact_daily_rebuild(cast.organisation.pk) == 2
    assert _table() == incremental


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
    incremental = _table()
    contact_daily_rebuild(cast.organisation.pk)
    assert _table() == incremental
