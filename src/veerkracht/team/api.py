"""API of the team: the public volunteer sign-up, the coordinator's intake and activation, time sheets."""

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from pydantic import field_validator

from veerkracht.core import throttle
from veerkracht.core.access import Capability, can, request_user
from veerkracht.core.api_contract import ErrorOut
from veerkracht.core.gate import require_capability
from veerkracht.core.models import Organisation, User
from veerkracht.core.origin import client_ip
from veerkracht.core.pagination import PageQuery, listing, page_of
from veerkracht.core.windows import PastDate, PlannedDate, month_start
from veerkracht.help.vocabulary import ALL_MOMENTS, moments_from
from veerkracht.team import selectors, services, timesheets
from veerkracht.team.models import ApplicationStatus, EntryKind, SheetStatus, TimeSheet, VolunteerApplication

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


class ApplicationOut(Schema):
    id: int
    status: str
    created_at: datetime
    first_name: str
    last_name: str
    email: str
    phone: str
    neighbourhood_id: int | None
    interests: list[str]
    languages: list[str]
    moments: list[int]
    motivation: str
    conversation_on: date | None
    reference_name: str
    reference_checked_on: date | None
    vog_requested_on: date | None
    vog_received_on: date | None
    intake_note: str
    intake_complete: bool = Field(description="conversation held, reference checked and VOG received")
    user_id: int | None
    activated_at: datetime | None


class ApplicationPage(Schema):
    items: list[ApplicationOut]
    count: int


class ApplicationQuery(PageQuery):
    status: ApplicationStatus | None = None


class IntakeIn(Schema):
    """The whole intake checklist: what is left out is empty afterwards."""

    conversation_on: PastDate | None = None
    reference_name: str = Field("", max_length=200, description="name and phone")
    reference_checked_on: PastDate | None = None
    vog_requested_on: PastDate | None = None
    vog_received_on: PastDate | None = None
    intake_note: str = Field("", max_length=2000)


class ActivateIn(Schema):
    team_id: int | None = Field(None, description="a team of the organisation to add the volunteer to")


class ActivationOut(Schema):
    application: ApplicationOut
    user_id: int
    emailed: bool = Field(description="the link to choose a password went to the volunteer's e-mail address")
    password_link: str | None = Field(description="without an e-mail address: hand this one-time link over")


class DeclineIn(Schema):
    note: str = Field("", max_length=300)


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


def application_out(application: VolunteerApplication) -> dict[str, Any]:
    skip = {"moments", "intake_complete"}
    data = {name: getattr(application, name) for name in ApplicationOut.model_fields if name not in skip}
    moments = [bit for bit in range(ALL_MOMENTS.bit_length()) if application.availability >> bit & 1]
    return data | {"moments": moments, "intake_complete": application.intake_complete}


def _application_write(request: HttpRequest, application_id: int) -> User:
    """The coordinator, once the sign-up is of their organisation (404 otherwise, audited for other roles)."""
    user = require_capability(request, Capability.MANAGE_TEAMS)
    selectors.application_detail(user, application_id)
    return user


@router.get("/volunteers/applications", response=ApplicationPage)
def applications_list(request: HttpRequest, query: Query[ApplicationQuery]) -> dict[str, Any]:
    """Volunteers' sign-ups of the organisation (coordinators): new and in intake first, or one status."""
    user = require_capability(request, Capability.MANAGE_TEAMS)
    rows, count = page_of(selectors.application_list(user, status=query.status or ""), query)
    return listing([application_out(row) for row in rows], count)


@router.get("/volunteers/applications/{application_id}", response=ApplicationOut)
def applications_read(request: HttpRequest, application_id: int) -> dict[str, Any]:
    """One sign-up with its intake checklist."""
    user = require_capability(request, Capability.MANAGE_TEAMS)
    return application_out(selectors.application_detail(user, application_id))


@router.put("/volunteers/applications/{application_id}/intake", response=ApplicationOut)
def applications_intake(request: HttpRequest, application_id: int, payload: IntakeIn) -> dict[str, Any]:
    """Save the intake checklist (dates not in the future; the VOG received after it was requested).

    The first save moves a new sign-up into intake.
    """
    user = _application_write(request, application_id)
    intake = services.Intake(**payload.dict())
    return application_out(services.application_intake_save(by=user, application_id=application_id, intake=intake))


@router.post("/volunteers/applications/{application_id}/activate", response=ActivationOut)
def applications_activate(request: HttpRequest, application_id: int, payload: ActivateIn) -> dict[str, Any]:
    """Activate a volunteer whose intake is complete (422 otherwise): an account, a team, a password link."""
    user = _application_write(request, application_id)
    activation = services.volunteer_activate(
        by=user,
        application_id=application_id,
        base_url=request.build_absolute_uri("/"),
        team_id=payload.team_id,
    )
    application = selectors.application_detail(user, application_id)
    return {
        "application": application_out(application),
        "user_id": activation.user.pk,
        "emailed": activation.emailed,
        "password_link": None if activation.emailed else activation.link,
    }


@router.post("/volunteers/applications/{application_id}/decline", response=ApplicationOut)
def applications_decline(request: HttpRequest, application_id: int, payload: DeclineIn) -> dict[str, Any]:
    """Decline a sign-up, or end a volunteer's work: their account, if any, is switched off."""
    user = _application_write(request, application_id)
    return application_out(services.application_decline(by=user, application_id=application_id, note=payload.note))


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
    sheet = timesheets.time_sheet_review(by=user, sheet_id=sheet_id, approve=approve, note=note)
    return sheet_out(sheet)


@router.post("/timesheets/{sheet_id}/approve", response=TimeSheetOut, tags=["team"])
def timesheets_approve(request: HttpRequest, sheet_id: int, payload: ReviewIn) -> dict[str, Any]:
    """A coordinator approves a day; it no longer changes."""
    return _review(request, sheet_id, approve=True, note=payload.note)


@router.post("/timesheets/{sheet_id}/return", response=TimeSheetOut, tags=["team"])
def timesheets_return(request: HttpRequest, sheet_id: int, payload: ReviewIn) -> dict[str, Any]:
    """A coordinator returns a day with a note saying what should change."""
    return _review(request, sheet_id, approve=False, note=payload.note)
