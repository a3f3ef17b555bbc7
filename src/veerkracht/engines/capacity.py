"""Safe capacity of a place under the distancing rule of the day.

A distancing rule gives every visitor a number of square metres: 1.5 m distance indoors is usually
taken as 5 m² per person (a circle of 0.75 m radius around each person plus walking space, as the
Dutch RIVM guidance for venues worked it out in 2020). The safe capacity is the smaller of the
place's normal capacity and its floor area divided by that number.
"""

import math
from dataclasses import dataclass

DEFAULT_INDOOR_M2_PER_PERSON = 5.0


@dataclass(frozen=True)
class Rule:
    """The rule in force: ``None`` square metres per person means no distancing."""

    m2_per_person: float | None = None

    def __post_init__(self) -> None:
        if self.m2_per_person is not None and not (math.isfinite(self.m2_per_person) and self.m2_per_person > 0):
            raise ValueError("a distancing rule needs a positive number of square metres per person")


def safe_capacity(*, area_m2: float | None, normal_capacity: int | None, rule: Rule) -> int | None:
    """How many people may be in the place at once; ``None`` when nothing limits it.

    Without a rule the normal capacity holds. Under a rule the floor area also limits; a place
    without a known area keeps its normal capacity (the organiser must check it on site).
    """
    if area_m2 is not None and area_m2 < 0:
        raise ValueError("a floor area cannot be negative")
    if normal_capacity is not None and normal_capacity < 0:
        raise ValueError("a capacity cannot be negative")
    limits = [] if normal_capacity is None else [normal_capacity]
    if rule.m2_per_person is not None and area_m2 is not None:
        # A tiny epsilon so 100 m² / 5 m² is 20, not 19 through floating-point rounding.
        limits.append(math.floor(area_m2 / rule.m2_per_person + 1e-9))
    return min(limits) if limits else None


def over_capacity(planned: int, capacity: int | None) -> int:
    """How many places an activity plans beyond the safe capacity (0 when it fits)."""
    return 0 if capacity is None else max(0, planned - capacity)
