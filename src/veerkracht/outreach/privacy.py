"""Outreach's part in a resident's export and erasure: door visits and "do not knock" flags."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from veerkracht.outreach.models import DoorFlag, RoundStop, Visit
from veerkracht.people.models import Resident
from veerkracht.people.registry import PersonalData, shown


def outreach_export(resident: Resident) -> dict[str, list[dict[str, Any]]]:
    stops = (
        RoundStop.objects.filter(resident=resident).select_related("round", "walker__worker").order_by("round__date")
    )
    visits = {visit.stop_id: visit for visit in Visit.objects.filter(stop__in=stops)}
    flags = DoorFlag.objects.filter(resident=resident).order_by("created_at")
    rows = []
    for stop in stops:
        visit = visits.get(stop.pk)
        rows.append(
            {
                _("Date"): shown(stop.round.date),
                _("Kind of visit"): stop.get_kind_display(),
                _("Walker"): stop.walker.worker.display_name,
                _("Outcome"): visit.get_outcome_display() if visit else _("Not visited"),
                _("Short note"): shown(visit.note if visit else ""),
            }
        )
    return {
        _("Door visits"): rows,
        _("Do not knock"): [
            {_("Since"): shown(flag.created_at), _("Why"): shown(flag.note), _("Cleared on"): shown(flag.cleared_at)}
            for flag in flags
        ],
    }


def outreach_erase(resident: Resident) -> None:
    """Drop the resident from rounds still to walk and their flags; past visits keep only their outcome.

    A stop's coordinates are the resident's front door, so past stops move to the origin: the
    round's counts stay, the address does not.
    """
    stops = RoundStop.objects.filter(resident=resident)
    stops.filter(round__date__gte=timezone.localdate(), visit__isnull=True).delete()
    Visit.objects.filter(stop__in=stops).update(note="")
    stops.update(x=0.0, y=0.0)
    DoorFlag.objects.filter(resident=resident).delete()


PERSONAL_DATA = PersonalData(
    name="outreach",
    heading=gettext_lazy("Door visits"),
    models=(DoorFlag, RoundStop, Visit),
    export=outreach_export,
    erase=outreach_erase,
)
