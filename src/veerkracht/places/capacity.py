"""A place's safe capacity under its organisation's rule, and whether it is open."""

from datetime import datetime, time

from django.utils import timezone

from veerkracht.core.models import Organisation
from veerkracht.engines.capacity import Rule, safe_capacity
from veerkracht.places.models import Place, PlaceKind


def rule_for(place: Place, organisation: Organisation) -> Rule:
    """The distancing rule that applies to the place today: indoor or outdoor, or none."""
    if not organisation.distancing_rule or place.kind == PlaceKind.ONLINE:
        return Rule()
    if place.indoor:
        return Rule(organisation.indoor_m2_per_person)
    return Rule(place.outdoor_m2_per_person or organisation.outdoor_m2_per_person)


def place_safe_capacity(place: Place) -> int | None:
    """How many people the place may hold at once under the rule in force."""
    rule = rule_for(place, place.organisation)
    return safe_capacity(area_m2=place.area_m2, normal_capacity=place.normal_capacity, rule=rule)


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def is_open(place: Place, starts_at: datetime, ends_at: datetime) -> bool:
    """Whether the activity fits within one opening period of its day; no hours means always open."""
    if not place.opening_hours:
        return True
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    if start.date() != end.date():
        return False
    periods = place.opening_hours.get(str(start.weekday()), [])
    begin, finish = start.hour * 60 + start.minute, end.hour * 60 + end.minute
    return any(_minutes(opens) <= begin and finish <= _minutes(closes) for opens, closes in periods)


def opening_hours_valid(hours: object) -> bool:
    """{"0".."6": [["HH:MM", "HH:MM"], ...]} with each period opening before it closes."""
    if not isinstance(hours, dict):
        return False
    try:
        return all(
            day in {str(number) for number in range(7)}
            and all(time.fromisoformat(opens) < time.fromisoformat(closes) for opens, closes in periods)
            for day, periods in hours.items()
        )
    except (TypeError, ValueError):
        return False
