"""The suite's clock: every test runs at a fixed moment, and date-sensitive ones at awkward moments too.

Without this, "today", "this week" and opening hours follow the wall clock, and a test may pass on a
Tuesday morning and fail late on a Friday evening. ``time-machine`` moves Python's clocks (the
ORM, Django and the test itself read them; the database's own clock is never used for
application dates), and lets them tick on from the chosen moment.

- Every test starts at ``FIXED_MOMENT``, an ordinary weekday morning, unless
  ``VEERKRACHT_TEST_MOMENT`` names another (ISO 8601 with offset): the whole suite can so be run
  at any moment, e.g. ``VEERKRACHT_TEST_MOMENT=2026-12-31T23:59:30+01:00 make pytest``.
- A test marked ``clock`` runs once at each of ``AWKWARD_MOMENTS`` as well: just before and after
  midnight in Amsterdam, from Sunday evening into Monday, at the end of a month and of a year, and
  on both changes of daylight saving time.
- A test marked ``real_clock`` keeps the wall clock: it shares time with another process (a worker
  or server it starts), which no library can move.
"""

import os
from datetime import datetime

from django.core.exceptions import ImproperlyConfigured

FIXED_MOMENT = "2026-06-17T10:00:00+02:00"  # a Wednesday morning in summer time

AWKWARD_MOMENTS = {
    "friday-before-midnight": "2026-12-04T23:59:30+01:00",
    "saturday-after-midnight": "2026-12-05T00:00:30+01:00",
    "sunday-evening": "2026-12-06T23:30:00+01:00",
    "monday-early": "2026-12-07T00:15:00+01:00",
    "last-of-month": "2027-02-28T23:45:00+01:00",
    "new-year-eve": "2026-12-31T23:59:30+01:00",
    "new-year": "2027-01-01T00:00:30+01:00",
    "summer-time-starts": "2027-03-28T01:59:30+01:00",  # the clock jumps from 02:00 to 03:00
    "summer-time-started": "2027-03-28T03:00:30+02:00",
    "winter-time-starts": "2026-10-25T02:59:30+02:00",  # the hour from 02:00 to 03:00 comes twice
    "winter-time-started": "2026-10-25T02:00:30+01:00",
}


def moment_of_run() -> datetime:
    """The moment every test starts at: ``VEERKRACHT_TEST_MOMENT`` or ``FIXED_MOMENT``."""
    text = os.environ.get("VEERKRACHT_TEST_MOMENT") or FIXED_MOMENT
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ImproperlyConfigured(f"VEERKRACHT_TEST_MOMENT is not an ISO 8601 moment: {text!r}") from None
    if moment.tzinfo is None:
        raise ImproperlyConfigured("VEERKRACHT_TEST_MOMENT needs an offset, e.g. +01:00")
    return moment
