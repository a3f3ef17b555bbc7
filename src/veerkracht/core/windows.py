"""Dates held to a sensible window at the door (docs/adr/0019-input-held-at-the-door.md).

A date far outside any working life (9999-12-31, year 1) passes a date parser but breaks what is
drawn from it later: an activity's end two hours after it, its poster, a calendar, a quarter's
last day. So every date that comes in is held to a window around today, and dates that record
something done (a contact, a consent, an intake) may not lie in the future.

Forms get it from ``StyledForm`` (every date field, a Dutch message on the field); the API from
the annotated types below (422 naming the field).
"""

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Annotated, TypeVar

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import AfterValidator

YEARS_BACK = 30  # a consent, an intake or a contact entered afterwards: within a working life
YEARS_AHEAD = 5  # planning: activities, rounds, due dates, absences
_YEAR = timedelta(days=365.25)
T = TypeVar("T", date, datetime)


def window() -> tuple[date, date]:
    """The first and last day any date may have today."""
    today = timezone.localdate()
    return today - YEARS_BACK * _YEAR, today + YEARS_AHEAD * _YEAR


def date_problem(value: date | datetime, *, past_only: bool = False) -> str | None:
    """Why ``value`` cannot be accepted (translated), or None when it lies in its window."""
    day = value.date() if isinstance(value, datetime) else value
    earliest, latest = window()
    if day < earliest:
        return _("Enter a date at most %(years)d years ago.") % {"years": YEARS_BACK}
    if past_only and day > timezone.localdate():
        return _("This date lies in the future.")
    if day > latest:
        return _("Enter a date at most %(years)d years ahead.") % {"years": YEARS_AHEAD}
    return None


def month_start(text: str) -> date:
    """'2026-07' → 1 July 2026; a ValueError (its message for the caller) for no month or one out of reach."""
    try:
        first = date.fromisoformat(text + "-01")
    except ValueError:
        raise ValueError(_("Enter a month such as 2026-07.")) from None
    problem = date_problem(first)
    if problem:
        raise ValueError(problem)
    return first


def form_validator(*, past_only: bool = False) -> Callable[[date | datetime], None]:
    """A validator for a form's date field: a ValidationError with the Dutch message."""

    def validate(value: date | datetime) -> None:
        problem = date_problem(value, past_only=past_only)
        if problem:
            raise ValidationError(problem, code="date_window")

    return validate


def _checked(past_only: bool) -> Callable[[T], T]:
    def check(value: T) -> T:
        problem = date_problem(value, past_only=past_only)
        if problem:
            raise ValueError(problem)
        return value

    return check


# For API schemas: a 422 naming the field when the date lies outside its window.
PlannedDate = Annotated[date, AfterValidator(_checked(past_only=False))]
PlannedMoment = Annotated[datetime, AfterValidator(_checked(past_only=False))]
PastDate = Annotated[date, AfterValidator(_checked(past_only=True))]
PastMoment = Annotated[datetime, AfterValidator(_checked(past_only=True))]
