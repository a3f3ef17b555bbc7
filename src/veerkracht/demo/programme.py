"""The demo city's meeting places made usable: accessibility, opening hours, and a programme.

Each neighbourhood gets the activities of the 2021 publication: a weekly coffee morning in its
community centre, a plantsoenbingo in its park for 40 people, a balkonbingo in the courtyard of its
flats, a walk, and one city-wide webinar.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

WEEKDAYS_9_TO_22 = {str(day): [["09:00", "22:00"]] for day in range(5)} | {"5": [["10:00", "17:00"]]}
INDOOR_KINDS = {"community_centre", "library", "school", "place_of_worship"}


def opening_hours_of(kind: str) -> dict[str, list[list[str]]]:
    """Indoor places keep office hours (closed on Sundays); outdoor places are always open."""
    return WEEKDAYS_9_TO_22 if kind in INDOOR_KINDS else {}


def place_features(rng: random.Random, kind: str, indoor: bool) -> dict[str, Any]:
    """Accessibility and opening hours typical for the kind of place."""
    public_building = kind in ("community_centre", "library")
    return {
        "step_free": public_building or (not indoor and rng.random() < 0.8),
        "accessible_toilet": public_building and rng.random() < 0.9,
        "hearing_loop": public_building and rng.random() < 0.5,
        "seating": public_building or (kind in ("park", "square", "courtyard") and rng.random() < 0.7),
        "transit_distance_m": rng.choice((80, 150, 250, 400, 650)),
        "opening_hours": opening_hours_of(kind),
        "contact_person": "Beheer buurthuis" if kind == "community_centre" else "",
    }


@dataclass(frozen=True)
class PlannedActivity:
    title: str
    kind: str
    place_id: int | None
    starts_at: datetime
    hours: float
    max_participants: int | None
    description: str
    target_groups: tuple[str, ...]
    online_link: str = ""
    max_online: int | None = None


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0))


def _open_on(hours: dict[str, list[list[str]]], day: date, hour: int, duration: float) -> bool:
    if not hours:
        return True
    begin, end = time(hour, 0), (_at(day, hour) + timedelta(hours=duration)).time()
    periods = hours.get(str(day.weekday()), [])
    return any(time.fromisoformat(opens) <= begin and end <= time.fromisoformat(closes) for opens, closes in periods)


def first_open_day(kind: str, day: date, hour: int, duration: float) -> date:
    """``day``, or the first day after it on which a place of ``kind`` is open for the whole activity."""
    hours = opening_hours_of(kind)
    for offset in range(7):
        if _open_on(hours, day + timedelta(days=offset), hour, duration):
            return day + timedelta(days=offset)
    raise ValueError(f"a {kind} is never open from {hour}:00 for {duration} hours")


def neighbourhood_programme(places: list[tuple[int, str, str]], today: date) -> list[PlannedActivity]:
    """The coming activities of one neighbourhood, given its places as (id, kind, name)."""
    by_kind: dict[str, tuple[int, str]] = {}
    for place_id, kind, name in places:
        by_kind.setdefault(kind, (place_id, name))
    planned = []
    if "community_centre" in by_kind:
        place_id, _name = by_kind["community_centre"]
        first_morning = first_open_day("community_centre", today + timedelta(days=2), 10, 2)
        planned += [
            PlannedActivity(
                "Koffieochtend",
                "coffee_morning",
                place_id,
                _at(first_morning + timedelta(weeks=week), 10),
                2,
                30,
                "Samen koffie drinken en de buurt spreken. Iedereen welkom.",
                ("everyone", "seniors"),
            )
            for week in range(4)
        ]
    if "courtyard" in by_kind:
        planned.append(
            PlannedActivity(
                "Balkonbingo",
                "balkonbingo",
                by_kind["courtyard"][0],
                _at(today + timedelta(days=4), 15),
                1.5,
                60,
                "Bingo vanaf uw balkon: de kaart komt door de brievenbus, de getallen roepen we om op de binnenplaats.",
                ("everyone", "seniors"),
            )
        )
    outdoor = by_kind.get("park") or by_kind.get("square") or by_kind.get("courtyard")
    if outdoor:
        planned.append(
            PlannedActivity(
                "Plantsoenbingo",
                "plantsoenbingo",
                outdoor[0],
                _at(today + timedelta(days=5), 14),
                2,
                40,
                "Bingo in het groen, met ruimte tussen de tafels. Kaarten krijgt u ter plekke.",
                ("everyone", "seniors"),
            )
        )
        planned.append(
            PlannedActivity(
                "Buurtwandeling",
                "walk",
                outdoor[0],
                _at(today + timedelta(days=3), 11),
                1.5,
                15,
                "Een rustige wandeling door de buurt, met een pauze op een bankje.",
                ("seniors", "older_migrants"),
            )
        )
    return planned


def city_webinar(today: date) -> PlannedActivity:
    return PlannedActivity(
        "Webinar: veilig beeldbellen met familie",
        "webinar",
        None,
        _at(today + timedelta(days=8), 19),
        1,
        None,
        "Leer in een uur hoe u met uw tablet of telefoon beeldbelt.",
        ("seniors",),
        online_link="https://webinar.example/veerkracht-beeldbellen",
        max_online=100,
    )
