"""Reading the one row a unique filter names."""

from typing import Any, TypeVar

from django.db.models import QuerySet

Row = TypeVar("Row")


def unique_or_none(rows: QuerySet[Any, Row]) -> Row | None:
    """The row (or value) a filter on a unique key names (an id, a token, a one-to-one link), or None.

    ``first()`` would sort by the key to choose among rows that a unique key cannot have, and the
    ORM spends more building that ORDER BY than the rest of a small read; ``get()`` raises instead
    of answering None. The caller's filter must be on a unique key.
    """
    return next(iter(rows[:1]), None)
