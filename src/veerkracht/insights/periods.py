"""Fixed periods: figures are published for whole months (and quarters), never for arbitrary days."""

import re
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from veerkracht.core.windows import window

DEFAULT_MONTHS = 12
QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


def month_end(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def default_period(today: date | None = None) -> tuple[date, date]:
    """The last twelve whole months up to and including this one."""
    today = today or timezone.localdate()
    first = today.replace(day=1)
    for _month in range(DEFAULT_MONTHS - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    return first, month_end(today)


def checked_period(first: date | None, last: date | None) -> tuple[date, date]:
    """``first`` must open a month and ``last`` close one; without them, the default period."""
    default_first, default_last = default_period()
    first, last = first or default_first, last or default_last
    if first.day != 1:
        raise ValidationError({"from": _("Figures are published per whole month: start on the 1st.")})
    if last != month_end(last):
        raise ValidationError({"to": _("Figures are published per whole month: end on the last day of a month.")})
    if last < first:
        raise ValidationError({"to": _("The end lies before the start.")})
    if (last - first).days > 3 * 366:
        raise ValidationError({"to": _("Choose at most three years.")})
    return first, last


def checked_compare_at(at: date | None) -> date | None:
    """A before/after date must open a month: two dates a day apart would publish that day's figures."""
    if at is not None and at.day != 1:
        raise ValidationError({"compare_at": _("Figures are published per whole month: compare from the 1st.")})
    return at


def quarter(text: str) -> tuple[date, date]:
    """'2026-Q3' → 1 July 2026 to 30 September 2026."""
    match = QUARTER.match(text or "")
    if not match:
        raise ValidationError({"quarter": _("Enter a quarter such as 2026-Q3.")})
    year, number = int(match.group(1)), int(match.group(2))
    earliest, latest = window()
    if not earliest.year <= year <= latest.year:  # 9999-Q4 has no last day to compute
        raise ValidationError(
            {
                "quarter": _("Choose a quarter between %(first)d and %(last)d.")
                % {"first": earliest.year, "last": latest.year}
            }
        )
    first = date(year, 3 * number - 2, 1)
    if first > timezone.localdate():  # nothing to report yet: an empty page would read as "zero"
        raise ValidationError({"quarter": _("This quarter has not begun yet: choose this quarter or an earlier one.")})
    return first, month_end(date(year, 3 * number, 1))


def recent_quarters(count: int = 8, today: date | None = None) -> list[str]:
    """The running quarter and the ones before it, newest first ('2026-Q3'): the report's choices."""
    today = today or timezone.localdate()
    index = today.year * 4 + (today.month - 1) // 3
    return [f"{(index - back) // 4}-Q{(index - back) % 4 + 1}" for back in range(count)]
