"""Resident saves and deletions move the reach counts (``insights.reach``).

The people app knows nothing of dashboards; these receivers follow its saves instead. Before a
save the resident's stored state is read (once the day's counts exist), after it the new one,
and the difference is applied.
"""

from typing import Any

from django.utils import timezone

from veerkracht.insights.reach import State, apply_changes, counted_today, states
from veerkracht.people.models import Resident

BEFORE = "_reach_before"


def _stored(resident: Resident) -> dict[int, State]:
    if resident.pk is None or not counted_today(resident.organisation_id, timezone.localdate()):
        return {}
    return states([resident.pk], timezone.localdate().year)


def before_save(sender: type[Resident], instance: Resident, **kwargs: Any) -> None:
    setattr(instance, BEFORE, _stored(instance))


def after_save(sender: type[Resident], instance: Resident, **kwargs: Any) -> None:
    before = getattr(instance, BEFORE, {})
    if before or counted_today(instance.organisation_id, timezone.localdate()):
        apply_changes(before, states([instance.pk], timezone.localdate().year))


def before_delete(sender: type[Resident], instance: Resident, **kwargs: Any) -> None:
    setattr(instance, BEFORE, _stored(instance))


def after_delete(sender: type[Resident], instance: Resident, **kwargs: Any) -> None:
    before = getattr(instance, BEFORE, {})
    if before:
        apply_changes(before, {})


def after_bulk_add(sender: type[Resident], resident_ids: list[int], **kwargs: Any) -> None:
    """Residents inserted in bulk (an import): their counts, in one read, once the day's counts exist."""
    if resident_ids:
        apply_changes({}, states(resident_ids, timezone.localdate().year))
