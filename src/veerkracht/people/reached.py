"""'Last reached': moved forward as residents are reached, and counted by the reporting app above people.

Contacts and activities reach residents; insights keeps the reach dashboard's counts. People may
not import insights (docs/layers.md), so insights registers a :class:`ReachCounter` from its
``AppConfig.ready``, and every move of 'last reached' runs through :func:`residents_reached`, which
lets each counter read the residents' state (locking their rows) before the move and count after it,
in the caller's transaction.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Q

from veerkracht.core.registry import Registry
from veerkracht.people.models import Resident


@dataclass(frozen=True)
class ReachCounter:
    """``before`` reads (and locks) what the counter needs of the residents; ``after`` counts the move from it."""

    before: Callable[[list[int]], object]
    after: Callable[[object, datetime], None]


reach_counters: Registry[ReachCounter] = Registry("reach counter")


def residents_reached(resident_ids: list[int], at: datetime) -> None:
    """Move the residents' 'last reached' forward to ``at``, and let the counters count whom that newly reaches.

    Never backwards: a back-dated contact does not make anyone's 'last reached' older.
    """
    with transaction.atomic(savepoint=False):  # part of the caller's write: no savepoint round trips
        before = [(counter, counter.before(resident_ids)) for counter in reach_counters.values()]
        Resident.objects.filter(pk__in=resident_ids).filter(
            Q(last_reached_at__isnull=True) | Q(last_reached_at__lt=at)
        ).update(last_reached_at=at)
        for counter, state in before:
            counter.after(state, at)
