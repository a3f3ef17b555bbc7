"""The timeline's merged history is read with core/db.py's hand-written statement: it must give
exactly what the ORM's union of the three sources gives, ties and limits included."""

from datetime import timedelta

import pytest
from django.db.models import CharField, F, QuerySet, Value
from django.utils import timezone

from tests.conftest import Cast
from veerkracht.contacts.models import Concern, ContactResident
from veerkracht.contacts.selectors import TIMELINE_SOURCES
from veerkracht.contacts.services import concern_raise, contact_log
from veerkracht.core.db import newest_of
from veerkracht.help.models import HelpGiven, HelpOffer, HelpRequest, Match, MatchStatus


def _keyed(rows: QuerySet, kind: str, at: str, ref: str) -> QuerySet:
    keyed = rows.annotate(entry_kind=Value(kind, output_field=CharField()), entry_ref=F(ref), entry_at=F(at))
    return keyed.order_by().values_list("entry_kind", "entry_ref", "entry_at")


def _orm_answer(resident_id: int, limit: int) -> list[tuple[str, int, object]]:
    union = _keyed(
        ContactResident.objects.filter(resident_id=resident_id), "contact", "started_at", "contact_id"
    ).union(
        _keyed(Concern.objects.filter(resident_id=resident_id), "concern", "created_at", "pk"),
        _keyed(HelpGiven.objects.filter(resident_id=resident_id), "help", "recorded_at", "pk"),
        all=True,
    )
    return list(union.order_by("-entry_at", "entry_kind", "-entry_ref")[:limit])


def _history(cast: Cast) -> None:
    """Contacts (two at the same moment), a concern and neighbour help, for one resident; one
    contact of another resident that must not show."""
    resident, now = cast.resident_north, timezone.now().replace(microsecond=0)
    at = [now - timedelta(hours=hours) for hours in (5, 3, 3, 1)]
    for started_at in at:
        contact_log(
            by=cast.professional, resident_ids=[resident.pk], channel="phone", started_at=started_at, duration_minutes=5
        )
    contact_log(
        by=cast.other_professional,
        resident_ids=[cast.resident_south.pk],
        channel="phone",
        started_at=now,
        duration_minutes=5,
    )
    concern_raise(by=cast.professional, resident_id=resident.pk, category="health", severity=2)
    ask = HelpRequest.objects.create(
        organisation=cast.organisation, resident=resident, kind="groceries", first_day=now.date(),
        last_day=now.date() + timedelta(days=7), description="", created_by=cast.professional,
    )  # fmt: skip
    offer = HelpOffer.objects.create(
        organisation=cast.organisation, helper=cast.volunteer, neighbourhood=cast.north, kinds=["groceries"],
        x=0, y=0, radius_m=1000, max_open_tasks=2,
    )  # fmt: skip
    match = Match.objects.create(request=ask, offer=offer, status=MatchStatus.ACCEPTED, distance_m=100)
    given = HelpGiven.objects.create(match=match, resident=resident, kind="groceries")
    HelpGiven.objects.filter(pk=given.pk).update(recorded_at=at[1])  # a tie with two contacts, across kinds


@pytest.mark.parametrize("limit", [1, 3, 4, 10])
def test_the_hand_written_timeline_gives_the_orms_answer(cast: Cast, limit: int):
    _history(cast)
    expected = _orm_answer(cast.resident_north.pk, limit)
    assert len(expected) == min(limit, 6)
    assert newest_of(TIMELINE_SOURCES, cast.resident_north.pk, limit) == expected


def test_a_resident_without_history_has_an_empty_timeline(cast: Cast):
    assert newest_of(TIMELINE_SOURCES, cast.resident_north.pk, 10) == _orm_answer(cast.resident_north.pk, 10) == []
