"""Activities' part in a resident's export and erasure."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from veerkracht.activities.models import Attendance, Registration
from veerkracht.people.models import Resident
from veerkracht.people.registry import PersonalData, shown


def activities_export(resident: Resident) -> dict[str, list[dict[str, Any]]]:
    """The resident's registrations and the activities they came to."""
    registrations = Registration.objects.filter(resident=resident).select_related("activity").order_by("created_at")
    attended = Attendance.objects.filter(resident=resident).select_related("activity").order_by("recorded_at")
    return {
        _("Registrations"): [
            {
                _("Activity"): registration.activity.title,
                _("Starts at"): shown(registration.activity.starts_at),
                _("Status"): registration.get_status_display(),
                _("Taking part"): registration.get_mode_display(),
                _("Name given"): shown(registration.name),
                _("Phone given"): shown(registration.phone),
                _("Registered on"): shown(registration.created_at),
            }
            for registration in registrations
        ],
        _("Attended"): [
            {_("Activity"): attendance.activity.title, _("Starts at"): shown(attendance.activity.starts_at)}
            for attendance in attended
        ],
    }


def activities_erase(resident: Resident) -> None:
    """Remove the name kept on the resident's registrations; the places taken stay counted."""
    Registration.objects.filter(resident=resident).update(name="", phone="")
    Attendance.objects.filter(resident=resident).update(walk_in_name="")


PERSONAL_DATA = PersonalData(
    name="activities",
    heading=gettext_lazy("Activities"),
    models=(Registration, Attendance),
    export=activities_export,
    erase=activities_erase,
)
