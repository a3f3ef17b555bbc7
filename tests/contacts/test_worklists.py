"""Worklists: concerns by severity and due date, and residents out of sight."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import Cast
from tests.factories import ResidentFactory
from veerkracht.contacts.selectors import concern_worklist, out_of_sight
from veerkracht.contacts.services import concern_raise, concern_update, contact_log

# Out of sight for a term of days, due dates: also run at every awkward moment (tests/clock.py).
pytestmark = pytest.mark.clock


def test_the_concern_worklist_orders_by_severity_then_due_date_and_marks_overdue(cast: Cast):
    today = timezone.localdate()

    def raise_(**kw):
        return concern_raise(by=cast.professional, resident_id=cast.resident_north.pk, category="health", **kw)

    late = raise_(severity=2, due_on=today - timedelta(days=1))
    soon = raise_(severity=2, due_on=today + timedelta(days=3))
    urgent = raise_(severity=3)
    closed = raise_(severity=3)
    concern_update(by=cast.professional, concern_id=closed.pk, status="closed")
    worklist = list(concern_worklist(cast.professional))
    assert worklist == [urgent, late, soon]
    assert [concern.overdue for concern in worklist] == [False, True, False]  # type: ignore[attr-defined]


def test_mine_is_what_i_follow_up_and_team_is_my_neighbourhoods(cast: Cast):
    mine = concern_raise(by=cast.professional, resident_id=cast.resident_north.pk, category="money", severity=1)
    theirs = concern_raise(
        by=cast.coordinator,
        resident_id=cast.resident_north.pk,
        category="money",
        severity=1,
        follow_up_by=cast.coordinator,
    )
    elsewhere = concern_raise(by=cast.coordinator, resident_id=cast.resident_south.pk, category="money", severity=1)
    assert list(concern_worklist(cast.professional, scope="mine")) == [mine]
    assert set(concern_worklist(cast.professional, scope="team")) == {mine, theirs}
    assert elsewhere not in concern_worklist(cast.professional, scope="team")


def test_out_of_sight_lists_vulnerable_residents_not_reached_lately(cast: Cast):
    this_year = timezone.localdate().year
    old_unseen = ResidentFactory.create(household__building__neighbourhood=cast.north, birth_year=this_year - 80)
    alone_seen_long_ago = ResidentFactory.create(household__building__neighbourhood=cast.north, lives_alone=True)
    alone_seen_lately = ResidentFactory.create(household__building__neighbourhood=cast.north, lives_alone=True)
    not_vulnerable = ResidentFactory.create(household__building__neighbourhood=cast.north, birth_year=this_year - 40)
    now = timezone.now()
    contact_log(
        by=cast.professional,
        resident_ids=[alone_seen_long_ago.pk],
        channel="phone",
        started_at=now - timedelta(days=45),
        duration_minutes=10,
    )
    contact_log(
        by=cast.professional,
        resident_ids=[alone_seen_lately.pk],
        channel="phone",
        started_at=now - timedelta(days=3),
        duration_minutes=10,
    )
    contact_log(
        by=cast.professional,
        resident_ids=[old_unseen.pk],
        channel="intercom",
        reached=False,
        started_at=now - timedelta(days=1),
        duration_minutes=0,
    )
    result = list(out_of_sight(cast.professional, neighbourhood_id=cast.north.pk, days=30))
    assert old_unseen in result
    assert alone_seen_long_ago in result
    assert alone_seen_lately not in result
    assert not_vulnerable not in result
    assert result.index(old_unseen) < result.index(alone_seen_long_ago)  # never reached comes first
    newest_first = list(out_of_sight(cast.professional, days=30, oldest_first=False))
    assert newest_first.index(alone_seen_long_ago) < newest_first.index(old_unseen)


def test_out_of_sight_respects_the_scope(cast: Cast):
    ResidentFactory.create(household__building__neighbourhood=cast.south, lives_alone=True)
    assert not out_of_sight(cast.professional, neighbourhood_id=cast.south.pk).exists()
    assert not out_of_sight(cast.volunteer).exists()
