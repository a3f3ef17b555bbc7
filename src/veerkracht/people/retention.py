"""Retention terms: what has passed its term is anonymised or deleted, as erasure does on request.

Terms for the welfare file are set per organisation (there is no single statutory term for
welfare work): residents and contact notes are kept a number of years after the last contact,
concerns a number of years after closing. A resident is only anonymised once every concern about
them has passed its term too, so a concern's file never outlives the resident it is about.

Every other kind of personal record has its own term in the settings (``RETENTION_*``, see
docs/adr/0018-erasure-and-retention.md). The apps above people (contacts, activities, team, onboarding)
register their kinds here from their ``AppConfig.ready`` (``kinds``), and contacts what keeps a
resident past the contact term (``resident_holds``): people imports none of them. The kinds of
core's own records are listed here. Run nightly with ``veerkracht retention`` (cron or a systemd
timer); ``--dry-run`` lists what would be done.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db.models import Exists, QuerySet
from django.db.models.functions import Coalesce
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from veerkracht.core.models import (
    AuditAddress,
    IdempotencyRecord,
    Notification,
    Organisation,
    OutboundMessage,
    OutboundStatus,
    TaskRun,
    TaskStatus,
)
from veerkracht.core.registry import Registry
from veerkracht.people.models import Resident
from veerkracht.people.services import resident_erase

YEAR = timedelta(days=365)
DAY = timedelta(days=1)


@dataclass(frozen=True)
class RetentionReport:
    organisation: str
    residents: int
    # Every kind by its Dutch name, with how many records passed their term (residents included).
    counts: dict[str, int] = field(default_factory=dict)


def contact_years(organisation: Organisation) -> int:
    """The organisation's term for residents and notes, never past the platform's maximum."""
    return min(organisation.retention_contact_years, settings.RETENTION_CONTACT_YEARS_MAX)


def concern_years(organisation: Organisation) -> int:
    """The organisation's term for concerns, never past the platform's maximum."""
    return min(organisation.retention_concern_years, settings.RETENTION_CONCERN_YEARS_MAX)


# What keeps a resident past the contact term: a record of an app above people whose own term has
# not passed (an open or recently closed concern), as a subquery on the resident (``OuterRef("pk")``).
ResidentHold = Callable[[Organisation, datetime], Exists]
resident_holds: Registry[ResidentHold] = Registry("retention hold on residents")


def residents_past_term(organisation: Organisation, now: datetime) -> QuerySet[Resident]:
    """Residents whose last contact (or registration) has passed its term, and whom no app still holds."""
    cutoff = now - contact_years(organisation) * YEAR
    residents = (
        Resident.objects.filter(organisation=organisation, erased_at__isnull=True)
        .annotate(last_seen=Coalesce("last_reached_at", "created_at"))
        .filter(last_seen__lt=cutoff)
    )
    for hold in resident_holds.values():
        residents = residents.exclude(hold(organisation, now))
    return residents


Records = QuerySet[Any]


@dataclass(frozen=True)
class Kind:
    """One kind of personal record with its own term: what is due, and what happens to it."""

    name: str | Promise  # Dutch, as the command lists it
    apply: Callable[[Records], None]
    due: Callable[[Organisation, datetime], Records] | None = None  # an organisation's records
    due_anywhere: Callable[[datetime], Records] | None = None  # records of no organisation


def blank(**values: str) -> Callable[[Records], None]:
    """What happens to records whose personal fields are emptied (``values``) while the record stays."""

    def apply(records: Records) -> None:
        records.update(**values)

    return apply


def delete(records: Records) -> None:
    """What happens to records that go altogether."""
    records.delete()


def days(name: str) -> timedelta:
    """The term in days set by the setting ``name`` (``RETENTION_*``)."""
    return int(getattr(settings, name)) * DAY


def _outbound(organisation: Organisation, now: datetime) -> QuerySet[OutboundMessage]:
    """Messages sent (or given up) long enough ago, with their address, text and delivery report."""
    cutoff = now - days("RETENTION_OUTBOUND_MESSAGE_DAYS")
    finished = (OutboundStatus.SENT, OutboundStatus.DELIVERED, OutboundStatus.FAILED)
    return OutboundMessage.objects.filter(
        organisation=organisation, status__in=finished, created_at__lt=cutoff
    ).exclude(to="", text="", subject="", provider_id="", last_error="", unsubscribe_url="")


def _task_runs(organisation: Organisation, now: datetime) -> QuerySet[TaskRun]:
    cutoff = now - days("RETENTION_TASK_RUN_DAYS")
    return TaskRun.objects.filter(
        organisation=organisation, status__in=(TaskStatus.DONE, TaskStatus.FAILED), created_at__lt=cutoff
    )


def _queue_results(now: datetime) -> Records:
    """The task queue's own rows (arguments, return values, tracebacks) once finished."""
    return DBTaskResult.objects.filter(finished_at__lt=now - days("RETENTION_TASK_RUN_DAYS"))


def _idempotency(now: datetime) -> QuerySet[IdempotencyRecord]:
    hours = timedelta(hours=int(settings.RETENTION_IDEMPOTENCY_HOURS))
    return IdempotencyRecord.objects.filter(created_at__lt=now - hours)


def _sessions(now: datetime) -> QuerySet[Session]:
    """Expired sessions: the term is the session's own (SESSION_COOKIE_AGE)."""
    return Session.objects.filter(expire_date__lt=now)


def _audit_addresses(organisation: Organisation, now: datetime) -> Records:
    cutoff = now - days("RETENTION_AUDIT_IP_DAYS")
    return AuditAddress.objects.filter(organisation=organisation, at__lt=cutoff)


def _audit_addresses_anywhere(now: datetime) -> Records:
    """Addresses of events of no organisation (failed sign-ins with an unknown name)."""
    return AuditAddress.objects.filter(organisation=None, at__lt=now - days("RETENTION_AUDIT_IP_DAYS"))


def _read_notifications(organisation: Organisation, now: datetime) -> QuerySet[Notification]:
    cutoff = now - days("RETENTION_READ_NOTIFICATION_DAYS")
    return Notification.objects.filter(user__organisation=organisation, read_at__lt=cutoff)


# The apps' kinds, by a name of their own ("contacts: contact notes"), in the order they registered.
kinds: Registry[Kind] = Registry("retention kind")

# Core's own records, kept by no app above people: listed after the apps' kinds.
CORE_KINDS = (
    Kind(
        _("outbound messages and delivery reports"),
        blank(to="", text="", subject="", provider_id="", last_error="", unsubscribe_url=""),
        due=_outbound,
    ),
    Kind(_("background task runs"), delete, due=_task_runs),
    Kind(_("read notifications"), delete, due=_read_notifications),
    Kind(_("IP addresses in the audit log"), delete, due=_audit_addresses, due_anywhere=_audit_addresses_anywhere),
    Kind(_("task queue results"), delete, due_anywhere=_queue_results),
    Kind(_("idempotency records"), delete, due_anywhere=_idempotency),
    Kind(_("expired sessions"), delete, due_anywhere=_sessions),
)


def retention_kinds() -> tuple[Kind, ...]:
    """Every kind with a term: the apps' first, then core's."""
    return (*kinds.values(), *CORE_KINDS)


def retention_apply(*, organisation: Organisation, now: datetime, dry_run: bool) -> RetentionReport:
    """Anonymise (or, with ``dry_run``, only count) what has passed its term. Safe to run again.

    Everything is counted before anything changes, so a dry run reports what the real run does.
    """
    residents = residents_past_term(organisation, now)
    counts = {str(_("residents")): residents.count()}
    due = [(kind, kind.due(organisation, now)) for kind in retention_kinds() if kind.due is not None]
    counts.update({str(kind.name): records.count() for kind, records in due})
    if not dry_run:
        for resident in residents.select_related("household", "user").iterator(chunk_size=500):
            resident_erase(by=None, resident=resident)
        for kind, records in due:
            if counts[str(kind.name)]:
                kind.apply(records)
    return RetentionReport(organisation.name, counts[str(_("residents"))], counts)


def retention_apply_global(*, now: datetime, dry_run: bool) -> dict[str, int]:
    """The kinds that belong to no organisation: sessions, idempotency records, the task queue's rows."""
    counts: dict[str, int] = {}
    for kind in retention_kinds():
        if kind.due_anywhere is not None:
            records = kind.due_anywhere(now)
            counts[str(kind.name)] = count = records.count()
            if count and not dry_run:
                kind.apply(records)
    return counts
