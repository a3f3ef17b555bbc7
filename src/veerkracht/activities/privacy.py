"""Activities' part in a resident's export and erasure."""

from typing import Any

from veerkracht.activities.models import Attendance, Registration
from veerkracht.people.models import Resident


def activities_export(resident: Resident) -> dict[str, Any]:
    """The resident's registrations and the activities they came to."""
    registrations = Registration.objects.filter(resident=resident).select_related("activity").order_by("created_at")
    attended = Attendance.objects.filter(resident=resident).select_related("activity").order_by("recorded_at")
    return {
        "registrations": [
            {
                "activity": registration.activity.title,
                "starts_at": registration.activity.starts_at,
                "status": registration.status,
                "mode": registration.mode,
                "registered_at": registration.created_at,
            }
            for registration in registrations
        ],
        "attended": [
            {"activity": attendance.activity.title, "starts_at": attendance.activity.starts_at}
            for attendance in attended
        ],
    }


def activities_erase(resident: Resident) -> None:
    """Remove the name kept on the resident's registrations; the places taken stay counted."""
    Registration.objects.filter(resident=resident).update(name="", phone="")
