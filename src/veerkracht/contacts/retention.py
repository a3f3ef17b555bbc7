"""The retention terms of contact notes, concerns and phone calls to make, kept by people's retention run
(people/retention.py).

The terms are set per organisation, within the platform's maxima. A phone call to make goes with the
contact term (it is about a contact), counted from when it was ticked off, or from its day when it
never was. A concern also holds its resident: a resident is only anonymised once every concern about
them has passed its term, so a concern's file never outlives the resident it is about.
"""

from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from veerkracht.contacts.models import CallTask, Concern, ConcernEvent, ConcernStatus, Contact
from veerkracht.core.models import Organisation
from veerkracht.people.retention import YEAR, Kind, Records, blank, concern_years, contact_years, delete


def _concern_still_kept(organisation: Organisation, now: datetime) -> Q:
    cutoff = now - concern_years(organisation) * YEAR
    return ~Q(status=ConcernStatus.CLOSED) | Q(closed_at__gte=cutoff)


def resident_held_by_a_concern(organisation: Organisation, now: datetime) -> Exists:
    """A resident with a concern still within its term is kept (a hold of people's retention run)."""
    kept = Concern.objects.filter(resident=OuterRef("pk")).filter(_concern_still_kept(organisation, now))
    return Exists(kept)


def contact_notes_past_term(organisation: Organisation, now: datetime) -> QuerySet[Contact]:
    cutoff = now - contact_years(organisation) * YEAR
    return Contact.objects.filter(organisation=organisation, started_at__lt=cutoff).exclude(note="")


def concerns_past_term(organisation: Organisation, now: datetime) -> QuerySet[Concern]:
    cutoff = now - concern_years(organisation) * YEAR
    closed_long_ago = Concern.objects.filter(
        organisation=organisation, status=ConcernStatus.CLOSED, closed_at__lt=cutoff
    )
    return closed_long_ago.exclude(description="", referral_target="")


def call_tasks_past_term(organisation: Organisation, now: datetime) -> QuerySet[CallTask]:
    """Calls ticked off longer ago than the contact term, and calls never made whose day is that long past."""
    cutoff = now - contact_years(organisation) * YEAR
    done_long_ago = Q(done_at__lt=cutoff)
    never_made = Q(done_at__isnull=True, due_on__lt=cutoff.date())
    return CallTask.objects.filter(organisation=organisation).filter(done_long_ago | never_made)


def _concerns_emptied(records: Records) -> None:
    """The concern stays (it is counted in the figures); what it says about the resident goes."""
    ConcernEvent.objects.filter(concern__in=records).update(note="")
    records.update(description="", referral_target="")


CONTACT_NOTES = Kind(_("contact notes"), blank(note=""), due=contact_notes_past_term)
CONCERNS = Kind(_("concerns"), _concerns_emptied, due=concerns_past_term)
CALL_TASKS = Kind(_("phone calls to make, done or due before the contact term"), delete, due=call_tasks_past_term)
