"""Retention terms: what has passed its term is anonymised or deleted, as erasure does on request.

Terms for the welfare file are set per organisation (there is no single statutory term for
welfare work): residents and contact notes are kept a number of years after the last contact,
concerns a number of years after closing. A resident is only anonymised once every concern about
them has passed its term too, so a concern's file never outlives the resident it is about.

Every other kind of personal record has its own term in the settings (``RETENTION_*``, see
docs/adr/0018-erasure-and-retention.md), listed in ``KINDS``. Run nightly with
``veerkracht retention`` (cron or a systemd timer); ``--dry-run`` lists what would be done.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from veerkracht.activities.models import Attendance, Registration
from veerkracht.contacts.models import Concern, ConcernEvent, ConcernStatus, Contact
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
from veerkracht.onboarding.models import ImportUpload
from veerkracht.people.models import Resident
from veerkracht.people.services import ERASED_NAME, resident_erase
from veerkracht.team.models import ApplicationStatus, VolunteerApplication

YEAR = timedelta(days=365)
DAY = timedelta(days=1)
NO_PHONE = "-"


@dataclass(frozen=True)
class RetentionReport:
    organisation: str
    residents: int
    contact_notes: int
    concerns: int
    # Every kind by its Dutch name, with how many records passed their term (the three above included).
    counts: dict[str, int] = field(default_factory=dict)


def _concern_still_kept(organisation: Organisation, now: datetime) -> Q:
    cutoff = now - organisation.retention_concern_years * YEAR
    return ~Q(status=ConcernStatus.CLOSED) | Q(closed_at__gte=cutoff)


def residents_past_term(organisation: Organisation, now: datetime) -> QuerySet[Resident]:
    """Residents whose last contact (or registration) and every concern have passed their terms."""
    cutoff = now - organisation.retention_contact_years * YEAR
    kept_concerns = Concern.objects.filter(resident=OuterRef("pk")).filter(_concern_still_kept(organisation, now))
    return (
        Resident.objects.filter(organisation=organisation, erased_at__isnull=True)
        .annotate(last_seen=Coalesce("last_reached_at", "created_at"))
        .filter(last_seen__lt=cutoff)
        .exclude(Exists(kept_concerns))
    )


def contact_notes_past_term(organisation: Organisation, now: datetime) -> QuerySet[Contact]:
    cutoff = now - organisation.retention_contact_years * YEAR
    return Contact.objects.filter(organisation=organisation, started_at__lt=cutoff).exclude(note="")


def concerns_past_term(organisation: Organisation, now: datetime) -> QuerySet[Concern]:
    cutoff = now - organisation.retention_concern_years * YEAR
    closed_long_ago = Concern.objects.filter(
        organisation=organisation, status=ConcernStatus.CLOSED, closed_at__lt=cutoff
    )
    return closed_long_ago.exclude(description="", referral_target="")


Records = QuerySet[Any]


@dataclass(frozen=True)
class Kind:
    """One kind of personal record with its own term: what is due, and what happens to it."""

    name: str | Promise  # Dutch, as the command lists it
    apply: Callable[[Records], None]
    due: Callable[[Organisation, datetime], Records] | None = None  # an organisation's records
    due_anywhere: Callable[[datetime], Records] | None = None  # records of no organisation


def _blank(**values: str) -> Callable[[Records], None]:
    def apply(records: Records) -> None:
        records.update(**values)

    return apply


def _delete(records: Records) -> None:
    records.delete()


def _days(name: str) -> timedelta:
    return int(getattr(settings, name)) * DAY


def _registrations(organisation: Organisation, now: datetime) -> QuerySet[Registration]:
    cutoff = now - _days("RETENTION_PUBLIC_REGISTRATION_DAYS")
    done = Q(resident__isnull=False, name="", phone="") | Q(resident__isnull=True, name=ERASED_NAME, phone=NO_PHONE)
    return Registration.objects.filter(activity__organisation=organisation, activity__ends_at__lt=cutoff).exclude(done)


def _anonymise_registrations(records: Records) -> None:
    """A registration of a known resident keeps the link; one made on the public page keeps a placeholder.

    The database requires a public registration to name someone, so the name becomes "(gewist)";
    the place taken stays counted and the attendance linked to it stays.
    """
    records.filter(resident__isnull=False).update(name="", phone="")
    records.filter(resident__isnull=True).update(name=ERASED_NAME, phone=NO_PHONE)


def _walk_ins(organisation: Organisation, now: datetime) -> QuerySet[Attendance]:
    cutoff = now - _days("RETENTION_PUBLIC_REGISTRATION_DAYS")
    return Attendance.objects.filter(activity__organisation=organisation, activity__ends_at__lt=cutoff).exclude(
        walk_in_name=""
    )


def _declined_applications(organisation: Organisation, now: datetime) -> QuerySet[VolunteerApplication]:
    cutoff = now - _days("RETENTION_DECLINED_APPLICATION_DAYS")
    return VolunteerApplication.objects.filter(
        organisation=organisation, status=ApplicationStatus.DECLINED, created_at__lt=cutoff
    )


def _outbound(organisation: Organisation, now: datetime) -> QuerySet[OutboundMessage]:
    """Messages sent (or given up) long enough ago, with their address, text and delivery report."""
    cutoff = now - _days("RETENTION_OUTBOUND_MESSAGE_DAYS")
    finished = (OutboundStatus.SENT, OutboundStatus.DELIVERED, OutboundStatus.FAILED)
    return OutboundMessage.objects.filter(
        organisation=organisation, status__in=finished, created_at__lt=cutoff
    ).exclude(to="", text="", subject="", provider_id="", last_error="")


def _task_runs(organisation: Organisation, now: datetime) -> QuerySet[TaskRun]:
    cutoff = now - _days("RETENTION_TASK_RUN_DAYS")
    return TaskRun.objects.filter(
        organisation=organisation, status__in=(TaskStatus.DONE, TaskStatus.FAILED), created_at__lt=cutoff
    )


def _queue_results(now: datetime) -> Records:
    """The task queue's own rows (arguments, return values, tracebacks) once finished."""
    return DBTaskResult.objects.filter(finished_at__lt=now - _days("RETENTION_TASK_RUN_DAYS"))


def _idempotency(now: datetime) -> QuerySet[IdempotencyRecord]:
    hours = timedelta(hours=int(settings.RETENTION_IDEMPOTENCY_HOURS))
    return IdempotencyRecord.objects.filter(created_at__lt=now - hours)


def _sessions(now: datetime) -> QuerySet[Session]:
    """Expired sessions: the term is the session's own (SESSION_COOKIE_AGE)."""
    return Session.objects.filter(expire_date__lt=now)


def _audit_addresses(organisation: Organisation, now: datetime) -> Records:
    cutoff = now - _days("RETENTION_AUDIT_IP_DAYS")
    return AuditAddress.objects.filter(organisation=organisation, at__lt=cutoff)


def _audit_addresses_anywhere(now: datetime) -> Records:
    """Addresses of events of no organisation (failed sign-ins with an unknown name)."""
    return AuditAddress.objects.filter(organisation=None, at__lt=now - _days("RETENTION_AUDIT_IP_DAYS"))


def _import_uploads(organisation: Organisation, now: datetime) -> QuerySet[ImportUpload]:
    """Files uploaded for an import, with their row reports: emptied when imported, gone after the term."""
    hours = timedelta(hours=int(settings.RETENTION_IMPORT_UPLOAD_HOURS))
    return ImportUpload.objects.filter(organisation=organisation, created_at__lt=now - hours)


def _read_notifications(organisation: Organisation, now: datetime) -> QuerySet[Notification]:
    cutoff = now - _days("RETENTION_READ_NOTIFICATION_DAYS")
    return Notification.objects.filter(user__organisation=organisation, read_at__lt=cutoff)


KINDS = (
    Kind(_("public registrations (name, phone)"), _anonymise_registrations, due=_registrations),
    Kind(_("names of walk-ins"), _blank(walk_in_name=""), due=_walk_ins),
    Kind(_("declined volunteer applications"), _delete, due=_declined_applications),
    Kind(
        _("outbound messages and delivery reports"),
        _blank(to="", text="", subject="", provider_id="", last_error=""),
        due=_outbound,
    ),
    Kind(_("background task runs"), _delete, due=_task_runs),
    Kind(_("read notifications"), _delete, due=_read_notifications),
    Kind(_("files uploaded for an import"), _delete, due=_import_uploads),
    Kind(_("IP addresses in the audit log"), _delete, due=_audit_addresses, due_anywhere=_audit_addresses_anywhere),
    Kind(_("task queue results"), _delete, due_anywhere=_queue_results),
    Kind(_("idempotency records"), _delete, due_anywhere=_idempotency),
    Kind(_("expired sessions"), _delete, due_anywhere=_sessions),
)


def _apply(kind: Kind, records: Records, dry_run: bool, counts: dict[str, int]) -> None:
    counts[str(kind.name)] = count = records.count()
    if count and not dry_run:
        kind.apply(records)


def retention_apply(*, organisation: Organisation, now: datetime, dry_run: bool) -> RetentionReport:
    """Anonymise (or, with ``dry_run``, only count) what has passed its term. Safe to run again."""
    residents = residents_past_term(organisation, now)
    notes = contact_notes_past_term(organisation, now)
    concerns = concerns_past_term(organisation, now)
    counts = {
        str(_("residents")): residents.count(),
        str(_("contact notes")): notes.count(),
        str(_("concerns")): concerns.count(),
    }
    report = RetentionReport(
        organisation.name,
        counts[str(_("residents"))],
        counts[str(_("contact notes"))],
        counts[str(_("concerns"))],
        counts,
    )
    if not dry_run:
        for resident in residents.select_related("household", "user").iterator(chunk_size=500):
            resident_erase(by=None, resident=resident)
        notes.update(note="")
        ConcernEvent.objects.filter(concern__in=concerns).update(note="")
        concerns.update(description="", referral_target="")
    for kind in KINDS:
        if kind.due is not None:
            _apply(kind, kind.due(organisation, now), dry_run, counts)
    return report


def retention_apply_global(*, now: datetime, dry_run: bool) -> dict[str, int]:
    """The kinds that belong to no organisation: sessions, idempotency records, the task queue's rows."""
    counts: dict[str, int] = {}
    for kind in KINDS:
        if kind.due_anywhere is not None:
            _apply(kind, kind.due_anywhere(now), dry_run, counts)
    return counts
