"""Neighbour help: the best set of matches between open help requests and volunteers, all at once.

The contract (issue 5). A pair (i, j) is *allowed* when ``requests[i].kind in volunteers[j].kinds``
and the Euclidean distance ``math.hypot(dx, dy)`` in metres is at most ``volunteers[j].radius_m``
(and, an optional extension for availability, ``requests[i].when & volunteers[j].when != 0``).
Its *cost* is that distance, plus ``language_mismatch_m`` when the request has a language the
volunteer does not speak, minus ``continuity_bonus_m`` when ``previous_volunteer == j``.
``solve`` returns pairs such that, in this order,

1. as many requests as possible are matched (each request at most once, each volunteer at most
   ``capacity`` times, allowed pairs only);
2. among those, the total cost is the lowest: exactly, up to rounding each pair's cost to a
   tenth of a millimetre (so within 0.1 mm per matched request of the true optimum).

How: ``candidates`` finds the allowed pairs through a grid, ``solver`` solves the matching exactly
by shortest augmenting paths. See docs/adr/0008-matching-solver.md for the choice and the figures.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from veerkracht.engines.matching._compiled import Floats, Ints
from veerkracht.engines.matching.candidates import UNITS_PER_METRE, candidates
from veerkracht.engines.matching.instance import instance_from
from veerkracht.engines.matching.model import ANYTIME, Request, Volunteer, Weights
from veerkracht.engines.matching.solver import optimal_pairs

__all__ = ["ANYTIME", "DEFAULT_WEIGHTS", "AllowedPairs", "Request", "Volunteer", "Weights", "allowed_pairs", "solve"]

DEFAULT_WEIGHTS = Weights()


def solve(
    requests: Sequence[Request], volunteers: Sequence[Volunteer], weights: Weights = DEFAULT_WEIGHTS
) -> list[tuple[int, int]]:
    """The optimal (request index, volunteer index) pairs, sorted by request.

    Raises ValueError for coordinates that are not finite, a NaN or negative radius, a negative
    capacity or weights that are not finite. An infinite radius means no distance limit; a
    capacity of 0 means the volunteer takes nothing now.
    """
    instance = instance_from(requests, volunteers, weights)
    request, volunteer = optimal_pairs(candidates(instance), instance.volunteer_capacity)
    return list(zip(request.tolist(), volunteer.tolist(), strict=True))


@dataclass(frozen=True)
class AllowedPairs:
    """Every allowed pair as parallel arrays, grouped by request; ``cost_m`` rounded to 0.1 mm."""

    request: Ints
    volunteer: Ints
    cost_m: Floats


def allowed_pairs(
    requests: Sequence[Request], volunteers: Sequence[Volunteer], weights: Weights = DEFAULT_WEIGHTS
) -> AllowedPairs:
    """The allowed pairs and their costs, as ``solve`` sees them (for baselines and explanations).

    Pairs with a volunteer of capacity 0 are left out: they can never be used.
    """
    found = candidates(instance_from(requests, volunteers, weights))
    return AllowedPairs(found.request(), found.volunteer, found.cost / UNITS_PER_METRE)
