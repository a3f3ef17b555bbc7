"""Counting attendance as it is recorded: the reporting app above activities registers its counter here.

Activities may not import insights (docs/layers.md): insights registers a counter from its
``AppConfig.ready``, called inside the transaction that records the attendance.
"""

from collections.abc import Callable

from veerkracht.activities.models import Activity
from veerkracht.core.registry import Registry
from veerkracht.people.models import Resident

attendance_counters: Registry[Callable[[Activity, Resident], None]] = Registry("attendance counter")


def attendance_counted(activity: Activity, resident: Resident) -> None:
    """Tell every counter of one known attendee more."""
    for counter in attendance_counters.values():
        counter(activity, resident)
