"""The team app's part in a resident's erasure: hours written on neighbour help for them.

A helper's time entry on a match may describe the help in the helper's own words ("boodschappen
voor mevrouw ..."), so the description goes; the minutes stay for the payroll. The hours belong
to the helper, not the resident, so the resident's export lists none of them.
"""

from typing import Any

from django.utils.translation import gettext_lazy

from veerkracht.people.models import Resident
from veerkracht.people.registry import PersonalData
from veerkracht.team.models import TimeEntry


def team_export(resident: Resident) -> dict[str, list[dict[str, Any]]]:
    return {}


def team_erase(resident: Resident) -> None:
    TimeEntry.objects.filter(match__request__resident=resident).update(description="")


PERSONAL_DATA = PersonalData(
    name="hours",
    heading=gettext_lazy("Hours"),
    models=(TimeEntry,),
    export=team_export,
    erase=team_erase,
)
