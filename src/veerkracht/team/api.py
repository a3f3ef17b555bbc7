"""API of the team: the public volunteer sign-up and time sheets."""

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from pydantic import field_validator

from veerkracht.core import throttle
from veerkracht.core.access import Capability, can, request_user
from veerkracht.core.api_contract import ErrorOut
from veerkracht.core.audit import client_ip
from veerkracht.core.gate import require_capability
from veerkracht.core.models import Organisation
from veerkracht.core.pagination import PageQuery, listing, page_of
from veerkracht.core.windows import PlannedDate, month_start
from veerkracht.help.vocabulary import moments_from
from veerkracht.team import selectors, services, timesheets
from veerkracht.team.models import EntryKind, SheetStatus, TimeSheet

router = Router(tags=["team"])


class SignUpIn(Schema):
    organisation: str = Field(..., max_length=60, description="the organisation's short name")
    first_name: str = Field(..., min_length=1, max_length=100)
    last_name: str = Field(..., min_length=1, max_length=100)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=20)
    neighbourhood_id: int | None = None
    interests: list[str] = Field(default_factory=list, description="kinds of help, activities, outreach, webinars")
    languages: list[str] = Field(default_factory=list)
    moments: list[int] = Field(default_factory=list, description="weekly moments: day × 3 + part (Monday morning = 0)")
    motivation: str = Field("", max_length=1000)
    consent: bool = False


class SignUpOut(Schema):
    id: int
    status: str


class EntryIn(Schema):
    kind: EntryKind
    hours: float = Field(..., gt=0, le=24, description="in steps of a quarter hour")
    activity_id: int | None = None
    match_id: int | None = Field(None, description="a help task of the worker")
    description: str = Field("", max_length=200)


class TimeSheetIn(Schema):
    day: PlannedDate
    worker_id: int | None = Field(None, description="only oneself; another worker is refused")
    entries: list[EntryIn] = Field(..., max_length=30)


class EntryOut(Schema):
    kind: str
    hours: float
    activity_id: int | None
    match_id: int | None
    description: str


class TimeSheetOut(Schema):
    id: int
    worker_id: int
    day: date
    status: str
    hours: float
    entries: list[EntryOut]
    reviewed_by_id: int | None
    reviewed_at: datetime | None
    review_note: str


class TimeSheetPage(Schema):
    items: list[TimeSheetOut]
    count: int


class TimeSheetQuery(PageQuery):
    month: str = Field("", pattern=r"^(\d{4}-\d{2})?$", description="YYYY-MM")
    worker_id: int | None = None
    status: SheetStatus | None = None

    @field_validator("month")
    @classmethod
    def _a_month_in_reach(cls, value: str) -> str:
        if value:
            month_start(value)  # 2026-13 or 9999-12: 422 naming the field
        return value


class ReviewIn(Schema):
    note: str = Field("", max_length=300)


@router.post("/volunteers/signup", auth=None, response={201: SignUpOut, 429: ErrorOut})
def volunteers_signup(request: HttpRequest, payload: SignUpIn) -> Status[dict[str, Any]]:
    """A would-be volunteer signs up (public; a flood from one address answers 429)."""
    organisation = get_object_or_404(Organisation, slug=payload.organisation)
    limit = settings.PUBLIC_REGISTRATIONS_PER_HOUR
    if throttle.over_rate("volunteer-signup", client_ip(request), limit=limit, window_s=3600):
        return Status(429, {"detail": "too_many_sign_ups"})
    data = payload.dict()
    data.pop("organisation")
    moments = data.pop("moments")
    sign_up = services.SignUp(**data, availability=moments_from(moments) if moments else 0)
    application = services.volunteer_sign_up(organisation=organisation, sign_up=sign_up)
    return Status(201, {"id": application.pk, "status": application.status})


def sheet_out(sheet: TimeSheet) -> dict[str, Any]:
    entries = [
        {
            "kind": entry.kind,
            "hours": round(entry.minutes / 60, 2),
            "activity_id": entry.activity_id,
            "match_id": entry.match_id,
            "description": entry.description,
        }
        for entry in sheet.entries.all()
    ]
    fields = ("id", "worker_id", "day", "status", "reviewed_by_id", "reviewed_at", "review_note")
    return {name: getattr(sheet, name) for name in fields} | {
        "entries": entries,
        "hours": round(sum(entry.minutes for entry in sheet.entries.all()) / 60, 2),
    }


def _hours_user(request: HttpRequest) -> Any:
    user = request_user(request)
    if can(user, Capability.REPORT_HOURS) or can(user, Capability.MANAGE_TEAMS):
        return user
    return require_capability(request, Capability.REPORT_HOURS)


@router.get("/timesheets", response=TimeSheetPage, tags=["team"])
def timesheets_list(request: HttpRequest, query: Query[TimeSheetQuery]) -> dict[str, Any]:
    """Time sheets: one's own (a worker), or the organisation's (a coordinator); newest day first."""
    user = _hours_user(request)
    month = month_start(query.month) if query.month else None
    sheets = selectors.time_sheets_in(user, month=month, worker_id=query.worker_id)
    if query.status:
        sheets = sheets.filter(status=query.status)
    rows, count = page_of(sheets, query)
    return listing([sheet_out(sheet) for sheet in rows], count)


@router.post("/timesheets", response={201: TimeSheetOut}, tags=["team"])
def timesheets_save(request: HttpRequest, payload: TimeSheetIn) -> Status[dict[str, Any]]:
    """Fill in one's own day (replacing what was there); over 24 hours or another worker's day: 422."""
    user = require_capability(request, Capability.REPORT_HOURS)
    entries = [
        timesheets.Entry(
            kind=entry.kind,
            minutes=round(entry.hours * 60),
            activity_id=entry.activity_id,
            match_id=entry.match_id,
            description=entry.description,
        )
        for entry in payload.entries
    ]
    sheet = timesheets.time_sheet_save(by=user, day=payload.day, entries=entries, worker_id=payload.worker_id)
    return Status(201, sheet_out(sheet))


def _review(request: HttpRequest, sheet_id: int, *, approve: bool, note: str) -> dict[str, Any]:
    user = require_capability(request, Capability.MANAGE_TEAMS)
    try:
        sheet = timesheets.time_sheet_review(by=user, sheet_id=sheet_id, approve=approve, note=note)
    except TimeSheet.DoesNotExist:
        raise Http404 from None
    return sheet_out(sheet)


@router.post("/timesheets/{sheet_id}/approve", response=TimeSheetOut, tags=["team"])
def timesheets_approve(request: HttpRequest, sheet_id: int, payload: ReviewIn) -> dict[str, Any]:
    """A coordinator approves a day; it no longer changes."""
    return _review(request, sheet_id, approve=True, note=payload.note)


@router.post("/timesheets/{sheet_id}/return", response=TimeSheetOut, tags=["team"])
def timesheets_return(request: HttpRequest, sheet_id: int, payload: ReviewIn) -> dict[str, Any]:
    """A coordinator returns a day with a note saying what should change."""
    return _review(request, sheet_id, approve=False, note=payload.note)
