"""Retention terms: what has passed its term is anonymised, as erasure does on request.

Terms are set per organisation (there is no single statutory term for welfare work): residents
and contact notes are kept a number of years after the last contact, concerns a number of years
after closing. A resident is only anonymised once every concern about them has passed its term
too, so a concern's file never outlives the resident it is about. Run nightly with
``veerkracht retention`` (cron or a systemd timer); ``--dry-run`` lists what would be done.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce

from veerkracht.contacts.models import Concern, ConcernEvent, ConcernStatus, Contact
from veerkracht.core.idempotency import idempotency_records_prune
from veerkracht.core.models import Organisation
from veerkracht.people.models import Resident
from veerkracht.people.services import resident_erase

YEAR = timedelta(days=365)


@dataclass(frozen=True)
class RetentionReport:
    organisation: str
    residents: int
    contact_notes: int
    concerns: int


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


def retention_apply(*, organisation: Organisation, now: datetime, dry_run: bool) -> RetentionReport:
    """Anonymise (or, with ``dry_run``, only count) what has passed its term. Safe to run again."""
    residents = residents_past_term(organisation, now)
    notes = contact_notes_past_term(organisation, now)
    concerns = concerns_past_term(organisation, now)
    report = RetentionReport(organisation.name, residents.count(), notes.count(), concerns.count())
    if dry_run:
        return report
    for resident in residents.select_related("household", "user").iterator(chunk_size=500):
        resident_erase(by=None, resident=resident)
    notes.update(note="")
    ConcernEvent.objects.filter(concern__in=concerns).update(note="")
    concerns.update(description="", referral_target="")
    idempotency_records_prune(now=now)
    return report
