"""Counters over the resident register, kept by the apps above people inside the writing transaction.

Every write of the register that can move a count (registering, changing, erasing, an import's
new and changed rows) runs inside :func:`residents_written`, as contacts (contacts/counters.py),
attendance (activities/counters.py) and 'last reached' (people/reached.py) run their counters:
one mechanism for every kept figure, no signals. People may not import insights
(docs/layers.md), so insights registers a :class:`RegisterCounter` from its ``AppConfig.ready``.
A write that bypasses this (a raw ``save()`` outside the services) is not counted: the next day's
first read counts from scratch, and ``veerkracht insights_rebuild`` does so at once.
"""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import transaction

from veerkracht.core.registry import Registry


@dataclass(frozen=True)
class RegisterCounter:
    """``before`` reads (and locks) what the counter needs of the residents before the write;
    ``after`` counts the change from it, given every resident written (new ones included)."""

    before: Callable[[list[int]], object]
    after: Callable[[object, list[int]], None]


register_counters: Registry[RegisterCounter] = Registry("register counter")


@contextmanager
def residents_written(resident_ids: Iterable[int] = ()) -> Iterator[list[int]]:
    """Write residents in the block; the counters read them before it and count the change after it.

    ``resident_ids`` names residents that exist before the write; the block adds the ids of the
    residents it creates to the list it is given. All of it in the caller's transaction, so a
    count never disagrees with the register: a write that fails takes its count with it.
    """
    written = list(resident_ids)
    with transaction.atomic(savepoint=False):
        before = [(counter, counter.before(list(written))) for counter in register_counters.values()]
        yield written
        for counter, state in before:
            counter.after(state, written)
