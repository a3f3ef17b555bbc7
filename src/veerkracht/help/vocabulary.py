"""Kinds of help and the weekly moments of availability (7 days × 3 parts of the day, one bit each)."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _


class HelpKind(models.TextChoices):
    GROCERIES = "groceries", _("Groceries")
    MEAL = "meal", _("Meal")
    COMPANY = "company", _("Company")
    WALK = "walk", _("Walk")
    TRANSPORT = "transport", _("Transport")
    DIGITAL = "digital", _("Digital help")
    ODD_JOBS = "odd_jobs", _("Odd jobs")


class PartOfDay(models.IntegerChoices):
    MORNING = 0, _("morning")
    AFTERNOON = 1, _("afternoon")
    EVENING = 2, _("evening")


WEEKDAYS = [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"), _("Sunday")]
PARTS = len(PartOfDay.values)
ALL_MOMENTS = (1 << (7 * PARTS)) - 1


def moment_bit(weekday: int, part: int) -> int:
    """The bit of one part of one weekday (Monday = 0)."""
    return 1 << (weekday * PARTS + part)


def moments_of_day(weekday: int, part: int | None) -> int:
    """One part of a weekday, or the whole day when no part is given."""
    if part is not None:
        return moment_bit(weekday, part)
    return sum(moment_bit(weekday, p) for p in PartOfDay.values)


def moments_between(first: date, last: date, part: int | None) -> int:
    """The weekly moments met by some day from ``first`` to ``last`` (a week or more: every day)."""
    mask = 0
    day = first
    while day <= last and day < first + timedelta(days=7):
        mask |= moments_of_day(day.weekday(), part)
        day += timedelta(days=1)
    return mask


def day_and_part(weekday: int, part: int) -> str:
    """ "Monday morning"; one word in Dutch ("maandagochtend"), the part first in Arabic: the
    translation of the pattern decides."""
    # Translators: a weekday and a part of the day; Dutch writes them as one word ("%(day)s%(part)s").
    return gettext_now("%(day)s %(part)s") % {"day": WEEKDAYS[weekday], "part": PartOfDay(part).label}


def moment_choices() -> list[tuple[int, str]]:
    """Every weekly moment as a (bit number, "Monday morning") choice for a form."""
    return [(weekday * PARTS + part, day_and_part(weekday, part)) for weekday in range(7) for part in PartOfDay.values]


def describe_when(
    *, weekly: bool, first_day: date, last_day: date | None, weekday: int | None, part: int | None
) -> str:
    """ "every Tuesday morning", "from 3 Dec to 7 Dec (afternoon)": when the help is wanted; in Dutch
    "elke dinsdagochtend", "van 3 dec tot en met 7 dec ('s middags)"."""
    if weekly and weekday is not None:
        if part is None:
            return gettext_now("every %(day)s") % {"day": WEEKDAYS[weekday]}
        return gettext_now("every %(moment)s") % {"moment": day_and_part(weekday, part)}
    # Translators: a day and a short month, as a Django date format; Dutch writes the month small ("j b": "27 nov").
    day_month = gettext_now("j M")
    first = formats.date_format(first_day, day_month)
    last = formats.date_format(last_day or first_day, day_month)
    if first == last:
        text = gettext_now("on %(day)s") % {"day": first}
    else:
        # Translators: both days count ("tot en met" in Dutch).
        text = gettext_now("from %(first)s to %(last)s") % {"first": first, "last": last}
    if part is None:
        return text
    return gettext_now("%(days)s (%(part)s)") % {"days": text, "part": PartOfDay(part).label}


def moments_from(numbers: list[int] | None) -> int:
    """The bitmask of a list of moment numbers (``moment_choices``); None means every moment."""
    if numbers is None:
        return ALL_MOMENTS
    mask = 0
    for number in numbers:
        if not 0 <= number < 7 * PARTS:
            raise ValidationError({"moments": gettext_now("Moments are numbered 0 (Monday morning) to 20.")})
        mask |= 1 << number
    return mask
