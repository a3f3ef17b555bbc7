"""How a place reads on its public pages: accessibility as words, opening hours per weekday."""

from dataclasses import dataclass

from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

from veerkracht.places.capacity import place_safe_capacity
from veerkracht.places.models import Place

TRANSIT_NEAR_M = 400  # "public transport nearby": within 400 m, a five-minute walk


def transit_near_label() -> str:
    return _("Public transport within %(distance)s m") % {"distance": TRANSIT_NEAR_M}


def accessibility_features(place: Place) -> list[str]:
    """What makes the place accessible, in words (never only as icons)."""
    features = [
        label
        for present, label in (
            (place.step_free, _("Step-free access")),
            (place.accessible_toilet, _("Accessible toilet")),
            (place.hearing_loop, _("Hearing loop")),
            (place.seating, _("Seating")),
        )
        if present
    ]
    if place.transit_distance_m is not None:
        features.append(_("Public transport at %(distance)s m") % {"distance": place.transit_distance_m})
    return features


def _periods(hours: dict[str, list[list[str]]], day: int) -> str:
    periods = hours.get(str(day), [])
    return ", ".join(f"{opens}–{closes}" for opens, closes in periods)


def opening_days(place: Place) -> list[tuple[str, str]]:
    """Every weekday from Monday with its opening times, or "closed"; empty when always open."""
    if not place.opening_hours:
        return []
    return [(str(WEEKDAYS[day]), _periods(place.opening_hours, day) or _("closed")) for day in range(7)]


def opening_summary(place: Place) -> str:
    """The opening hours in one line, consecutive days with the same times taken together."""
    hours = place.opening_hours
    if not hours:
        return _("Always open")
    runs: list[tuple[int, int, str]] = []  # first day, last day, times
    for day in range(7):
        times = _periods(hours, day)
        if runs and runs[-1][2] == times and runs[-1][1] == day - 1:
            runs[-1] = (runs[-1][0], day, times)
        else:
            runs.append((day, day, times))
    parts = []
    for first, last, times in runs:
        if not times:
            continue
        days = (
            str(WEEKDAYS[first])
            if first == last
            else _("%(first)s to %(last)s") % {"first": WEEKDAYS[first], "last": WEEKDAYS[last]}
        )
        parts.append(f"{days} {times}")
    return "; ".join(parts) if parts else _("Closed every day")


@dataclass(frozen=True)
class PlaceEntry:
    """A place with what its public pages show about it."""

    place: Place
    safe_capacity: int | None
    features: list[str]
    hours: str


def place_entry(place: Place) -> PlaceEntry:
    """The place as the public list shows it (the organisation must be loaded along)."""
    return PlaceEntry(
        place=place,
        safe_capacity=place_safe_capacity(place),
        features=accessibility_features(place),
        hours=opening_summary(place),
    )
