"""API of the contact log, concerns and worklists."""

from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from veerkracht.contacts.models import Concern, ConcernCategory, ConcernStatus, Contact
from veerkracht.contacts.selectors import (
    TimelineEntry,
    concern_for,
    concern_worklist,
    contacts_logged_by,
    contacts_with,
    out_of_sight,
    timeline_page,
)
from veerkracht.contacts.services import concern_raise, concern_update, contact_log
from veerkracht.core.access import Capability, neighbourhoods_covered_by, workers_of
from veerkracht.core.channels import Channel
from veerkracht.core.gate import require_capability
from veerkracht.core.models import AuditAction, User
from veerkracht.core.pagination import DEFAULT_PAGE_SIZE, PageQuery, listing, page_of
from veerkracht.core.patches import PatchSchema
from veerkracht.core.windows import PastMoment, PlannedDate
from veerkracht.people.selectors import audit_resident_ids_listed, audit_residents_listed, resident_for

router = Router(tags=["contacts"])
REGISTER = Capability.VIEW_RESIDENT_REGISTER


class ContactIn(Schema):
    resident_ids: list[int] = Field(..., min_length=1, max_length=50)
    channel: Channel
    started_at: PastMoment
    duration_minutes: int
    reached: bool = True
    language: str = Field("", max_length=3)
    interpreter: bool = False
    initiative: Literal["worker", "resident"] = "worker"
    topics: list[str] = Field([], max_length=12)
    note: str = Field("", max_length=2000)
    follow_up_on: PlannedDate | None = None


class ContactOut(Schema):
    id: int
    resident_ids: list[int]
    worker_id: int
    channel: str
    started_at: datetime
    duration_minutes: int
    reached: bool
    language: str
    interpreter: bool
    initiative: str
    topics: list[str]
    note: str
    follow_up_on: date | None


class ConcernIn(Schema):
    resident_id: int
    category: ConcernCategory
    severity: int = Field(..., ge=1, le=3)
    description: str = Field("", max_length=2000)
    follow_up_by_id: int | None = None
    due_on: PlannedDate | None = None
    referral_target: str = Field("", max_length=200)


class ConcernPatch(PatchSchema):
    nullable = frozenset({"follow_up_by_id", "due_on"})

    status: ConcernStatus | None = None
    follow_up_by_id: int | None = None
    due_on: PlannedDate | None = None
    referral_target: str | None = Field(None, max_length=200)
    note: str = Field("", max_length=2000)


class ConcernOut(Schema):
    id: int
    resident_id: int
    category: str
    severity: int
    status: str
    description: str
    raised_by_id: int
    follow_up_by_id: int | None
    due_on: date | None
    referral_target: str
    created_at: datetime
    closed_at: datetime | None
    overdue: bool


class HelpGivenOut(Schema):
    kind: str
    given_on: date
    helper_id: int
    note: str


class TimelineEntryOut(Schema):
    kind: str
    at: datetime
    contact: ContactOut | None = None
    concern: ConcernOut | None = None
    help_given: HelpGivenOut | None = None


class ConcernPage(Schema):
    items: list[ConcernOut]
    count: int


class ContactPage(Schema):
    items: list[ContactOut]
    count: int


class WorklistQuery(PageQuery):
    scope: Literal["mine", "team"] = "mine"


class OutOfSightQuery(PageQuery):
    days: int | None = Field(None, ge=1, le=730)
    neighbourhood: str | None = Field(None, max_length=10, description="id or CBS code (BU…)")
    order: Literal["oldest", "newest"] = "oldest"


class OutOfSightItem(Schema):
    id: int
    first_name: str
    last_name: str
    neighbourhood_id: int
    last_reached_at: datetime | None
    days_since_contact: int | None


class OutOfSightPage(Schema):
    items: list[OutOfSightItem]
    count: int


def contact_out(contact: Contact) -> dict[str, Any]:
    fields = (
        "id",
        "worker_id",
        "channel",
        "started_at",
        "duration_minutes",
        "reached",
        "language",
        "interpreter",
        "initiative",
        "topics",
        "note",
        "follow_up_on",
    )
    data = {name: getattr(contact, name) for name in fields}
    data["resident_ids"] = sorted(link.resident_id for link in contact.participants.all())
    return data


def concern_out(concern: Concern) -> dict[str, Any]:
    fields = (
        "id",
        "resident_id",
        "category",
        "severity",
        "status",
        "description",
        "raised_by_id",
        "follow_up_by_id",
        "due_on",
        "referral_target",
        "created_at",
        "closed_at",
    )
    data = {name: getattr(concern, name) for name in fields}
    data["overdue"] = bool(
        concern.due_on and concern.status != ConcernStatus.CLOSED and concern.due_on < timezone.localdate()
    )
    return data


def timeline_entry(entry: TimelineEntry) -> dict[str, Any]:
    return {
        "kind": entry.kind,
        "at": entry.at,
        "contact": contact_out(entry.contact) if entry.contact else None,
        "concern": concern_out(entry.concern) if entry.concern else None,
        "help_given": {
            "kind": entry.help_given.kind,
            "given_on": entry.help_given.given_on,
            "helper_id": entry.help_given.match.offer.helper_id,
            "note": entry.help_given.note,
        }
        if entry.help_given
        else None,
    }


def _follower(user: User, follower_id: int | None) -> User | None:
    if follower_id is None:
        return None
    follower = workers_of(user).filter(pk=follower_id).first()
    if follower is None:
        raise ValidationError({"follow_up_by": _("Choose a worker of your own organisation.")})
    return follower


def _aware(moment: datetime) -> datetime:
    """A time without offset is read as Dutch time."""
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


@router.post("/contacts", response={201: ContactOut})
def contacts_create(request: HttpRequest, payload: ContactIn) -> Status[dict[str, Any]]:
    """Record a contact, or an attempt (``reached: false``), with residents in the caller's scope."""
    user = require_capability(request, REGISTER)
    data = payload.dict()
    data["started_at"] = _aware(data["started_at"])
    contact = contact_log(by=user, **data)
    return Status(201, contact_out(contact))


@router.get("/residents/{resident_id}/contacts", response=ContactPage)
def resident_contacts(request: HttpRequest, resident_id: int, query: Query[PageQuery]) -> dict[str, Any]:
    """The contacts with a resident in the caller's scope (the read is audited), newest first."""
    user = require_capability(request, REGISTER)
    resident = resident_for(user, resident_id, action=AuditAction.VIEW)
    items, count = page_of(contacts_with(user, resident), query)
    return listing([contact_out(contact) for contact in items], count)


@router.get("/workers/{worker_id}/contacts", response=ContactPage)
def worker_contacts(request: HttpRequest, worker_id: int, query: Query[PageQuery]) -> dict[str, Any]:
    """The contacts a worker of the organisation logged (one's own: one's ``/me`` id), newest first.

    Only contacts with residents in the caller's scope; every resident they name is audited as read.
    """
    user = require_capability(request, REGISTER)
    items, count = page_of(contacts_logged_by(user, worker_id), query)
    contacts = [contact_out(contact) for contact in items]
    audit_resident_ids_listed(user, sorted({pk for contact in contacts for pk in contact["resident_ids"]}))
    return listing(contacts, count)


@router.post("/concerns", response={201: ConcernOut})
def concerns_create(request: HttpRequest, payload: ConcernIn) -> Status[dict[str, Any]]:
    """Raise a concern about a resident in the caller's scope."""
    user = require_capability(request, REGISTER)
    data = payload.dict()
    follower = _follower(user, data.pop("follow_up_by_id"))
    concern = concern_raise(by=user, follow_up_by=follower, **data)
    return Status(201, concern_out(concern))


@router.patch("/concerns/{concern_id}", response=ConcernOut)
def concerns_update(request: HttpRequest, concern_id: int, payload: ConcernPatch) -> dict[str, Any]:
    """Move a concern on: status, follower, due date, referral; every step is kept."""
    user = require_capability(request, REGISTER)
    concern_for(user, concern_id)
    data = payload.dict(exclude_unset=True)
    follower = _follower(user, data.pop("follow_up_by_id", None))
    concern = concern_update(by=user, concern_id=concern_id, follow_up_by=follower, **data)
    return concern_out(concern)


@router.get("/worklists/concerns", response=ConcernPage)
def worklist_concerns(request: HttpRequest, query: Query[WorklistQuery]) -> dict[str, Any]:
    """Open concerns by severity, then due date: the caller's own or their teams'."""
    user = require_capability(request, REGISTER)
    items, count = page_of(concern_worklist(user, scope=query.scope), query)
    audit_residents_listed(user, [concern.resident for concern in items])
    return listing([concern_out(concern) for concern in items], count)


def _neighbourhood_id(user: User, reference: str | None) -> int | None:
    if not reference:
        return None
    covered = neighbourhoods_covered_by(user)
    found = covered.filter(pk=int(reference)) if reference.isdigit() else covered.filter(code=reference)
    neighbourhood = found.first()
    if neighbourhood is None:
        raise Http404
    return neighbourhood.pk


@router.get("/worklists/out-of-sight", response=OutOfSightPage)
def worklist_out_of_sight(request: HttpRequest, query: Query[OutOfSightQuery]) -> dict[str, Any]:
    """Residents with a vulnerability marker and no contact in the last ``days`` days."""
    user = require_capability(request, REGISTER)
    days = query.days or (user.organisation.out_of_sight_days if user.organisation else 30)
    residents = out_of_sight(
        user,
        neighbourhood_id=_neighbourhood_id(user, query.neighbourhood),
        days=days,
        oldest_first=query.order == "oldest",
    )
    items, count = page_of(residents, query)
    audit_residents_listed(user, items)
    now = timezone.now()
    return listing(
        [
            {
                "id": resident.pk,
                "first_name": resident.first_name,
                "last_name": resident.last_name,
                "neighbourhood_id": resident.neighbourhood_id,
                "last_reached_at": resident.last_reached_at,
                "days_since_contact": (now - resident.last_reached_at).days if resident.last_reached_at else None,
            }
            for resident in items
        ],
        count,
    )


class TimelineQuery(Schema):
    # Page n reads the newest n pages of each source to merge them: 10,000 entries back at most,
    # as on the resident's timeline page.
    page: int = Field(1, ge=1, le=100)
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=100)


# A resident's timeline is drawn from this app's records, listed with the resident register's endpoints.
@router.get("/residents/{resident_id}/timeline", response=list[TimelineEntryOut], tags=["residents"])
def residents_timeline(request: HttpRequest, resident_id: int, query: Query[TimelineQuery]) -> list[dict[str, Any]]:
    """Contacts, concerns and neighbour help given to the resident, newest first, a page at a time.

    ``?page=&page_size=`` (50 by default); a page shorter than its size is the last one.
    """
    user = require_capability(request, REGISTER)
    resident = resident_for(user, resident_id, action=AuditAction.VIEW)
    page = timeline_page(resident, number=query.page, size=query.page_size)
    return [timeline_entry(entry) for entry in page.entries]
