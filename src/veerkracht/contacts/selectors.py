"""Reads of contacts and concerns, and the worklists: always through the user's scope."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from django.db.models import BooleanField, Case, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from veerkracht.contacts.models import Concern, ConcernStatus, Contact, ContactResident
from veerkracht.core.access import neighbourhoods_covered_by, within_organisation
from veerkracht.core.audit import audit_record
from veerkracht.core.db import Source, newest_of, rows_with_parents
from veerkracht.core.exceptions import NotFound
from veerkracht.core.models import AuditAction, AuditResult, User
from veerkracht.help.models import HelpGiven
from veerkracht.people.models import Resident
from veerkracht.people.selectors import RESIDENT, residents_visible_to
from veerkracht.people.vocabulary import MARKERS, any_marker_filter, marker_filter

CONCERN = "contacts.concern"
# The resident's page shows the latest entries and the rest a page further, so that drawing it
# (and redrawing it after every contact logged on it) does not grow with a long history.
TIMELINE_PAGE_SIZE = 20


def contacts_with(user: User, resident: Resident) -> QuerySet[Contact]:
    """The organisation's contacts with a resident the caller was given by ``resident_for``, newest first."""
    return (
        within_organisation(Contact.objects.all(), user)
        .filter(participants__resident=resident)
        .prefetch_related("participants")
        .order_by("-started_at", "-id")
    )


def contacts_logged_by(user: User, worker_id: int) -> QuerySet[Contact]:
    """The contacts a worker of the user's organisation logged with residents the user may see, newest first.

    Another worker's contacts show only those about residents in the user's own scope. A worker
    outside the organisation answers 404.
    """
    worker = within_organisation(User.objects.filter(pk=worker_id), user).first()
    if worker is None:
        raise NotFound
    in_scope = ContactResident.objects.filter(contact=OuterRef("pk"), resident__in=residents_visible_to(user))
    return (
        within_organisation(Contact.objects.filter(worker=worker), user)
        .filter(Exists(in_scope))
        .prefetch_related("participants")
        .order_by("-started_at", "-id")
    )


def concerns_visible_to(user: User) -> QuerySet[Concern]:
    """Concerns about residents the user may see in the register."""
    return Concern.objects.filter(resident__in=residents_visible_to(user))


def concern_for(user: User, concern_id: int) -> Concern:
    """One concern in scope (its reading audited on the resident); 404 otherwise."""
    concern = (
        concerns_visible_to(user).select_related("resident", "raised_by", "follow_up_by").filter(pk=concern_id).first()
    )
    if concern is None:
        audit_record(
            action=AuditAction.VIEW,
            actor=user,
            result=AuditResult.DENIED,
            object_type=CONCERN,
            object_id=concern_id,
        )
        raise NotFound
    audit_record(
        action=AuditAction.VIEW,
        actor=user,
        object_type=RESIDENT,
        object_id=concern.resident_id,
        fields=["concerns"],
    )
    return concern


@dataclass(frozen=True)
class TimelineEntry:
    kind: Literal["contact", "concern", "help"]
    at: datetime
    contact: Contact | None = None
    concern: Concern | None = None
    help_given: HelpGiven | None = None


def resident_timeline(resident: Resident, *, limit: int) -> list[TimelineEntry]:
    """Contacts, concerns and neighbour help given to a resident the caller already may see, newest first.

    One query finds the newest ``limit`` entries of the three sources (their kind, id and time);
    then only the kinds on the page are read, so that the sources most residents lack (concerns,
    help) cost nothing on most pages, and the three are never each read ``limit`` rows deep.
    """
    newest = _newest_entries(resident.pk, limit)
    wanted: dict[str, list[int]] = {"contact": [], "concern": [], "help": []}
    for kind, ref, _at in newest:
        wanted[kind].append(ref)
    # An empty list of ids answers [] without a query: kinds not on the page cost nothing. The
    # contacts, on every resident's page, are read by core/db.py's statement.
    contacts = {c.pk: c for c in rows_with_parents(Contact, parents=("worker",), pk=wanted["contact"])}
    concerns = Concern.objects.select_related("follow_up_by").in_bulk(wanted["concern"])
    given = HelpGiven.objects.select_related("match__offer__helper").in_bulk(wanted["help"])
    entries = []
    for kind, ref, at in newest:
        if kind == "contact" and ref in contacts:
            entries.append(TimelineEntry("contact", at, contact=contacts[ref]))
        elif kind == "concern" and ref in concerns:
            entries.append(TimelineEntry("concern", at, concern=concerns[ref]))
        elif kind == "help" and ref in given:
            entries.append(TimelineEntry("help", at, help_given=given[ref]))
    return entries


# The timeline's three sources, merged by time in one statement (core/db.py).
TIMELINE_SOURCES = (
    Source("contact", ContactResident, owner="resident", ref="contact", at="started_at"),
    Source("concern", Concern, owner="resident", ref="id", at="created_at"),
    Source("help", HelpGiven, owner="resident", ref="id", at="recorded_at"),
)


def _newest_entries(resident_id: int, limit: int) -> list[tuple[str, int, datetime]]:
    """The newest ``limit`` entries of a resident's three sources as (kind, id, time)."""
    return newest_of(TIMELINE_SOURCES, resident_id, limit)


@dataclass(frozen=True)
class TimelinePage:
    """One page of a resident's timeline, newest first."""

    entries: list[TimelineEntry]
    number: int
    has_next: bool

    @property
    def next_number(self) -> int:
        return self.number + 1

    @property
    def previous_number(self) -> int:
        return self.number - 1


def timeline_page(resident: Resident, *, number: int = 1, size: int = TIMELINE_PAGE_SIZE) -> TimelinePage:
    """Page ``number`` (from 1) of the timeline of a resident the caller already may see.

    The three sources are merged by time, so page n needs the newest n pages of each: older pages
    cost more, and are asked for far less often than the first.
    """
    newest = resident_timeline(resident, limit=number * size + 1)
    start = (number - 1) * size
    return TimelinePage(newest[start : start + size], number, has_next=len(newest) > number * size)


def _with_overdue(concerns: QuerySet[Concern], today: date) -> QuerySet[Concern]:
    overdue = Case(When(due_on__lt=today, then=Value(True)), default=Value(False), output_field=BooleanField())
    return concerns.annotate(overdue=overdue)


def concern_worklist(user: User, *, scope: Literal["mine", "team"] = "mine") -> QuerySet[Concern]:
    """Open concerns by severity, then due date (overdue first): the user's own, or their teams'."""
    concerns = concerns_visible_to(user).exclude(status=ConcernStatus.CLOSED)
    if scope == "mine":
        concerns = concerns.filter(follow_up_by=user)
    concerns = concerns.select_related("resident", "resident__neighbourhood", "follow_up_by")
    return _with_overdue(concerns, timezone.localdate()).order_by(
        "-severity", F("due_on").asc(nulls_last=True), "created_at"
    )


def out_of_sight(
    user: User, *, neighbourhood_id: int | None = None, days: int = 30, oldest_first: bool = True, marker: str = ""
) -> QuerySet[Resident]:
    """Residents with a vulnerability marker whom nobody reached in the last ``days`` days.

    Reads the 'last reached' column that the contact log keeps up to date, so one neighbourhood
    is an index range scan whatever the number of contacts.
    """
    cutoff = timezone.now() - timedelta(days=days)
    residents = residents_visible_to(user)
    if neighbourhood_id is not None:
        residents = residents.filter(neighbourhood_id=neighbourhood_id)
    residents = residents.filter(Q(last_reached_at__lt=cutoff) | Q(last_reached_at__isnull=True))
    this_year = timezone.localdate().year
    residents = residents.filter(any_marker_filter(this_year=this_year))
    if marker:
        residents = residents.filter(marker_filter(marker, this_year=this_year))
    order = F("last_reached_at").asc(nulls_first=True) if oldest_first else F("last_reached_at").desc(nulls_last=True)
    # Households come in a second query for the page's residents only: joined, they make PostgreSQL
    # read every household of the organisation before it can sort and cut the page.
    return residents.select_related("neighbourhood").prefetch_related("household").order_by(order, "id")


def neighbourhood_choices(user: User) -> QuerySet:  # type: ignore[type-arg]
    """The neighbourhoods a worklist can be filtered on."""
    return neighbourhoods_covered_by(user).order_by("name")


def marker_labels() -> dict[str, str]:
    """The markers' names in the active language, translated once for a whole list."""
    return {name: str(label) for name, label in MARKERS.items()}


def markers_of(resident: Resident, *, this_year: int, labels: dict[str, str]) -> list[str]:
    """Why a resident is on the out-of-sight list: their vulnerability markers, in words (``marker_labels``)."""
    held = [label for name, label in labels.items() if name != "aged_75_plus" and getattr(resident, name)]
    return ([labels["aged_75_plus"]] if resident.birth_year <= this_year - 75 else []) + held
