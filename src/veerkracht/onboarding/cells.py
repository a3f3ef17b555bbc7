"""Reading one cell of an imported row, or refusing the row with a Dutch reason naming the value."""

import re
from datetime import date
from typing import Any

from django.utils import translation

from veerkracht.onboarding.reporting import RowError

_POSTCODE = re.compile(r"^([1-9][0-9]{3})\s*([A-Za-z]{2})$")
_DUTCH_DATE = re.compile(r"^([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4})$")
_ISO_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
_TRUE = {"ja", "j", "yes", "y", "true", "waar", "1", "x"}
_FALSE = {"nee", "n", "no", "false", "onwaar", "0", ""}


def required(row: dict[str, str], column: str) -> str:
    value = row.get(column, "").strip()
    if not value:
        raise RowError(column, f"{column} ontbreekt")
    return value


def postcode(row: dict[str, str], column: str = "postcode") -> str:
    value = required(row, column)
    match = _POSTCODE.match(value)
    if not match or match.group(2).upper() in {"SA", "SD", "SS"}:
        raise RowError(column, f"postcode {value} is geen Nederlandse postcode (zoals 1234 AB)")
    return f"{match.group(1)} {match.group(2).upper()}"


def whole_number(row: dict[str, str], column: str, *, minimum: int = 0, optional: bool = False) -> int | None:
    value = row.get(column, "").strip()
    if not value and optional:
        return None
    if not value:
        raise RowError(column, f"{column} ontbreekt")
    if not value.isdigit() or int(value) < minimum:
        raise RowError(column, f"{column} {value} is geen geldig getal")
    return int(value)


def decimal_number(row: dict[str, str], column: str, *, optional: bool = False) -> float | None:
    value = row.get(column, "").strip()
    if not value and optional:
        return None
    try:
        return float(required(row, column).replace(",", "."))
    except ValueError:
        raise RowError(column, f"{column} {value} is geen getal") from None


def day(row: dict[str, str], column: str, *, optional: bool = False) -> date | None:
    """A date as dd-mm-jjjj (also with / or .) or ISO (jjjj-mm-dd); one that does not exist is refused."""
    value = row.get(column, "").strip()
    if not value and optional:
        return None
    value = required(row, column)
    if match := _DUTCH_DATE.match(value):
        d, m, y = (int(part) for part in match.groups())
    elif match := _ISO_DATE.match(value):
        y, m, d = (int(part) for part in match.groups())
    else:
        raise RowError(column, f"{column} {value} is geen datum (dd-mm-jjjj)")
    try:
        return date(y, m, d)
    except ValueError:
        raise RowError(column, f"{column} {value} bestaat niet") from None


def yes_no(row: dict[str, str], column: str) -> bool:
    value = row.get(column, "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise RowError(column, f"{column} {value} is geen ja of nee")


def short(row: dict[str, str], column: str, length: int) -> str:
    value = row.get(column, "").strip()
    if len(value) > length:
        raise RowError(column, f"{column} {value} is langer dan {length} tekens")
    return value


def codes(row: dict[str, str], column: str, labels: dict[str, str]) -> list[str]:
    """Comma-separated codes or Dutch labels (any case): 'nl, Turks' → ['nl', 'tr']."""
    found = []
    lookup = {code.lower(): code for code in labels} | {label.lower(): code for code, label in labels.items()}
    for part in row.get(column, "").split(","):
        text = part.strip().lower()
        if not text:
            continue
        if text not in lookup:
            raise RowError(column, f"{column}: {part.strip()} is onbekend")
        found.append(lookup[text])
    return sorted(set(found))


def dutch_labels(pairs: list[tuple[str, Any]]) -> dict[str, str]:
    """Code -> Dutch label of a list of choices, for reading a cell that holds either."""
    with translation.override("nl"):
        return {code: str(label) for code, label in pairs}
