"""Planning within the rules, a waitlist that never overbooks, attendance that counts as reach."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.activities.conftest import soon
from tests.conftest import Cast
from veerkracht.activities.models import Activity, Attendance, Registration
from veerkracht.activities.services import (
    attendance_record,
    capacity_rule_set,
    registration_cancel,
    registration_create,
)
from veerkracht.contacts.models import Contact
from veerkracht.core.models import Notification, OutboundMessage


def _public(activity: Activity, number: int, **overrides) -> Registration:
    fields = {"name": f"Buur {number}", "phone": f"06{number:08d}", "consent": True}
    return registration_create(activity_id=activity.pk, **{**fields, **overrides})


def test_a_park_bingo_for_forty_under_the_one_and_a_half_metre_rule(cast: Cast, park, plan_at):
    cast.organisation.distancing_rule = True
    cast.organisation.save()
    assert plan_at(park, max_participants=40).max_participants == 40
    with pytest.raises(ValidationError) as error:
        plan_at(park, max_participants=41)
    assert "40" in error.value.message_dict["max_participants"][0]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ends_at": soon() - timedelta(hours=1)}, "ends_at"),
        ({"starts_at": soon(days=-2), "ends_at": soon(days=-2) + timedelta(hours=1)}, "starts_at"),
        ({"kind": "rave"}, "kind"),
        ({"target_groups": ["pets"]}, "target_groups"),
        ({"max_online": 10}, "max_online"),
    ],
)
def test_bad_plans_are_refused_on_the_field(park, plan_at, overrides, field):
    with pytest.raises(ValidationError) as error:
        plan_at(park, **overrides)
    assert field in error.value.message_dict
    assert not Activity.objects.exists()


def test_a_closed_place_is_refused(centre, plan_at):
    late = soon(hour=23)
    with pytest.raises(ValidationError) as error:
        plan_at(centre, starts_at=late, ends_at=late + timedelta(minutes=30))
    assert "starts_at" in error.value.message_dict


def test_an_online_activity_needs_a_link_and_no_place(plan_at):
    with pytest.raises(ValidationError):
        plan_at(None, kind="webinar", max_participants=None)
    webinar = plan_at(None, kind="webinar", max_participants=None, online_link="https://meet.example/x", max_online=50)
    assert webinar.online_only


def test_a_webinar_is_online_only(park, plan_at):
    with pytest.raises(ValidationError) as error:
        plan_at(park, kind="webinar", online_link="https://meet.example/x", max_online=50)
    assert "place_id" in error.value.message_dict


def test_a_weekly_series(park, plan_at):
    first = plan_at(park, weekly_until=(soon() + timedelta(weeks=3)).date())
    assert Activity.objects.filter(series=first.series).count() == 4


def test_three_places_confirm_three_and_the_rest_waits(park, plan_at):
    activity = plan_at(park)
    statuses = [_public(activity, number).status for number in range(5)]
    assert statuses == ["confirmed"] * 3 + ["waitlisted"] * 2


def test_the_seats_of_each_mode_count_confirmed_and_waitlisted_but_not_cancelled(park, plan_at):
    from veerkracht.activities.selectors import seats_on_site_and_online

    activity = plan_at(park, online_link="https://meet.example/x", max_online=2)
    for number in range(4):
        _public(activity, number)  # three confirmed on site, one waiting
    online = [_public(activity, 10 + number, mode="online") for number in range(2)]
    registration_cancel(registration_id=online[0].pk)
    on_site, online_seats = seats_on_site_and_online(activity)
    assert (on_site.limit, on_site.confirmed, on_site.waitlisted, on_site.free) == (3, 3, 1, 0)
    assert (online_seats.limit, online_seats.confirmed, online_seats.waitlisted, online_seats.free) == (2, 1, 0, 1)


def test_a_cancellation_promotes_the_first_on_the_waitlist_who_is_told(park, plan_at):
    activity = plan_at(park)
    first, *_others = [_public(activity, number) for number in range(3)]
    waiting = _public(activity, 7)
    registration_cancel(registration_id=first.pk)
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert waiting.promoted_at is not None
    assert OutboundMessage.objects.get(to="0600000007").channel == "sms"


def test_cancelling_a_waitlisted_registration_promotes_nobody(park, plan_at):
    activity = plan_at(park, max_participants=1)
    _public(activity, 1)
    second, third = _public(activity, 2), _public(activity, 3)
    registration_cancel(registration_id=second.pk)
    third.refresh_from_db()
    assert third.status == "waitlisted"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"consent": False}, "consent"),
        ({"phone": "12"}, "phone"),
        ({"name": " "}, "name"),
        ({"mode": "online"}, "mode"),
    ],
)
def test_bad_public_registrations_are_refused(park, plan_at, overrides, field):
    activity = plan_at(park)
    with pytest.raises(ValidationError) as error:
        _public(activity, 1, **overrides)
    assert field in error.value.message_dict
    assert not Registration.objects.exists()


def test_the_same_phone_twice_is_refused(park, plan_at):
    activity = plan_at(park)
    _public(activity, 1)
    with pytest.raises(ValidationError) as error:
        _public(activity, 1, phone="06-00 00 00 01", name="Iemand anders")
    assert "phone" in error.value.message_dict
    assert Registration.objects.count() == 1


def test_registrations_after_the_start_are_refused(park, plan_at):
    activity = plan_at(park)
    Activity.objects.filter(pk=activity.pk).update(starts_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ValidationError, match="begonnen"):
        _public(activity, 1)


def test_a_walk_in_activity_takes_no_registrations(park, plan_at):
    activity = plan_at(park, registration_required=False)
    with pytest.raises(ValidationError, match="kom gewoon langs"):
        _public(activity, 1)


def test_a_worker_registers_a_resident_in_scope_only(cast: Cast, park, plan_at):
    activity = plan_at(park)
    registration = registration_create(
        activity_id=activity.pk, by=cast.professional, resident_id=cast.resident_north.pk
    )
    assert registration.name == cast.resident_north.first_name
    with pytest.raises(ValidationError) as error:
        registration_create(activity_id=activity.pk, by=cast.professional, resident_id=cast.resident_south.pk)
    assert "resident_id" in error.value.message_dict


def test_attendance_of_a_registered_resident_counts_as_reach(cast: Cast, park, plan_at):
    activity = plan_at(park)
    registration = registration_create(
        activity_id=activity.pk, by=cast.professional, resident_id=cast.resident_north.pk
    )
    result = attendance_record(
        by=cast.volunteer, activity=activity, registration_ids=[registration.pk], walk_ins=["Kees", ""]
    )
    again = attendance_record(by=cast.volunteer, activity=activity, registration_ids=[registration.pk])
    assert (result.ticked, result.walk_ins, again.ticked) == (1, 1, 0)
    contact = Contact.objects.get()
    assert (contact.channel, list(contact.residents.all())) == ("activity", [cast.resident_north])
    cast.resident_north.refresh_from_db()
    assert cast.resident_north.last_reached_at == contact.started_at
    assert Attendance.objects.count() == 2


def test_online_attendance_counts_as_a_webinar(cast: Cast, park, plan_at):
    activity = plan_at(park, online_link="https://meet.example/bingo", max_online=10)
    registration = registration_create(
        activity_id=activity.pk, by=cast.professional, resident_id=cast.resident_north.pk, mode="online"
    )
    attendance_record(by=cast.professional, activity=activity, registration_ids=[registration.pk])
    assert Contact.objects.get().channel == "webinar"


def test_a_stricter_rule_lowers_limits_and_tells_organisers_over_it(cast: Cast, park, plan_at):
    park.outdoor_m2_per_person = None  # the organisation's outdoor rule applies
    park.save()
    activity = plan_at(park, max_participants=30)
    for number in range(25):
        _public(activity, number)
    over = capacity_rule_set(by=cast.coordinator, distancing_rule=True, indoor_m2=5, outdoor_m2=20)
    activity.refresh_from_db()
    assert over == [activity]
    assert activity.max_participants == 20  # 400 m² / 20 m² per person
    note = Notification.objects.get(user=cast.professional)
    assert "25" in note.text
    assert "20" in note.text
    assert _public(activity, 99).status == "waitlisted"


def test_only_a_coordinator_sets_the_rule(cast: Cast):
    with pytest.raises(ValidationError):
        capacity_rule_set(by=cast.professional, distancing_rule=True, indoor_m2=5, outdoor_m2=5)


def test_a_signed_in_resident_registers_themselves_only(cast: Cast, park, plan_at):
    activity = plan_at(park)
    cast.resident_north.user = cast.resident
    cast.resident_north.save()
    registration = registration_create(activity_id=activity.pk, by=cast.resident, resident_id=cast.resident_north.pk)
    assert registration.resident == cast.resident_north
    with pytest.raises(ValidationError):
        registration_create(activity_id=activity.pk, by=cast.resident, resident_id=cast.resident_south.pk)
