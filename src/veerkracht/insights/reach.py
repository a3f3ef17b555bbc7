"""Reach per neighbourhood and target group, counted once a day and kept up to date after that.

The reach dashboard asks, per neighbourhood and target group: how many residents, and how many
of them were reached since the start of the day 30 (or 90) days ago. Counting that over every
resident takes half a second at a million residents, so the answer is kept in ``ReachDaily``:

- The first read of a day (or ``veerkracht insights_rebuild``) counts every resident of the
  organisation once, for each published window and the organisation's out-of-sight days.
  Windows start at midnight, so they do not move during the day: the counts stay exact.
- After that every change that matters is added as it happens, inside the writing transaction: a
  resident reached (``reach_after``, which people/reached.py calls where 'last reached' moves), and
  residents registered, changed, erased or imported (``register_after``, which
  people/counters.py calls around every write of the register).

Residents without a snapshot of today are left alone: the next read counts them anyway.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from veerkracht.core.models import Organisation
from veerkracht.core.tenancy import organisation_context
from veerkracht.insights.models import ReachDaily
from veerkracht.people.models import Resident
from veerkracht.people.vocabulary import MARKERS, any_marker_filter, marker_filter

WINDOWS = (30, 90)  # the published windows, in days
GROUPS = (*MARKERS, "everyone", "marked")  # "marked": at least one marker (the out-of-sight count)
STATE_FIELDS = (
    "organisation_id",
    "neighbourhood_id",
    "last_reached_at",
    "erased_at",
    "birth_year",
    *(marker for marker in MARKERS if marker != "aged_75_plus"),  # 75+ follows from the year of birth
)


def windows_of(organisation: Organisation) -> list[int]:
    return sorted({*WINDOWS, organisation.out_of_sight_days})


def window_start(today: date, days: int) -> datetime:
    """Reached 'in the last ``days`` days': since the start of the day ``days`` days ago."""
    return datetime.combine(today - timedelta(days=days), time.min, tzinfo=timezone.get_current_timezone())


# --- counting every resident once a day -------------------------------------------------------------


def _group_filter(group: str, this_year: int) -> Q:
    if group == "everyone":
        return Q()
    if group == "marked":
        return any_marker_filter(this_year=this_year)
    return marker_filter(group, this_year=this_year)


def reach_count(organisation: Organisation, today: date) -> None:
    """Count today's reach of every neighbourhood of the organisation (once; a second call does nothing)."""
    windows = windows_of(organisation)
    aggregates = {}
    for group in GROUPS:
        in_group = _group_filter(group, today.year)
        aggregates[f"{group}|all"] = Count("pk", filter=in_group)
        for days in windows:
            reached = in_group & Q(last_reached_at__gte=window_start(today, days))
            aggregates[f"{group}|{days}"] = Count("pk", filter=reached)
    per_area = (
        Resident.objects.filter(organisation=organisation, erased_at__isnull=True)
        .values("neighbourhood_id")
        .annotate(**aggregates)
        .order_by()
    )
    rows = [
        ReachDaily(
            organisation=organisation, neighbourhood_id=row["neighbourhood_id"], day=today, window=days,
            group=group, residents=row[f"{group}|all"], reached=row[f"{group}|{days}"],
        )
        for row in per_area
        for days in windows
        for group in GROUPS
    ]  # fmt: skip
    try:
        with transaction.atomic():
            ReachDaily.objects.filter(organisation=organisation, day__lt=today).delete()
            ReachDaily.objects.bulk_create(rows, batch_size=2000)
    except IntegrityError:  # another request counted today's first: theirs stands
        return


def reach_count_due() -> None:
    """Count today's reach of every organisation that has none yet (the worker's daily job), so
    that the day's first dashboard does not wait for it. Each under its own organisation, as
    row-level security requires."""
    today = timezone.localdate()
    for organisation in Organisation.objects.order_by("pk"):
        if not counted_today(organisation.pk, today):
            with organisation_context(organisation.pk):
                reach_count(organisation, today)


def reach_forget(organisation_id: int) -> None:
    """Drop the counts (after an import or a rebuild): the next read counts again."""
    ReachDaily.objects.filter(organisation_id=organisation_id).delete()


def counted_today(organisation_id: int, today: date) -> bool:
    return ReachDaily.objects.filter(organisation_id=organisation_id, day=today).exists()


# --- keeping the counts as residents change -----------------------------------------------------------


@dataclass(frozen=True)
class State:
    """What decides where a resident counts: their area, groups and the day they were last reached."""

    organisation_id: int
    neighbourhood_id: int
    groups: frozenset[str]
    last_reached_at: datetime | None
    erased: bool


def state_of(values: dict[str, Any], this_year: int) -> State:
    markers = {m for m in MARKERS if (values["birth_year"] <= this_year - 75 if m == "aged_75_plus" else values[m])}
    groups = {*markers, "everyone", *(["marked"] if markers else [])}
    return State(
        values["organisation_id"],
        values["neighbourhood_id"],
        frozenset(groups),
        values["last_reached_at"],
        values["erased_at"] is not None,
    )


def _state_rows(ids: list[int], *, lock: bool) -> QuerySet[Resident, tuple[Any, ...]]:
    residents = Resident.objects.filter(pk__in=ids)
    return (residents.select_for_update() if lock else residents).order_by("pk").values_list("pk", *STATE_FIELDS)


def states(resident_ids: Iterable[int], this_year: int, *, lock: bool = False) -> dict[int, State]:
    ids = list(resident_ids)
    rows = _state_rows(ids, lock=lock)
    return {row[0]: state_of(dict(zip(STATE_FIELDS, row[1:], strict=True)), this_year) for row in rows}


def _contribution(state: State | None, windows: list[int], today: date) -> Counter[tuple[int, int, str, str]]:
    """(neighbourhood, window, group, "residents" | "reached") → 1 for each count the resident is in."""
    counts: Counter[tuple[int, int, str, str]] = Counter()
    if state is None or state.erased:
        return counts
    for days in windows:
        reached = state.last_reached_at is not None and state.last_reached_at >= window_start(today, days)
        for group in state.groups:
            counts[(state.neighbourhood_id, days, group, "residents")] += 1
            counts[(state.neighbourhood_id, days, group, "reached")] += int(reached)
    return counts


def apply_changes(before: dict[int, State], after: dict[int, State]) -> None:
    """Move the residents' counts from where they were (``before``) to where they are (``after``)."""
    today = timezone.localdate()
    counted = ReachDaily.objects.filter(organisation_id=OuterRef("pk"), day=today)
    organisations = Organisation.objects.filter(
        pk__in={s.organisation_id for s in (*before.values(), *after.values())}
    ).filter(Exists(counted))  # one query for 'counted today?' and the windows
    for organisation in organisations.only("out_of_sight_days"):
        organisation_id, windows = organisation.pk, windows_of(organisation)
        delta: Counter[tuple[int, int, str, str]] = Counter()
        for pk in {*before, *after}:
            old, new = before.get(pk), after.get(pk)
            if organisation_id in {s.organisation_id for s in (old, new) if s is not None}:
                delta.update(_contribution(new, windows, today))
                delta.subtract(_contribution(old, windows, today))
        _write(organisation_id, today, delta)


def _write(organisation_id: int, today: date, delta: Counter[tuple[int, int, str, str]]) -> None:
    """One UPDATE per area, window and change: the groups that change alike move together.

    Always in the same order, so two transactions changing the same rows wait rather than deadlock.
    """
    changes: dict[tuple[int, int, int, int], list[str]] = {}
    for area, days, group in sorted({(area, days, group) for area, days, group, _what in delta}):
        step = (delta[(area, days, group, "residents")], delta[(area, days, group, "reached")])
        if step != (0, 0):
            changes.setdefault((area, days, *step), []).append(group)
    for (area, days, residents, reached), groups in sorted(changes.items()):
        where = {"organisation_id": organisation_id, "neighbourhood_id": area, "day": today, "window": days}
        if residents > 0:  # a neighbourhood without residents this morning has no rows yet
            ReachDaily.objects.bulk_create([ReachDaily(**where, group=g) for g in GROUPS], ignore_conflicts=True)
        ReachDaily.objects.filter(**where, group__in=groups).update(
            residents=F("residents") + residents, reached=F("reached") + reached
        )


def reach_before(resident_ids: list[int]) -> dict[int, State]:
    """Before 'last reached' moves (people/reached.py): the residents' state, their rows locked to the
    end of the transaction, so two contacts with the same resident at once count them once."""
    return states(resident_ids, timezone.localdate().year, lock=True)


def register_before(resident_ids: list[int]) -> dict[int, State]:
    """Before residents are written (people/counters.py): the state of those that exist, their rows locked."""
    return states(resident_ids, timezone.localdate().year, lock=True) if resident_ids else {}


def register_after(before: object, resident_ids: list[int]) -> None:
    """After the write: move the counts from the state before it to the residents' state now (new ones included)."""
    assert isinstance(before, dict)  # noqa: S101 - what register_before returned
    if resident_ids:
        apply_changes(before, states(resident_ids, timezone.localdate().year))


def reach_after(before: object, at: datetime) -> None:
    """After the move: count whom it newly reaches, from the state before it without reading the rows again."""
    assert isinstance(before, dict)  # noqa: S101 - what reach_before returned
    moved = {pk for pk, state in before.items() if state.last_reached_at is None or state.last_reached_at < at}
    if moved:
        after = {pk: replace(state, last_reached_at=at) if pk in moved else state for pk, state in before.items()}
        apply_changes(before, after)
