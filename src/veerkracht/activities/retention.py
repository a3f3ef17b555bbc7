"""The retention terms of public registrations and walk-ins' names, kept by people's retention run."""

from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from veerkracht.activities.models import Attendance, Registration
from veerkracht.core.models import Organisation
from veerkracht.people.retention import Kind, Records, blank, days
from veerkracht.people.services import ERASED_NAME

NO_PHONE = "-"


def _registrations(organisation: Organisation, now: datetime) -> QuerySet[Registration]:
    cutoff = now - days("RETENTION_PUBLIC_REGISTRATION_DAYS")
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
    cutoff = now - days("RETENTION_PUBLIC_REGISTRATION_DAYS")
    return Attendance.objects.filter(activity__organisation=organisation, activity__ends_at__lt=cutoff).exclude(
        walk_in_name=""
    )


PUBLIC_REGISTRATIONS = Kind(_("public registrations (name, phone)"), _anonymise_registrations, due=_registrations)
WALK_IN_NAMES = Kind(_("names of walk-ins"), blank(walk_in_name=""), due=_walk_ins)
