"""Reads of outreach rounds, always through the user's scope.

Planners (coordinators, professionals) see the rounds of the neighbourhoods they cover. A walker
sees their own list on a round and, of each resident on it, what a door needs: name and address.
"""

from django.db.models import Q, QuerySet

from veerkracht.core.access import Capability, can, neighbourhoods_covered_by, organisation_id_of, within_organisation
from veerkracht.core.db import rows_with_parents
from veerkracht.core.exceptions import NotFound
from veerkracht.core.models import User
from veerkracht.outreach.models import DoorFlag, OutreachRound, RoundStop, RoundWalker
from veerkracht.people.models import Resident
from veerkracht.people.selectors import audit_residents_listed


def rounds_planned_by_scope(user: User) -> QuerySet[OutreachRound]:
    """The rounds a planner may see: those of the neighbourhoods the user covers."""
    if not can(user, Capability.PLAN_OUTREACH):
        return OutreachRound.objects.none()
    rounds = within_organisation(OutreachRound.objects.all(), user)
    return rounds.filter(neighbourhood__in=neighbourhoods_covered_by(user))


def round_for_planner(user: User, round_id: int) -> OutreachRound:
    """A round the user may plan and see whole; 404 otherwise."""
    found = rounds_planned_by_scope(user).select_related("neighbourhood", "run", "planned_by").filter(pk=round_id)
    round_ = found.first()
    if round_ is None:
        raise NotFound
    return round_


def walker_of(user: User, round_id: int) -> RoundWalker:
    """The user's own place on a round; 404 when they do not walk it."""
    walker = (
        RoundWalker.objects.filter(round_id=round_id, worker=user, round__organisation_id=organisation_id_of(user))
        .select_related("round", "round__neighbourhood", "worker")
        .first()
    )
    if walker is None or not can(user, Capability.WALK_OUTREACH):
        raise NotFound
    return walker


def stops_writable_by(user: User) -> QuerySet[RoundStop]:
    """Stops whose outcome the user may log: their own, or any on a round they may plan."""
    if not can(user, Capability.WALK_OUTREACH):
        return RoundStop.objects.none()
    stops = RoundStop.objects.filter(round__organisation_id=organisation_id_of(user))
    planned = Q(round__in=rounds_planned_by_scope(user).values("pk"))
    return stops.filter(planned | Q(walker__worker=user))


def stops_of(walkers: list[RoundWalker], user: User) -> dict[int, list[RoundStop]]:
    """The stops of each walker in visiting order with their visits; reading the list is audited."""
    stops = (
        RoundStop.objects.filter(walker__in=walkers)
        .select_related("resident", "resident__household", "visit")
        .order_by("walker_id", "position")
    )
    by_walker: dict[int, list[RoundStop]] = {walker.pk: [] for walker in walkers}
    for stop in stops:
        by_walker[stop.walker_id].append(stop)
    audit_residents_listed(user, [stop.resident for stop in stops])
    return by_walker


def my_rounds(user: User) -> list[RoundWalker]:
    """The user's places on rounds, the most recent day first."""
    walkers = RoundWalker.objects.filter(worker=user, round__organisation_id=organisation_id_of(user))
    return list(walkers.select_related("round", "round__neighbourhood").order_by("-round__date", "-pk")[:20])


def door_flag(user: object, resident: Resident) -> bool | None:
    """The 'visit this door' button on a resident's page: True when a flag is open (None when not)
    for users who plan rounds; False for everyone else, who get no button."""
    if not (isinstance(user, User) and can(user, Capability.PLAN_OUTREACH)):
        return False
    # On every resident's page of a worker who plans rounds: core/db.py's statement.
    return bool(rows_with_parents(DoorFlag, resident=resident.pk, cleared_at=None)) or None
