"""Rounds planned from the residents' priorities, and the doors ticked in the field."""

import itertools
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.conftest import Cast
from tests.factories import ResidentFactory, UserFactory
from tests.outreach.conftest import X, Y, walker
from veerkracht.contacts.models import Concern, Contact
from veerkracht.contacts.services import concern_raise
from veerkracht.core.exceptions import NotFound
from veerkracht.engines.routing import travel_s
from veerkracht.outreach import services
from veerkracht.outreach.candidates import candidates, weights_of
from veerkracht.outreach.models import DoorFlag, RoundStatus, RoundStop, Visit
from veerkracht.outreach.tasks import round_plan
from veerkracht.people.models import Resident

pytestmark = pytest.mark.django_db


def _north(cast: Cast):
    return Resident.objects.filter(neighbourhood=cast.north)


def test_a_round_plans_the_doors_that_matter_most_within_the_walkers_hours(cast: Cast, door, start_round):
    Resident.objects.filter(pk=cast.resident_north.pk).update(last_reached_at=timezone.now())
    worried = door(dx=200)
    concern_raise(by=cast.professional, resident_id=worried.pk, category="loneliness", severity=3)
    others = [door(dx=100 + 50 * i, birth_year=1990) for i in range(3)]  # young, never reached
    far = door(dx=4000)  # a 2 × 70-minute walk: out of reach in two hours
    round_ = start_round()
    assert round_.status == RoundStatus.PLANNED
    assert round_.run.progress == 100
    stops = list(RoundStop.objects.filter(round=round_).order_by("position"))
    planned = {stop.resident_id for stop in stops}
    assert worried.pk in planned
    assert far.pk not in planned
    assert {o.pk for o in others} <= planned
    worried_stop = next(stop for stop in stops if stop.resident_id == worried.pk)
    assert {"code": "concerns", "count": 1, "points": 30} in worried_stop.reasons
    assert [stop.position for stop in stops] == list(range(1, len(stops) + 1))
    walker_ = round_.walkers.get()
    first = stops[0]
    assert first.expected_at == walker_.starts_at + timedelta(seconds=travel_s((X, Y), (first.x, first.y)))
    assert all(a.expected_at < b.expected_at for a, b in itertools.pairwise(stops))
    assert round_.run.result["planned"] == len(stops)


def test_a_flat_gets_an_intercom_call_only_when_porch_talks_are_not_on_the_round(cast: Cast, door, start_round):
    round_ = start_round(kinds=["intercom"])
    assert set(RoundStop.objects.filter(round=round_).values_list("kind", flat=True)) == {"intercom"}


def test_a_walker_without_a_start_point_is_refused_with_their_name(cast: Cast, start_round):
    with pytest.raises(ValidationError) as refused:
        start_round(walkers=[walker(cast.professional, None)])
    assert list(refused.value.message_dict) == ["walkers"]
    assert cast.professional.display_name in refused.value.message_dict["walkers"][0]


def test_a_walker_may_start_at_an_address(cast: Cast, door, start_round):
    home = cast.resident_north.household
    assert home is not None
    round_ = start_round(
        walkers=[walker(cast.professional, None, postcode=home.postcode, house_number=home.house_number)]
    )
    assert round_.walkers.get().start_label.startswith(home.street)


def test_hours_too_short_for_any_door_are_refused_before_planning(cast: Cast, centre, door, start_round):
    with pytest.raises(ValidationError) as refused:
        start_round(walkers=[walker(cast.professional, centre, starts="09:00", ends="09:04")])
    assert list(refused.value.message_dict) == ["walkers"]


def test_a_neighbourhood_without_anyone_to_visit_is_refused(cast: Cast, start_round):
    Resident.objects.filter(pk=cast.resident_north.pk).update(
        last_reached_at=timezone.now(), birth_year=1990
    )  # reached today and no markers: nothing to do
    with pytest.raises(ValidationError) as refused:
        start_round()
    assert list(refused.value.message_dict) == ["neighbourhood_id"]


def test_a_professional_plans_only_in_the_neighbourhoods_they_cover(cast: Cast, start_round):
    with pytest.raises(ValidationError) as refused:
        start_round(by=cast.other_professional)
    assert list(refused.value.message_dict) == ["neighbourhood_id"]


def test_the_same_worker_twice_and_workers_of_another_organisation_are_refused(cast: Cast, centre, start_round):
    with pytest.raises(ValidationError):
        start_round(walkers=[walker(cast.professional, centre), walker(cast.professional, centre)])
    with pytest.raises(ValidationError):
        start_round(walkers=[walker(cast.outsider_professional, centre)])
    with pytest.raises(NotFound):
        start_round(by=cast.volunteer)


def test_two_walkers_share_the_doors_without_visiting_one_twice(cast: Cast, door, centre, start_round):
    for i in range(12):
        door(dx=60 * i)
    round_ = start_round(walkers=[walker(cast.professional, centre), walker(cast.volunteer, centre, ends="10:00")])
    residents = list(RoundStop.objects.filter(round=round_).values_list("resident_id", flat=True))
    assert len(residents) == len(set(residents)) == 13
    assert round_.walkers.filter(stops__isnull=False).distinct().count() == 2


def test_a_restarted_planning_run_plans_the_same_doors_again_without_duplicates(cast: Cast, door, start_round):
    door(dx=50)
    round_ = start_round()
    before = sorted(RoundStop.objects.filter(round=round_).values_list("resident_id", flat=True))
    round_plan(round_.run, lambda percent: None)
    assert sorted(RoundStop.objects.filter(round=round_).values_list("resident_id", flat=True)) == before


def _stop(round_, resident: Resident) -> RoundStop:
    return RoundStop.objects.get(round=round_, resident=resident)


def test_a_talk_becomes_a_contact_and_reaches_the_resident(cast: Cast, start_round):
    services.door_flag_set(by=cast.professional, resident_id=cast.resident_north.pk)
    round_ = start_round()
    stop = _stop(round_, cast.resident_north)
    visit = services.visit_log(
        by=cast.professional, stop_id=stop.pk, outcome="talked", channel="porch_talk", note="Koffie"
    )
    contact = Contact.objects.get()
    assert visit.contact == contact
    assert (contact.channel, contact.reached, contact.duration_minutes, contact.note) == (
        "porch_talk",
        True,
        10,
        "Koffie",
    )
    cast.resident_north.refresh_from_db()
    assert cast.resident_north.last_reached_at == visit.at
    assert not DoorFlag.objects.filter(cleared_at__isnull=True).exists()


@pytest.mark.clock
def test_nobody_home_is_an_attempt_and_the_door_comes_back_tomorrow_a_little_higher(cast: Cast, start_round):
    round_ = start_round()
    stop = _stop(round_, cast.resident_north)
    services.visit_log(by=cast.professional, stop_id=stop.pk, outcome="not_home")
    contact = Contact.objects.get()
    assert (contact.reached, contact.channel) == (False, stop.kind)
    tomorrow = timezone.localdate() + timedelta(days=1)
    (again,) = candidates(_north(cast), on=tomorrow, weights=weights_of(cast.organisation.pk))
    assert again.priority.points == stop.priority + 3
    assert ("not_home", 1, 3) in [(r.code, r.count, r.points) for r in again.priority.reasons]


@pytest.mark.clock
def test_a_refusal_is_respected_for_a_month(cast: Cast, start_round):
    round_ = start_round()
    services.visit_log(by=cast.professional, stop_id=_stop(round_, cast.resident_north).pk, outcome="refused")
    assert Contact.objects.get().reached is False
    assert (
        candidates(_north(cast), on=timezone.localdate() + timedelta(days=1), weights=weights_of(cast.organisation.pk))
        == []
    )
    later = timezone.localdate() + timedelta(days=31)
    assert len(candidates(_north(cast), on=later, weights=weights_of(cast.organisation.pk))) == 1


def test_a_volunteer_walker_logs_their_own_doors_and_a_concern_goes_to_the_planner(cast: Cast, centre, start_round):
    round_ = start_round(walkers=[walker(cast.volunteer, centre)], by=cast.professional)
    stop = _stop(round_, cast.resident_north)
    services.visit_log(
        by=cast.volunteer,
        stop_id=stop.pk,
        outcome="concern",
        channel="intercom",
        category="food",
        severity=3,
        note="Geen eten",
    )
    concern = Concern.objects.get()
    assert (concern.category, concern.severity, concern.follow_up_by) == ("food", 3, cast.professional)
    assert Contact.objects.get().worker == cast.volunteer
    other = UserFactory.create(volunteer=True, organisation=cast.organisation)
    with pytest.raises(NotFound):
        services.visit_log(by=other, stop_id=stop.pk, outcome="talked", channel="intercom")


def test_a_door_ticked_twice_keeps_the_first_outcome_and_says_who_ticked_it(cast: Cast, start_round):
    round_ = start_round()
    stop = _stop(round_, cast.resident_north)
    services.visit_log(by=cast.professional, stop_id=stop.pk, outcome="talked", channel="porch_talk")
    with pytest.raises(ValidationError) as refused:
        services.visit_log(by=cast.coordinator, stop_id=stop.pk, outcome="not_home")
    assert cast.professional.display_name in refused.value.message_dict["outcome"][0]
    assert Visit.objects.get().outcome == "talked"
    assert Contact.objects.count() == 1


def test_a_talk_needs_its_channel_and_a_concern_its_category(cast: Cast, start_round):
    round_ = start_round()
    stop = _stop(round_, cast.resident_north)
    with pytest.raises(ValidationError, match="channel"):
        services.visit_log(by=cast.professional, stop_id=stop.pk, outcome="talked")
    with pytest.raises(ValidationError, match="category"):
        services.visit_log(by=cast.professional, stop_id=stop.pk, outcome="concern", channel="porch_talk")
    assert not Visit.objects.exists()
    assert not Contact.objects.exists()


@pytest.mark.clock
def test_a_resident_on_todays_round_is_not_planned_on_a_second_round_that_day(cast: Cast, door, start_round):
    start_round()
    with pytest.raises(ValidationError):
        start_round()  # the only resident is already on a list


def test_the_organisation_s_weights_change_the_priorities(cast: Cast):
    services.priority_weights_save(
        by=cast.coordinator,
        concern=0,
        overdue=0,
        unseen=0,
        max_weeks=0,
        marker=100,
        flag=0,
        not_home=0,
        refused_rest_days=0,
    )
    (only,) = candidates(_north(cast), on=timezone.localdate(), weights=weights_of(cast.organisation.pk))
    assert only.priority.points == 100  # one marker: 75+
    with pytest.raises(NotFound):
        services.priority_weights_save(by=cast.professional, concern=1)


def test_a_door_flag_is_set_once_and_can_be_withdrawn(cast: Cast):
    first = services.door_flag_set(by=cast.professional, resident_id=cast.resident_north.pk, note="Buren bezorgd")
    assert services.door_flag_set(by=cast.coordinator, resident_id=cast.resident_north.pk) == first
    assert services.door_flag_clear(by=cast.professional, resident_id=cast.resident_north.pk) == 1
    with pytest.raises(NotFound):
        services.door_flag_set(by=cast.other_professional, resident_id=cast.resident_north.pk)


def test_residents_of_another_neighbourhood_or_erased_are_never_candidates(cast: Cast):
    ResidentFactory.create(household__building__neighbourhood=cast.south)
    Resident.objects.create(
        organisation=cast.organisation,
        neighbourhood=cast.north,
        first_name="-",
        last_name="-",
        birth_year=1940,
        erased_at=timezone.now(),
    )
    found = candidates(_north(cast), on=timezone.localdate(), weights=weights_of(cast.organisation.pk))
    assert [c.resident.pk for c in found] == [cast.resident_north.pk]
