"""Meeting places per neighbourhood: buurthuis, library, park, square, speelspot, and so on."""

import random
from dataclasses import dataclass

from veerkracht.demo.city.housing import NeighbourhoodLayout, Street
from veerkracht.demo.city.names import (
    CHURCH_NAMES,
    COMMUNITY_CENTRE_NAMES,
    MOSQUE_NAMES,
    SCHOOL_KINDS,
    SCHOOL_NAMES,
    TEMPLE_NAMES,
    StreetNamer,
)
from veerkracht.demo.city.specs import City, NeighbourhoodSpec, PlaceSpec


@dataclass(frozen=True, slots=True)
class PlaceRule:
    """How often a kind of place occurs and how big it is.

    ``m2_per_person`` turns the area into a normal capacity: about 4 m² a person for a meeting in
    a hall, 2.5 for church benches, tens of m² for a park or a sports field where people spread out.
    """

    chance: dict[str, float]  # by affluence
    indoor: bool
    area: tuple[int, int]  # m², low and high
    m2_per_person: float


PLACE_RULES: dict[str, PlaceRule] = {
    # Buurthuizen stand mostly in the less affluent neighbourhoods welfare work focuses on.
    "community_centre": PlaceRule({"low": 0.9, "middle": 0.6, "high": 0.35}, True, (250, 900), 4.0),
    "park": PlaceRule({"low": 0.6, "middle": 0.7, "high": 0.8}, False, (15_000, 90_000), 40.0),
    "square": PlaceRule({"low": 0.5, "middle": 0.5, "high": 0.4}, False, (1_500, 6_000), 5.0),
    "sports_field": PlaceRule({"low": 0.35, "middle": 0.4, "high": 0.5}, False, (7_000, 20_000), 50.0),
    "school": PlaceRule({"low": 0.85, "middle": 0.85, "high": 0.8}, True, (1_200, 3_500), 10.0),
    "place_of_worship": PlaceRule({"low": 0.6, "middle": 0.4, "high": 0.3}, True, (300, 1_500), 2.5),
}
LIBRARY = PlaceRule({}, True, (400, 1_500), 8.0)  # one per district
PLAYGROUND = PlaceRule({}, False, (300, 1_500), 15.0)  # one to three per neighbourhood
COURTYARD = PlaceRule({}, False, (600, 3_000), 10.0)  # one per courtyard of flats
# Chance that a place of worship is a mosque / a Hindu temple, by affluence (the rest are churches).
MOSQUE_CHANCE = {"low": 0.5, "middle": 0.25, "high": 0.1}
TEMPLE_CHANCE = {"low": 0.1, "middle": 0.05, "high": 0.0}


class PlaceMaker:
    """Adds the places of one neighbourhood at a time to the city."""

    def __init__(self, rng: random.Random, city: City, namer: StreetNamer) -> None:
        self._rng = rng
        self._city = city
        self._namer = namer
        self._used: set[str] = set()
        self._districts_with_library: set[int] = set()

    def add(self, index: int, theme: int, layout: NeighbourhoodLayout) -> None:
        """The places of neighbourhood ``index``."""
        rng = self._rng
        nbh = self._city.neighbourhoods[index]
        if nbh.district_index not in self._districts_with_library:
            self._districts_with_library.add(nbh.district_index)
            name = f"Bibliotheek {self._city.districts[nbh.district_index].name}"
            self._add(index, layout, "library", name, LIBRARY)
        for kind, rule in PLACE_RULES.items():
            if rng.random() < rule.chance[nbh.affluence]:
                self._add(index, layout, kind, self._name(kind, nbh, theme), rule)
        for _ in range(rng.randint(1, 3)):
            street = rng.choice(layout.streets)
            name = f"{rng.choice(('Speelspot', 'Speeltuin'))} {street.name}"
            self._add(index, layout, "playground", name, PLAYGROUND, street)
        for courtyard in layout.courtyard_indices:
            spec = self._city.courtyards[courtyard]
            self._add(index, layout, "courtyard", spec.name, COURTYARD, at=(spec.x, spec.y))

    def _name(self, kind: str, nbh: NeighbourhoodSpec, theme: int) -> str:
        rng = self._rng
        if kind == "community_centre":
            return f"Buurthuis {rng.choice(COMMUNITY_CENTRE_NAMES)}"
        if kind == "park":
            return self._namer.name(theme, "park")
        if kind == "square":
            return self._namer.name(theme, "plein")
        if kind == "sports_field":
            return f"Sportpark {nbh.name}"
        if kind == "school":
            return f"{rng.choice(SCHOOL_KINDS)} {rng.choice(SCHOOL_NAMES)}"
        draw = rng.random()
        if draw < TEMPLE_CHANCE[nbh.affluence]:
            return rng.choice(TEMPLE_NAMES)
        if draw < TEMPLE_CHANCE[nbh.affluence] + MOSQUE_CHANCE[nbh.affluence]:
            return rng.choice(MOSQUE_NAMES)
        return rng.choice(CHURCH_NAMES)

    def _add(
        self,
        index: int,
        layout: NeighbourhoodLayout,
        kind: str,
        name: str,
        rule: PlaceRule,
        street: Street | None = None,
        at: tuple[float, float] | None = None,
    ) -> None:
        rng = self._rng
        nbh = self._city.neighbourhoods[index]
        street = street or rng.choice(layout.streets)
        if at is None:
            x = rng.uniform(nbh.rect.x0, nbh.rect.x1)
            at = (x, street.y + rng.uniform(-0.3, 0.3) * street.band)
        x, y = nbh.rect.clamp(*at)
        # Outdoor space (at most a third of the neighbourhood) has no house number of its own.
        cell = (nbh.rect.x1 - nbh.rect.x0) * (nbh.rect.y1 - nbh.rect.y0)
        area = round(min(rng.uniform(*rule.area), cell / 3), -1)
        address = f"{street.name} {street.take_number(rng.random() < 0.5)}" if rule.indoor else street.name
        self._city.places.append(
            PlaceSpec(
                neighbourhood_index=index,
                name=self._unique(name, nbh.name),
                kind=kind,
                street_address=address,
                indoor=rule.indoor,
                area_m2=int(area),
                normal_capacity=max(10, int(area / rule.m2_per_person)),
                x=x,
                y=y,
            )
        )

    def _unique(self, name: str, neighbourhood: str) -> str:
        """Two buurthuizen called "De Brug" in one city get their neighbourhood added."""
        candidate = name
        number = 2
        while candidate in self._used:
            candidate = f"{name} ({neighbourhood})" if number == 2 else f"{name} ({neighbourhood} {number})"
            number += 1
        self._used.add(candidate)
        return candidate
