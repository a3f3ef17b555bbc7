"""API of neighbour help: requests, offers, matching runs and a helper's tasks."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from veerkracht.core.access import Capability, can, neighbourhoods_covered_by, request_user
from veerkracht.core.gate import require_capability
from veerkracht.core.models import TaskRun, User
from veerkracht.core.pagination import PageQuery, listing, page_of
from veerkracht.core.windows import PastDate, PlannedDate
from veerkracht.help import selectors, services
from veerkracht.help.models import CheckIn, HelpOffer, HelpRequest, Recurrence, RequestStatus
from veerkracht.help.vocabulary import ALL_MOMENTS, HelpKind, describe_when, moments_from
from veerkracht.people.selectors import audit_residents_listed

router = Router(tags=["help"])


def _asker(request: HttpRequest) -> User:
    """A worker who enters requests, or a resident asking for themselves; an audited 404 otherwise."""
    user = request_user(request)
    if can(user, Capability.ASK_HELP):
        return user
    return require_capability(request, Capability.MATCH_HELP)


class HelpRequestIn(Schema):
    resident_id: int | None = Field(
        None, description="the resident it is for; a resident asking for themselves may leave it out"
    )
    kind: HelpKind
    recurrence: Recurrence = Recurrence.ONCE
    first_day: PlannedDate | None = None
    last_day: PlannedDate | None = Field(None, description="one-off help: the last day it is still useful")
    weekday: int | None = Field(None, ge=0, le=6, description="weekly help: Monday = 0")
    part_of_day: int | None = Field(None, ge=0, le=2, description="0 morning, 1 afternoon, 2 evening")
    language: str = Field("", max_length=3)
    description: str = Field("", max_length=300)


class HelpRequestOut(Schema):
    id: int
    resident_id: int
    kind: str
    recurrence: str
    first_day: date
    last_day: date | None
    weekday: int | None
    part_of_day: int | None
    when: str
    language: str
    description: str
    status: str
    unmatched_reason: str
    times_helped: int
    created_at: datetime
    warnings: list[str] = Field(default_factory=list)


class HelpRequestQuery(PageQuery):
    status: RequestStatus | None = None
    neighbourhood_id: int | None = None


class HelpRequestPage(Schema):
    items: list[HelpRequestOut]
    count: int


class HelpOfferIn(Schema):
    helper_id: int | None = Field(None, description="a coordinator entering the offer of a helper; else one's own")
    neighbourhood_id: int
    kinds: list[HelpKind] = Field(..., min_length=1)
    radius_m: int = Field(..., description="how far from home the helper will go, in metres (1 to 25,000)")
    max_open_tasks: int = Field(..., description="at most this many tasks at once (1 to 20)")
    moments: list[int] | None = Field(
        None, description="weekly moments: day × 3 + part (Monday morning = 0 ... Sunday evening = 20); none: always"
    )
    languages: list[str] = Field([], max_length=10)
    postcode: str = Field("", max_length=7)
    house_number: int | None = Field(None, ge=1, le=99999)
    active: bool = True


class HelpOfferOut(Schema):
    id: int
    helper_id: int
    neighbourhood_id: int
    kinds: list[str]
    radius_m: int
    max_open_tasks: int
    moments: list[int]
    languages: list[str]
    active: bool


class MatchIn(Schema):
    neighbourhood_id: int | None = Field(None, description="none: every neighbourhood the caller covers")


class TaskQueued(Schema):
    task_id: UUID
    status: str


class TaskOut(Schema):
    task_id: UUID
    status: str
    progress: int
    result: dict[str, Any] | None


class MyTaskOut(Schema):
    match_id: int
    status: str
    kind: str
    recurrence: str
    when: str
    description: str
    first_name: str
    address: str
    phone: str
    distance_m: int


class DeclineIn(Schema):
    note: str = Field("", max_length=300)


class DoneIn(Schema):
    note: str = Field("", max_length=300)
    given_on: PastDate | None = None


class DoneOut(Schema):
    match_id: int
    given_on: date
    note: str


class NeighbourhoodQuery(PageQuery):
    neighbourhood_id: int | None = Field(None, description="one neighbourhood the caller covers; none: all of them")


class IdleHelperOut(Schema):
    offer_id: int
    helper_id: int
    helper_name: str
    neighbourhood_id: int
    kinds: list[str]
    radius_m: int
    max_open_tasks: int
    moments: list[int]
    languages: list[str]


class IdleHelperPage(Schema):
    items: list[IdleHelperOut]
    count: int


class CheckInOut(Schema):
    id: int
    request_id: int
    resident_id: int
    kind: str
    occasion: int = Field(description="after how many times of help")
    created_at: datetime
    done_at: datetime | None
    note: str


class CheckInPage(Schema):
    items: list[CheckInOut]
    count: int


class CheckInDoneIn(Schema):
    note: str = Field("", max_length=300, description="how is it going?")


def when_of(help_request: HelpRequest) -> str:
    return describe_when(
        weekly=help_request.recurrence == Recurrence.WEEKLY,
        first_day=help_request.first_day,
        last_day=help_request.last_day,
        weekday=help_request.weekday,
        part=help_request.part_of_day,
    )


def request_out(help_request: HelpRequest, warnings: list[str] | None = None) -> dict[str, Any]:
    fields = (
        "id", "resident_id", "kind", "recurrence", "first_day", "last_day", "weekday", "part_of_day",
        "language", "description", "status", "unmatched_reason", "times_helped", "created_at",
    )  # fmt: skip
    return {name: getattr(help_request, name) for name in fields} | {
        "when": when_of(help_request),
        "warnings": warnings or [],
    }


def offer_out(offer: HelpOffer) -> dict[str, Any]:
    fields = ("id", "helper_id", "neighbourhood_id", "kinds", "radius_m", "max_open_tasks", "languages", "active")
    moments = [bit for bit in range(ALL_MOMENTS.bit_length()) if offer.availability >> bit & 1]
    return {name: getattr(offer, name) for name in fields} | {"moments": moments}


def idle_out(offer: HelpOffer) -> dict[str, Any]:
    data = offer_out(offer)
    data["offer_id"] = data.pop("id")
    return data | {"helper_name": offer.helper.display_name}


def check_in_out(check_in: CheckIn) -> dict[str, Any]:
    fields = ("id", "request_id", "occasion", "created_at", "done_at", "note")
    return {name: getattr(check_in, name) for name in fields} | {
        "resident_id": check_in.request.resident_id,
        "kind": check_in.request.kind,
    }


def _covered(user: User, neighbourhood_id: int | None) -> int | None:
    """The neighbourhood filter: one the caller covers (404 otherwise), as on the board."""
    if neighbourhood_id is not None and not neighbourhoods_covered_by(user).filter(pk=neighbourhood_id).exists():
        raise Http404
    return neighbourhood_id


def task_out(run: TaskRun) -> dict[str, Any]:
    return {"task_id": run.pk, "status": run.status, "progress": run.progress, "result": run.result}


@router.post("/help/requests", response={201: HelpRequestOut})
def help_requests_create(request: HttpRequest, payload: HelpRequestIn) -> Status[dict[str, Any]]:
    """Enter a request for a resident in the caller's scope (or, as a resident, for oneself)."""
    user = _asker(request)
    help_request = services.help_request_create(by=user, **payload.dict())
    warnings = [] if services.kind_offered(user, help_request.kind) else [_("Nobody offers this kind of help yet.")]
    return Status(201, request_out(help_request, warnings))


@router.get("/help/requests", response=HelpRequestPage)
def help_requests_list(request: HttpRequest, query: Query[HelpRequestQuery]) -> dict[str, Any]:
    """Requests in the caller's scope (a resident's own), waiting longest first."""
    user = _asker(request)
    rows, count = page_of(
        selectors.help_request_list(user, neighbourhood_id=query.neighbourhood_id, status=query.status or ""), query
    )
    audit_residents_listed(user, [row.resident for row in rows])
    return listing([request_out(row) for row in rows], count)


@router.post("/help/offers", response={201: HelpOfferOut})
def help_offers_create(request: HttpRequest, payload: HelpOfferIn) -> Status[dict[str, Any]]:
    """Create or replace an offer of help: one's own, or (a coordinator) a helper's."""
    user = request_user(request)
    if not (can(user, Capability.OFFER_HELP) or can(user, Capability.MATCH_HELP)):
        require_capability(request, Capability.OFFER_HELP)
    data = payload.dict()
    moments = data.pop("moments")
    offer = services.help_offer_save(by=user, availability=moments_from(moments), **data)
    return Status(201, offer_out(offer))


@router.post("/help/match", response={202: TaskQueued})
def help_match(request: HttpRequest, payload: MatchIn) -> Status[dict[str, Any]]:
    """Start a matching run for a neighbourhood (or all the caller covers); poll the task for the result."""
    user = require_capability(request, Capability.MATCH_HELP)
    run = services.match_run_start(by=user, neighbourhood_id=payload.neighbourhood_id)
    return Status(202, {"task_id": run.pk, "status": "queued"})


@router.get("/help/match/{task_id}", response=TaskOut)
def help_match_status(request: HttpRequest, task_id: str) -> dict[str, Any]:
    """A matching run's status, progress (0-100) and, when done, its result."""
    user = require_capability(request, Capability.MATCH_HELP)
    return task_out(selectors.match_run_for(user, task_id))


@router.get("/help/my-matches", response=list[MyTaskOut])
def help_my_matches(request: HttpRequest) -> list[dict[str, Any]]:
    """The caller's own tasks as a helper, with only what each task needs."""
    user = require_capability(request, Capability.OFFER_HELP)
    return [
        selectors.task_view(user, match, when=when_of(match.request)).__dict__
        for match in selectors.matches_of_helper(user)[:100]
    ]


def _match_view(request: HttpRequest, user: User, match_id: int) -> dict[str, Any]:
    match = selectors.match_of_helper(user, match_id)
    return selectors.task_view(user, match, when=when_of(match.request)).__dict__


@router.post("/help/matches/{match_id}/accept", response=MyTaskOut)
def help_match_accept(request: HttpRequest, match_id: int) -> dict[str, Any]:
    """Take a proposed task. If another helper took it first: 422 on ``match``."""
    user = require_capability(request, Capability.OFFER_HELP)
    services.match_accept(by=user, match_id=match_id)
    return _match_view(request, user, match_id)


@router.post("/help/matches/{match_id}/decline", response=MyTaskOut)
def help_match_decline(request: HttpRequest, match_id: int, payload: DeclineIn) -> dict[str, Any]:
    """Decline a proposed task, or give back an accepted one."""
    user = require_capability(request, Capability.OFFER_HELP)
    services.match_decline(by=user, match_id=match_id, note=payload.note)
    return _match_view(request, user, match_id)


@router.post("/help/matches/{match_id}/done", response=DoneOut)
def help_match_done(request: HttpRequest, match_id: int, payload: DoneIn) -> dict[str, Any]:
    """Record help given on an accepted task (by its helper, or a worker in scope)."""
    user = request_user(request)
    if not (can(user, Capability.OFFER_HELP) or can(user, Capability.MATCH_HELP)):
        require_capability(request, Capability.OFFER_HELP)
    given = services.match_done(by=user, match_id=match_id, note=payload.note, given_on=payload.given_on)
    return {"match_id": given.match_id, "given_on": given.given_on, "note": given.note}


@router.get("/help/waiting", response=HelpRequestPage)
def help_waiting(request: HttpRequest, query: Query[NeighbourhoodQuery]) -> dict[str, Any]:
    """Open requests in scope, the one that has waited longest first, with why the last run left it."""
    user = require_capability(request, Capability.MATCH_HELP)
    neighbourhood_id = _covered(user, query.neighbourhood_id)
    rows, count = page_of(selectors.waiting_requests(user, neighbourhood_id=neighbourhood_id), query)
    audit_residents_listed(user, [row.resident for row in rows])
    return listing([request_out(row) for row in rows], count)


@router.get("/help/idle-helpers", response=IdleHelperPage)
def help_idle_helpers(request: HttpRequest, query: Query[NeighbourhoodQuery]) -> dict[str, Any]:
    """Active helpers of the organisation with no task in the last 30 days: who could be asked."""
    user = require_capability(request, Capability.MATCH_HELP)
    neighbourhood_id = _covered(user, query.neighbourhood_id)
    rows, count = page_of(selectors.idle_offers(user, neighbourhood_id=neighbourhood_id), query)
    return listing([idle_out(offer) for offer in rows], count)


@router.get("/help/check-ins", response=CheckInPage)
def help_check_ins(request: HttpRequest, query: Query[PageQuery]) -> dict[str, Any]:
    """The caller's check-ins still to do (is the help going well?), oldest first."""
    user = require_capability(request, Capability.MATCH_HELP)
    rows, count = page_of(selectors.check_ins_due(user), query)
    audit_residents_listed(user, [row.request.resident for row in rows])
    return listing([check_in_out(row) for row in rows], count)


@router.post("/help/check-ins/{check_in_id}/done", response=CheckInOut)
def help_check_in_done(request: HttpRequest, check_in_id: int, payload: CheckInDoneIn) -> dict[str, Any]:
    """Record one's own check-in as done, with how it is going; done already: answered as it was."""
    user = require_capability(request, Capability.MATCH_HELP)
    check_in = services.check_in_done(by=user, check_in_id=check_in_id, note=payload.note)
    return check_in_out(check_in)
