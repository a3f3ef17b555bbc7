"""What the matching engine takes in: open help requests, volunteers and the weights of a pair's cost.

The three classes are the engine's contract with the rest of the application (issue 5); they hold
plain values and no behaviour, so the caller can build them straight from the database.
"""

from dataclasses import dataclass

ANYTIME = -1  # every bit set: no restriction on when the help can take place


@dataclass(frozen=True)
class Request:
    """An open help request at (``x``, ``y``) metres.

    ``language`` is the language the resident prefers (``None``: any language will do);
    ``previous_volunteer`` is the index in the volunteers list of whoever helped last time, if any.
    ``when`` (beyond the issue's contract, optional) is a bitmask of the moments the help may take
    place, say one bit per part of a weekday; a pair needs a moment in common with the volunteer.
    ``excluded`` (also optional) holds the indices of volunteers the request must not go to, such
    as those who declined it before.
    """

    x: float
    y: float
    kind: str
    language: str | None = None
    previous_volunteer: int | None = None
    when: int = ANYTIME
    excluded: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Volunteer:
    """A volunteer living at (``x``, ``y``) metres who helps within ``radius_m`` with up to ``capacity`` tasks.

    ``when`` is the bitmask of the moments the volunteer is available (``Request.when``).
    """

    x: float
    y: float
    radius_m: float
    capacity: int
    kinds: frozenset[str]
    languages: frozenset[str] = frozenset()
    when: int = ANYTIME


@dataclass(frozen=True)
class Weights:
    """What a language mismatch costs and continuity saves, both in metres of travel."""

    language_mismatch_m: float = 1500.0
    continuity_bonus_m: float = 1000.0
