"""Requests, offers and a helper's answers: the rules, the privacy of a task, and bad input."""

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.conftest import Cast
from tests.factories import UserFactory
from veerkracht.core.exceptions import NotFound
from veerkracht.core.models import AuditEvent, Notification
from veerkracht.help import selectors, services
from veerkracht.help.models import CheckIn, HelpGiven, HelpRequest, Match, MatchStatus, RequestStatus

pytestmark = pytest.mark.django_db


def _statuses(help_request: HelpRequest) -> list[str]:
    return list(help_request.events.values_list("status", flat=True))


def test_a_worker_enters_a_request_for_a_resident_in_scope(cast: Cast, neighbour, ask):
    help_request = ask(neighbour(), description="Boodschappen bij de Albert Heijn")
    assert help_request.status == RequestStatus.OPEN
    assert _statuses(help_request) == ["open"]
    assert help_request.organisation_id == cast.organisation.pk


def test_a_resident_outside_scope_is_refused_and_nothing_is_written(cast: Cast, neighbour, ask):
    resident = neighbour()
    with pytest.raises(ValidationError) as refused:
        ask(resident, by=cast.other_professional)  # works in the south
    assert "resident_id" in refused.value.message_dict
    assert not HelpRequest.objects.exists()


def test_a_resident_without_consent_for_neighbour_help_is_refused(neighbour, ask):
    with pytest.raises(ValidationError) as refused:
        ask(neighbour(consent_help_exchange=False))
    assert "toestemming" in str(refused.value)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"last_day": None}, "last_day"),
        ({"last_day": timezone.localdate() - timedelta(days=1)}, "last_day"),
        ({"last_day": timezone.localdate() + timedelta(days=200)}, "last_day"),
        ({"recurrence": "weekly"}, "weekday"),
        ({"language": "xx"}, "language"),
    ],
)
def test_bad_moments_and_languages_are_refused(neighbour, ask, fields, field):
    with pytest.raises(ValidationError) as refused:
        ask(neighbour(), **fields)
    assert field in refused.value.message_dict


def test_a_resident_asks_for_themselves(cast: Cast, neighbour):
    resident = neighbour(user=cast.resident)
    help_request = services.help_request_create(
        by=cast.resident, resident_id=None, kind="company", recurrence="weekly", weekday=2
    )
    assert help_request.resident == resident
    assert list(selectors.help_requests_visible_to(cast.resident)) == [help_request]


@pytest.mark.parametrize(("field", "value"), [("radius_m", 0), ("max_open_tasks", 0), ("kinds", [])])
def test_an_offer_with_radius_or_capacity_zero_is_refused(cast: Cast, field, value):
    data: dict[str, Any] = {"neighbourhood_id": cast.north.pk, "kinds": ["meal"], "radius_m": 500, "max_open_tasks": 1}
    with pytest.raises(ValidationError) as refused:
        services.help_offer_save(by=cast.volunteer, **(data | {field: value}))
    assert field in refused.value.message_dict


def test_a_coordinator_enters_an_offer_for_a_volunteer_but_a_professional_cannot(cast: Cast):
    data: dict[str, Any] = {"neighbourhood_id": cast.north.pk, "kinds": ["meal"], "radius_m": 500, "max_open_tasks": 1}
    offer = services.help_offer_save(by=cast.coordinator, helper_id=cast.volunteer.pk, **data)
    assert offer.helper == cast.volunteer
    again = services.help_offer_save(by=cast.volunteer, **(data | {"radius_m": 800}))
    assert again.pk == offer.pk  # one offer per helper
    assert again.radius_m == 800
    with pytest.raises(NotFound):
        services.help_offer_save(by=cast.professional, helper_id=cast.volunteer.pk, **data)


def test_the_home_location_comes_from_an_address_in_the_city(cast: Cast, neighbour):
    resident = neighbour(dx=321.0)
    household = resident.household
    offer = services.help_offer_save(
        by=cast.volunteer,
        neighbourhood_id=cast.north.pk,
        kinds=["walk"],
        radius_m=500,
        max_open_tasks=1,
        postcode=household.postcode,
        house_number=household.house_number,
    )
    assert (offer.x, offer.y) == (household.x, household.y)


def _proposed(help_request, offer) -> Match:
    match = services.propose(
        help_request=help_request, offer=offer, run=None, distance_m=100, same_language=None, continuity=False, by=None
    )
    assert match is not None
    return match


def test_a_helper_sees_only_what_the_task_needs_and_nothing_after_it_is_done(cast: Cast, neighbour, helper, ask):
    resident = neighbour(first_name="Truus", last_name="de Vries", phone="0611122233", lives_alone=True)
    offer = helper(user=cast.volunteer)
    match = _proposed(ask(resident, description="Boodschappen"), offer)
    volunteer = cast.volunteer

    proposed = selectors.task_view(volunteer, match, when="")
    assert (proposed.first_name, proposed.phone, proposed.description) == ("Truus", "", "Boodschappen")
    assert proposed.address.startswith("Lindelaan ")
    assert "de Vries" not in str(proposed.__dict__)

    services.match_accept(by=volunteer, match_id=match.pk)
    match.refresh_from_db()
    assert selectors.task_view(volunteer, match, when="").phone == "0611122233"
    seen = AuditEvent.objects.filter(actor=volunteer, object_id=str(resident.pk)).order_by("pk").last()
    assert seen is not None
    assert "phone" in seen.fields

    services.match_done(by=volunteer, match_id=match.pk, note="Alles gehaald")
    match.refresh_from_db()
    after = selectors.task_view(volunteer, match, when="")
    assert (after.address, after.phone, after.description) == ("", "", "")
    assert match.request.status == RequestStatus.DONE
    assert HelpGiven.objects.get().note == "Alles gehaald"
    assert _statuses(match.request) == ["open", "proposed", "accepted", "done"]


def test_another_helper_cannot_answer_or_see_the_task(cast: Cast, neighbour, helper, ask):
    match = _proposed(ask(neighbour()), helper())
    with pytest.raises(NotFound):
        services.match_accept(by=cast.volunteer, match_id=match.pk)
    with pytest.raises(NotFound):
        selectors.match_of_helper(cast.volunteer, match.pk)


def test_a_second_helper_asked_cannot_take_a_request_already_taken(neighbour, helper, ask):
    help_request = ask(neighbour())
    first, second = _proposed(help_request, helper()), _proposed(help_request, helper(dx=200))
    services.match_accept(by=first.offer.helper, match_id=first.pk)
    with pytest.raises(ValidationError, match="al aangenomen"):
        services.match_accept(by=second.offer.helper, match_id=second.pk)
    assert Match.objects.filter(request=help_request, status=MatchStatus.ACCEPTED).count() == 1
    second.refresh_from_db()
    assert second.status == MatchStatus.WITHDRAWN


def test_accepting_twice_is_harmless(neighbour, helper, ask):
    match = _proposed(ask(neighbour()), helper())
    services.match_accept(by=match.offer.helper, match_id=match.pk)
    services.match_accept(by=match.offer.helper, match_id=match.pk)
    assert _statuses(match.request) == ["open", "proposed", "accepted"]


def test_a_decline_frees_the_request(neighbour, helper, ask):
    match = _proposed(ask(neighbour()), helper())
    services.match_decline(by=match.offer.helper, match_id=match.pk, note="Ben op vakantie")
    match.request.refresh_from_db()
    assert match.request.status == RequestStatus.OPEN
    with pytest.raises(ValidationError):
        services.match_accept(by=match.offer.helper, match_id=match.pk)


def test_weekly_help_goes_on_and_the_worker_checks_in_after_the_first_and_every_tenth_time(
    cast: Cast, neighbour, helper, ask
):
    help_request = ask(neighbour(), kind="company", recurrence="weekly", weekday=1)
    offer = helper(kinds=("company",))
    match = _proposed(help_request, offer)
    services.match_accept(by=offer.helper, match_id=match.pk)
    today = timezone.localdate()
    for week in range(10, -1, -1):
        services.match_done(by=offer.helper, match_id=match.pk, given_on=today - timedelta(days=week * 3 % 31))
    help_request.refresh_from_db()
    assert help_request.status == RequestStatus.ACCEPTED  # weekly help does not end by itself
    times = help_request.times_helped
    assert times == HelpGiven.objects.count()
    assert list(CheckIn.objects.values_list("occasion", flat=True)) == [n for n in (1, 10) if n <= times]
    assert CheckIn.objects.filter(worker=cast.professional).exists()
    assert Notification.objects.filter(user=cast.professional, text__contains="burenhulp").exists()


def test_a_second_done_on_the_same_day_records_nothing_more(neighbour, helper, ask):
    help_request = ask(neighbour(), kind="company", recurrence="weekly", weekday=1)
    offer = helper(kinds=("company",))
    match = _proposed(help_request, offer)
    services.match_accept(by=offer.helper, match_id=match.pk)
    services.match_done(by=offer.helper, match_id=match.pk)
    services.match_done(by=offer.helper, match_id=match.pk)
    assert HelpGiven.objects.count() == 1


def test_only_an_accepted_task_can_be_done(neighbour, helper, ask):
    match = _proposed(ask(neighbour()), helper())
    with pytest.raises(ValidationError):
        services.match_done(by=match.offer.helper, match_id=match.pk)


def test_cancelling_a_request_ends_its_task(cast: Cast, neighbour, helper, ask):
    match = _proposed(ask(neighbour()), helper())
    services.match_accept(by=match.offer.helper, match_id=match.pk)
    services.help_request_cancel(by=cast.professional, request_id=match.request_id, note="Dochter helpt nu")
    match.refresh_from_db()
    assert match.status == MatchStatus.CANCELLED
    assert selectors.task_view(match.offer.helper, match, when="").address == ""


def test_a_worker_asks_another_helper_and_the_offer_must_fit(cast: Cast, neighbour, helper, ask):
    help_request = ask(neighbour())
    meals_only = helper(kinds=("meal",))
    with pytest.raises(ValidationError):
        services.helper_propose(by=cast.professional, request_id=help_request.pk, offer_id=meals_only.pk)
    offer = helper()
    match = services.helper_propose(by=cast.professional, request_id=help_request.pk, offer_id=offer.pk)
    assert match.status == MatchStatus.PROPOSED
    with pytest.raises(ValidationError):  # not twice to the same helper
        services.helper_propose(by=cast.professional, request_id=help_request.pk, offer_id=offer.pk)


def test_idle_helpers_have_no_task_in_thirty_days(cast: Cast, neighbour, helper, ask):
    busy, idle = helper(), helper(dx=300)
    _proposed(ask(neighbour()), busy)
    assert selectors.idle_helpers(cast.coordinator) == [idle]
    assert selectors.idle_helpers(cast.volunteer) == []


def test_expired_one_off_requests(cast: Cast, neighbour, ask):
    help_request = ask(neighbour(), last_day=timezone.localdate())
    assert services.expire_requests(cast.organisation.pk, today=timezone.localdate() + timedelta(days=1)) == 1
    help_request.refresh_from_db()
    assert help_request.status == RequestStatus.EXPIRED


def test_a_helper_of_another_organisation_is_never_proposed(cast: Cast, neighbour, ask):
    outsider = UserFactory.create(volunteer=True, organisation=cast.outsider_coordinator.organisation)
    with pytest.raises(ValidationError):
        services.help_offer_save(
            by=outsider, neighbourhood_id=cast.north.pk, kinds=["meal"], radius_m=5, max_open_tasks=1
        )


def test_help_given_shows_on_the_residents_timeline_for_professionals(cast: Cast, neighbour, helper, ask, client):
    resident = neighbour()
    match = _proposed(ask(resident), helper())
    services.match_accept(by=match.offer.helper, match_id=match.pk)
    services.match_done(by=match.offer.helper, match_id=match.pk, note="Soep gebracht")
    client.force_login(cast.professional)
    page = client.get(f"/bewoners/{resident.pk}/").content.decode()
    assert "Soep gebracht" in page
