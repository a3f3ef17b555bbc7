"""API of outreach rounds: start a round (planned in the background), read it, log what happened at a door."""

from datetime import date, datetime, time
from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from veerkracht.contacts.models import ConcernCategory
from veerkracht.core.access import Capability
from veerkracht.core.exceptions import NotFound
from veerkracht.core.gate import require_capability
from veerkracht.core.models import User
from veerkracht.core.windows import PlannedDate
from veerkracht.outreach import selectors, services
from veerkracht.outreach.models import OutreachRound, RoundStop, RoundWalker, Visit
from veerkracht.outreach.presentation import door_for, state_of
from veerkracht.outreach.vocabulary import Outcome, VisitKind

router = Router(tags=["outreach"])


class WalkerIn(Schema):
    worker_id: int
    starts: time = Field(..., description="when the walker starts, e.g. 09:30")
    ends: time = Field(..., description="when the walker must be back at the start")
    place_id: int | None = Field(None, description="start at a meeting place of the organisation")
    postcode: str = Field("", max_length=7, description="or start at an address: postcode and house number")
    house_number: int | None = Field(None, ge=1, le=99999)


class RoundIn(Schema):
    neighbourhood_id: int
    date: PlannedDate
    kinds: list[VisitKind] = Field(..., min_length=1, description="porch_talk, intercom, home_visit")
    walkers: list[WalkerIn] = Field(..., min_length=1, max_length=20)


class RoundQueued(Schema):
    round_id: int
    task_id: UUID
    status: str


class StopOut(Schema):
    id: int
    position: int
    resident_id: int
    name: str
    address: str
    kind: str
    expected_at: datetime
    priority: int | None = Field(..., description="empty for those who only walk (least data)")
    reasons: list[str] = Field(..., description="why this door; empty for those who only walk (least data)")
    outcome: str | None


class WalkerOut(Schema):
    id: int
    worker_id: int
    name: str
    start: str
    starts_at: datetime
    ends_at: datetime
    stops: list[StopOut]


class RoundOut(Schema):
    id: int
    neighbourhood_id: int
    date: date
    kinds: list[str]
    status: str = Field(..., description="planning, planned or failed")
    progress: int
    problem: str = Field(..., description="no_candidates, too_short or error when the round could not be planned")
    message: str
    task_id: UUID | None
    candidates: int
    walkers: list[WalkerOut]


class VisitIn(Schema):
    outcome: Outcome
    channel: VisitKind | None = Field(None, description="how you talked (talked or concern)")
    note: str = Field("", max_length=500)
    category: ConcernCategory | None = Field(None, description="a concern's category")
    severity: int | None = Field(None, ge=1, le=3, description="a concern's severity")


class VisitOut(Schema):
    id: int
    stop_id: int
    outcome: str
    channel: str
    note: str
    at: datetime
    contact_id: int | None
    concern_id: int | None


def _stop_out(stop: RoundStop, user: User) -> dict[str, Any]:
    household = stop.resident.household
    visit = getattr(stop, "visit", None)
    door = door_for(user, stop)
    return {
        "id": stop.pk,
        "position": stop.position,
        "resident_id": stop.resident_id,
        "name": door.name,
        "address": household.address if household else "",
        "kind": stop.kind,
        "expected_at": stop.expected_at,
        "priority": door.priority,
        "reasons": door.reasons,
        "outcome": visit.outcome if visit else None,
    }


def _walker_out(walker: RoundWalker, stops: list[RoundStop], user: User) -> dict[str, Any]:
    return {
        "id": walker.pk,
        "worker_id": walker.worker_id,
        "name": walker.worker.display_name,
        "start": walker.start_label,
        "starts_at": walker.starts_at,
        "ends_at": walker.ends_at,
        "stops": [_stop_out(stop, user) for stop in stops],
    }


def round_out(round_: OutreachRound, walkers: list[RoundWalker], user: User, request: HttpRequest) -> dict[str, Any]:
    state = state_of(round_)
    stops = selectors.stops_of(walkers, user)
    return {
        "id": round_.pk,
        "neighbourhood_id": round_.neighbourhood_id,
        "date": round_.date,
        "kinds": round_.kinds,
        "status": state.status,
        "progress": state.progress,
        "problem": state.problem,
        "message": state.message,
        "task_id": round_.run_id,
        "candidates": round_.candidates,
        "walkers": [_walker_out(walker, stops[walker.pk], user) for walker in walkers],
    }


@router.post("/outreach/rounds", response={202: RoundQueued})
def rounds_create(request: HttpRequest, payload: RoundIn) -> Status[dict[str, Any]]:
    """Start a round for a day: 202 with the round and task; ``GET`` the round for progress and the plan.

    422 on ``neighbourhood_id`` when nobody there needs a visit, on ``walkers`` for a walker
    without hours or start point, or hours too short for any door.
    """
    user = require_capability(request, Capability.PLAN_OUTREACH)
    round_ = services.round_start(
        by=user,
        neighbourhood_id=payload.neighbourhood_id,
        on=payload.date,
        kinds=[str(kind) for kind in payload.kinds],
        walkers=[services.WalkerPlan(**walker.dict()) for walker in payload.walkers],
    )
    return Status(202, {"round_id": round_.pk, "task_id": round_.run_id, "status": "queued"})


@router.get("/outreach/rounds/{round_id}", response=RoundOut)
def rounds_read(request: HttpRequest, round_id: int) -> dict[str, Any]:
    """A round with every walker's list (a planner), or the caller's own list (a walker)."""
    user = require_capability(request, Capability.WALK_OUTREACH)
    try:
        round_ = selectors.round_for_planner(user, round_id)
        walkers = list(round_.walkers.select_related("worker"))
    except NotFound:
        walker = selectors.walker_of(user, round_id)
        round_, walkers = walker.round, [walker]
    return round_out(round_, walkers, user, request)


def visit_out(visit: Visit) -> dict[str, Any]:
    fields = ("id", "stop_id", "outcome", "channel", "note", "at", "contact_id", "concern_id")
    return {name: getattr(visit, name) for name in fields}


@router.post("/outreach/rounds/{round_id}/visits/{stop_id}", response={201: VisitOut})
def visits_create(request: HttpRequest, round_id: int, stop_id: int, payload: VisitIn) -> Status[dict[str, Any]]:
    """Tick a door. Once per door: a second outcome answers 422 on ``outcome`` saying who ticked it first."""
    user = require_capability(request, Capability.WALK_OUTREACH)
    if not selectors.stops_writable_by(user).filter(pk=stop_id, round_id=round_id).exists():
        raise Http404
    visit = services.visit_log(
        by=user,
        stop_id=stop_id,
        outcome=str(payload.outcome),
        channel=str(payload.channel or ""),
        note=payload.note,
        category=str(payload.category or ""),
        severity=payload.severity,
    )
    return Status(201, visit_out(visit))
