"""The contact log and concerns: validation, scope, last-reached bookkeeping, history."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.conftest import Cast
from veerkracht.contacts.models import Concern, ConcernStatus, Contact
from veerkracht.contacts.services import concern_raise, concern_update, contact_log
from veerkracht.core.exceptions import NotFound


def _log(cast: Cast, **overrides):
    arguments = {
        "by": cast.professional,
        "resident_ids": [cast.resident_north.pk],
        "channel": "video_call",
        "started_at": timezone.now() - timedelta(minutes=20),
        "duration_minutes": 15,
    }
    return contact_log(**{**arguments, **overrides})


def test_a_contact_marks_the_resident_reached(cast: Cast):
    contact = _log(cast)
    cast.resident_north.refresh_from_db()
    assert cast.resident_north.last_reached_at == contact.started_at


def test_an_attempt_does_not_count_as_reach(cast: Cast):
    _log(cast, reached=False)
    cast.resident_north.refresh_from_db()
    assert cast.resident_north.last_reached_at is None
    assert Contact.objects.get().reached is False


def test_a_back_dated_contact_never_moves_last_reached_back(cast: Cast):
    recent = _log(cast)
    _log(cast, started_at=timezone.now() - timedelta(days=40))
    cast.resident_north.refresh_from_db()
    assert cast.resident_north.last_reached_at == recent.started_at


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"started_at": timezone.now() + timedelta(hours=2)}, "started_at"),
        ({"duration_minutes": 24 * 60 + 1}, "duration_minutes"),
        ({"duration_minutes": -5}, "duration_minutes"),
        ({"channel": "carrier_pigeon"}, "channel"),
        ({"initiative": "neighbour"}, "initiative"),
        ({"language": "xx"}, "language"),
        ({"topics": ["gossip"]}, "topics"),
        ({"resident_ids": []}, "resident_ids"),
    ],
)
def test_bad_contacts_are_refused_on_the_field_and_nothing_is_saved(cast: Cast, overrides, field):
    with pytest.raises(ValidationError) as error:
        _log(cast, **overrides)
    assert field in error.value.message_dict
    assert not Contact.objects.exists()


def test_a_resident_outside_the_workers_scope_is_refused(cast: Cast):
    with pytest.raises(ValidationError) as error:
        _log(cast, resident_ids=[cast.resident_north.pk, cast.resident_south.pk])
    assert "resident_ids" in error.value.message_dict
    assert not Contact.objects.exists()


def test_a_contact_with_several_residents(cast: Cast):
    contact = _log(cast, by=cast.coordinator, resident_ids=[cast.resident_north.pk, cast.resident_south.pk])
    assert set(contact.residents.all()) == {cast.resident_north, cast.resident_south}


def test_a_concern_keeps_its_history_and_closing_time(cast: Cast):
    concern = concern_raise(by=cast.professional, resident_id=cast.resident_north.pk, category="loneliness", severity=3)
    assert concern.follow_up_by == cast.professional
    concern_update(
        by=cast.professional, concern_id=concern.pk, status=ConcernStatus.REFERRED, referral_target="huisarts"
    )
    concern_update(by=cast.coordinator, concern_id=concern.pk, status=ConcernStatus.CLOSED, note="Opgelost")
    concern.refresh_from_db()
    assert concern.closed_at is not None
    steps = [(event.status_from, event.status_to) for event in concern.history.all()]
    assert steps == [("", "open"), ("open", "referred"), ("referred", "closed")]


def test_reopening_a_concern_clears_its_closing_time(cast: Cast):
    concern = concern_raise(by=cast.professional, resident_id=cast.resident_north.pk, category="money", severity=1)
    concern_update(by=cast.professional, concern_id=concern.pk, status=ConcernStatus.CLOSED)
    concern_update(by=cast.professional, concern_id=concern.pk, status=ConcernStatus.OPEN)
    concern.refresh_from_db()
    assert concern.closed_at is None


@pytest.mark.parametrize(("field", "value"), [("category", "weather"), ("severity", 4), ("severity", 0)])
def test_a_bad_concern_is_refused(cast: Cast, field, value):
    arguments = {"by": cast.professional, "resident_id": cast.resident_north.pk, "category": "health", "severity": 2}
    with pytest.raises(ValidationError) as error:
        concern_raise(**{**arguments, field: value})
    assert field in error.value.message_dict
    assert not Concern.objects.exists()


def test_a_concern_outside_scope_cannot_be_updated(cast: Cast):
    concern = concern_raise(by=cast.professional, resident_id=cast.resident_north.pk, category="food", severity=2)
    with pytest.raises(NotFound):
        concern_update(by=cast.other_professional, concern_id=concern.pk, status=ConcernStatus.CLOSED)


def test_the_follower_must_be_a_worker_of_the_organisation(cast: Cast):
    with pytest.raises(ValidationError) as error:
        concern_raise(
            by=cast.professional,
            resident_id=cast.resident_north.pk,
            category="food",
            severity=2,
            follow_up_by=cast.outsider_professional,
        )
    assert "follow_up_by" in error.value.message_dict


def test_the_timeline_merges_its_sources_newest_first_and_reads_only_the_kinds_shown(
    cast: Cast, django_assert_num_queries
):
    from veerkracht.contacts.selectors import timeline_page

    resident = cast.resident_north
    older = _log(cast, started_at=timezone.now() - timedelta(hours=3))
    newer = _log(cast, started_at=timezone.now() - timedelta(hours=1))
    with django_assert_num_queries(2):  # the merged (kind, id, time) rows, then the contacts
        only_contacts = timeline_page(resident)
    assert [entry.contact for entry in only_contacts.entries] == [newer, older]
    concern = concern_raise(by=cast.professional, resident_id=resident.pk, category="health", severity=2)
    with django_assert_num_queries(3):
        both = timeline_page(resident)
    assert [(entry.kind, entry.contact or entry.concern) for entry in both.entries] == [
        ("concern", concern),
        ("contact", newer),
        ("contact", older),
    ]
    assert [entry.at for entry in both.entries] == sorted((entry.at for entry in both.entries), reverse=True)
