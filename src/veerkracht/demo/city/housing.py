"""Where the households live: streets with postcodes, houses, blocks of flats round courtyards.

A neighbourhood is a square; its streets run east-west in equal bands, houses on both sides (odd
numbers north, even south, as Dutch streets are numbered), and clusters of two to four blocks of
flats round a courtyard. Every coordinate is clamped inside the neighbourhood's square.
"""

import itertools
import random
import string
from collections.abc import Iterator
from dataclasses import dataclass, field

from veerkracht.demo.city.names import StreetNamer
from veerkracht.demo.city.people import HouseholdPlan
from veerkracht.demo.city.specs import (
    BuildingSpec,
    City,
    CourtyardSpec,
    EntranceSpec,
    HouseholdSpec,
    NeighbourhoodSpec,
)

MARGIN = 15.0  # metres kept clear along the neighbourhood's edge
ENTRANCE_SPACING = 14.0  # metres between two portieken of one block
# Singles, single parents and house sharers live in flats more often than families do.
FLAT_FACTOR_BY_TYPE = {"single": 1.35, "couple": 1.0, "family": 0.6, "single_parent": 1.3, "shared": 1.3}
# (floors, weight): portiekflats of three to five storeys, galerijflats of eight and more.
FLOORS_BY_AFFLUENCE: dict[str, tuple[tuple[int, float], ...]] = {
    "low": ((4, 0.5), (5, 0.2), (8, 0.15), (10, 0.15)),
    "middle": ((3, 0.3), (4, 0.4), (6, 0.2), (8, 0.1)),
    "high": ((3, 0.3), (4, 0.3), (6, 0.25), (12, 0.15)),
}
LOT_WIDTH_BY_AFFLUENCE = {"low": 6.0, "middle": 8.0, "high": 14.0}  # metres of street front per house
SPLIT_HOUSE_SHARE = {"low": 0.08, "middle": 0.03, "high": 0.0}  # benedenwoning + bovenwoning
CLUSTER_WIDTH = 140.0  # metres of street a courtyard cluster takes
NON_POSTCODE_LETTERS = frozenset({"SA", "SD", "SS"})  # letter pairs PostNL does not use


@dataclass(slots=True)
class Street:
    name: str
    postcode: str
    y: float  # the street's centre line
    band: float  # the height of the strip it serves
    next_odd: int = 1
    next_even: int = 2

    def take_number(self, north: bool) -> int:
        """The next free house number on one side of the street."""
        if north:
            self.next_odd += 2
            return self.next_odd - 2
        self.next_even += 2
        return self.next_even - 2


@dataclass(slots=True)
class Block:
    floors: int
    entrances: int
    per_floor: int  # flats per floor per entrance
    plans: list[tuple[tuple[int, int, int], HouseholdPlan]] = field(default_factory=list)  # (entrance, floor, slot)


@dataclass(slots=True)
class Row:
    """What one street carries: courtyard clusters of flats, or houses."""

    clusters: list[list[Block]] = field(default_factory=list)
    houses: list[list[HouseholdPlan]] = field(default_factory=list)


@dataclass(slots=True)
class NeighbourhoodLayout:
    """What the places generator needs to know about a built neighbourhood."""

    streets: list[Street]
    courtyard_indices: list[int]


def flat_chances(
    flat_share_by_affluence: dict[str, float], type_shares: dict[str, float]
) -> dict[tuple[str, str], float]:
    """The chance a household lives in a flat, by (affluence, type), keeping each affluence's share."""
    mean_factor = sum(FLAT_FACTOR_BY_TYPE.get(kind, 1.0) * share for kind, share in type_shares.items())
    return {
        (level, kind): min(0.98, share * FLAT_FACTOR_BY_TYPE.get(kind, 1.0) / mean_factor)
        for level, share in flat_share_by_affluence.items()
        for kind in type_shares
    }


class NeighbourhoodBuilder:
    """Builds one neighbourhood at a time into the city's lists."""

    def __init__(self, rng: random.Random, city: City, namer: StreetNamer, chances: dict[tuple[str, str], float]):
        self._rng = rng
        self._city = city
        self._namer = namer
        self._chances = chances

    def build(
        self, index: int, theme: int, plans: list[HouseholdPlan]
    ) -> tuple[NeighbourhoodLayout, list[HouseholdPlan]]:
        """House the plans; returns the layout and the plans in the order their households were added."""
        rng = self._rng
        nbh = self._city.neighbourhoods[index]
        flats: list[HouseholdPlan] = []
        houses: list[HouseholdPlan] = []
        for plan in plans:
            (flats if rng.random() < self._chances[(nbh.affluence, plan.kind)] else houses).append(plan)
        clusters = self._clusters(self._blocks(nbh.affluence, flats))
        house_groups = self._house_groups(nbh.affluence, houses)
        usable = nbh.rect.x1 - nbh.rect.x0 - 2 * MARGIN
        per_cluster_street = max(1, int(usable // CLUSTER_WIDTH))
        per_house_street = min(max(int(2 * usable / LOT_WIDTH_BY_AFFLUENCE[nbh.affluence]), 8), 140)
        rows = [Row(clusters=clusters[i : i + per_cluster_street]) for i in range(0, len(clusters), per_cluster_street)]
        rows += [
            Row(houses=house_groups[i : i + per_house_street]) for i in range(0, len(house_groups), per_house_street)
        ]
        rng.shuffle(rows)
        streets = self._streets(nbh, theme, max(1, len(rows)))
        placed: list[HouseholdPlan] = []
        courtyards: list[int] = []
        for street, row in zip(streets, rows, strict=False):
            courtyards += self._place_clusters(index, theme, street, row.clusters, placed)
            self._place_houses(index, street, row.houses, placed)
        return NeighbourhoodLayout(streets, courtyards), placed

    def _blocks(self, affluence: str, plans: list[HouseholdPlan]) -> list[Block]:
        rng = self._rng
        options = FLOORS_BY_AFFLUENCE[affluence]
        blocks: list[Block] = []
        left = plans
        while left:
            floors = rng.choices([o[0] for o in options], [o[1] for o in options])[0]
            block = Block(floors=floors, entrances=rng.randint(2, 4), per_floor=2 if floors <= 5 else 4)
            slots = [
                (entrance, floor, slot)
                for entrance in range(block.entrances)
                for floor in range(floors)
                for slot in range(block.per_floor)
            ]
            taken, left = left[: len(slots)], left[len(slots) :]
            if len(taken) < len(slots):  # the last block has some empty flats, spread about
                slots = sorted(rng.sample(slots, len(taken)))
            block.plans = list(zip(slots, taken, strict=True))
            blocks.append(block)
        return blocks

    def _clusters(self, blocks: list[Block]) -> list[list[Block]]:
        clusters = []
        while blocks:
            size = self._rng.randint(2, 4)
            clusters.append(blocks[:size])
            blocks = blocks[size:]
        return clusters

    def _house_groups(self, affluence: str, plans: list[HouseholdPlan]) -> list[list[HouseholdPlan]]:
        """One or (a split house) two households per house."""
        groups: list[list[HouseholdPlan]] = []
        index = 0
        while index < len(plans):
            take = 2 if self._rng.random() < SPLIT_HOUSE_SHARE[affluence] and index + 1 < len(plans) else 1
            groups.append(plans[index : index + take])
            index += take
        return groups

    def _streets(self, nbh: NeighbourhoodSpec, theme: int, count: int) -> list[Street]:
        band = (nbh.rect.y1 - nbh.rect.y0) / count
        letters = _letter_pairs(self._rng)
        streets = []
        for row in range(count):
            for _ in range(self._rng.randint(1, 3)):  # postcodes are not handed out consecutively
                pair = next(letters)
            streets.append(
                Street(
                    name=self._namer.name(theme),
                    postcode=f"{nbh.postcode_digits} {pair}",
                    y=nbh.rect.y0 + (row + 0.5) * band,
                    band=band,
                )
            )
        return streets

    def _place_houses(
        self, nbh_index: int, street: Street, groups: list[list[HouseholdPlan]], placed: list[HouseholdPlan]
    ) -> None:
        city = self._city
        rect = city.neighbourhoods[nbh_index].rect
        offset = min(12.0, street.band * 0.3)
        per_side = [(len(groups) + 1) // 2, len(groups) // 2]
        usable = rect.x1 - rect.x0 - 2 * MARGIN
        floors = 3 if city.neighbourhoods[nbh_index].affluence == "high" else 2
        for position, group in enumerate(groups):
            north = position % 2 == 0
            slot = position // 2
            x = rect.x0 + MARGIN + (slot + 0.5) * usable / max(1, per_side[0 if north else 1])
            x, y = rect.clamp(x, street.y + (offset if north else -offset))
            number = street.take_number(north)
            building = len(city.buildings)
            city.buildings.append(
                BuildingSpec(nbh_index, "house", street.name, number, street.postcode, floors, None, x, y)
            )
            for storey, plan in enumerate(group):
                split = len(group) > 1
                placed.append(plan)
                city.households.append(
                    HouseholdSpec(
                        neighbourhood_index=nbh_index,
                        building_index=building,
                        entrance_index=None,
                        street=street.name,
                        house_number=number,
                        house_number_suffix="A" if storey else "",
                        postcode=street.postcode,
                        floor=storey if split else None,
                        x=x,
                        y=y,
                    )
                )

    def _place_clusters(
        self, nbh_index: int, theme: int, street: Street, clusters: list[list[Block]], placed: list[HouseholdPlan]
    ) -> list[int]:
        city = self._city
        rect = city.neighbourhoods[nbh_index].rect
        usable = rect.x1 - rect.x0 - 2 * MARGIN
        reach = min(40.0, street.band * 0.38)
        courtyard_indices = []
        for position, cluster in enumerate(clusters):
            cx, cy = rect.clamp(rect.x0 + MARGIN + (position + 0.5) * usable / len(clusters), street.y)
            courtyard = len(city.courtyards)
            courtyard_indices.append(courtyard)
            city.courtyards.append(CourtyardSpec(nbh_index, self._namer.name(theme, "hof"), cx, cy))
            # Up to four blocks close the courtyard: south, north, west and east of it.
            sides = ((0.0, -reach, True), (0.0, reach, True), (-1.4 * reach, 0.0, False), (1.4 * reach, 0.0, False))
            for block_no, (block, (dx, dy, along_x)) in enumerate(zip(cluster, sides, strict=False)):
                centre = (cx + dx, cy + dy)
                self._place_block(nbh_index, street, block, courtyard, centre, along_x, block_no % 2 == 0)
                placed.extend(plan for _slot, plan in block.plans)
        return courtyard_indices

    def _place_block(
        self,
        nbh_index: int,
        street: Street,
        block: Block,
        courtyard: int,
        centre: tuple[float, float],
        along_x: bool,
        north: bool,
    ) -> None:
        city = self._city
        rect = city.neighbourhoods[nbh_index].rect
        bx, by = rect.clamp(*centre)
        numbers = [street.take_number(north) for _ in range(block.entrances)]
        building = len(city.buildings)
        city.buildings.append(
            BuildingSpec(nbh_index, "flat", street.name, numbers[0], street.postcode, block.floors, courtyard, bx, by)
        )
        first_entrance = len(city.entrances)
        spots = []
        for entrance, number in enumerate(numbers):
            shift = (entrance - (block.entrances - 1) / 2) * ENTRANCE_SPACING
            ex, ey = rect.clamp(bx + shift, by) if along_x else rect.clamp(bx, by + shift)
            spots.append((ex, ey))
            city.entrances.append(EntranceSpec(building, str(number), ex, ey))
        units_per_entrance = block.floors * block.per_floor
        for (entrance, floor, slot), _plan in block.plans:
            unit = floor * block.per_floor + slot
            # Letters for a portiek ("12-C"); galerijflats number by floor ("12-305") as many cities do.
            suffix = string.ascii_uppercase[unit] if units_per_entrance <= 26 else str(floor * 100 + slot + 1)
            ex, ey = spots[entrance]
            city.households.append(
                HouseholdSpec(
                    neighbourhood_index=nbh_index,
                    building_index=building,
                    entrance_index=first_entrance + entrance,
                    street=street.name,
                    house_number=numbers[entrance],
                    house_number_suffix=suffix,
                    postcode=street.postcode,
                    floor=floor,
                    x=ex,
                    y=ey,
                )
            )


def _letter_pairs(rng: random.Random) -> Iterator[str]:
    pairs = [a + b for a in string.ascii_uppercase for b in string.ascii_uppercase]
    pairs = [pair for pair in pairs if pair not in NON_POSTCODE_LETTERS]
    start = rng.randrange(0, len(pairs) // 2)
    return itertools.cycle(pairs[start:] + pairs[:start])
