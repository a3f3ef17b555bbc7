"""The requests and volunteers as flat arrays, checked once, for the compiled search and solver.

Kinds and languages become small integers: only those that some request asks for matter, so a
volunteer's other kinds and languages are dropped here. The sets a volunteer offers and speaks are
stored as compressed rows (``start[j]:start[j + 1]`` indexes ``ids``), which works for any number
of distinct kinds and languages.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np

from veerkracht.engines.matching._compiled import Floats, Ints
from veerkracht.engines.matching.model import Request, Volunteer, Weights

NONE = -1  # no language preference, no previous volunteer


@dataclass(frozen=True)
class Instance:
    """Arrays indexed like the caller's lists: ``request_*`` by request, ``volunteer_*`` by volunteer."""

    request_x: Floats
    request_y: Floats
    request_kind: Ints
    request_language: Ints  # NONE or a language id
    request_previous: Ints  # NONE or a volunteer index
    request_when: Ints  # bitmask of moments; a pair needs a bit in common
    excluded_start: Ints  # request i must not go to volunteers excluded_ids[excluded_start[i]:excluded_start[i + 1]]
    excluded_ids: Ints
    volunteer_x: Floats
    volunteer_y: Floats
    volunteer_radius: Floats
    volunteer_capacity: Ints
    volunteer_when: Ints
    kind_start: Ints
    kind_ids: Ints
    language_start: Ints
    language_ids: Ints
    language_mismatch_m: float
    continuity_bonus_m: float

    @property
    def requests(self) -> int:
        return len(self.request_x)

    @property
    def volunteers(self) -> int:
        return len(self.volunteer_x)


def _floats(values: Iterable[float], count: int) -> Floats:
    return np.fromiter(values, np.float64, count)


def _ints(values: Iterable[int], count: int) -> Ints:
    return np.fromiter(values, np.int64, count)


def _frozen(members: frozenset[str]) -> frozenset[str]:
    """The set itself; a plain set or a list (against the contract, but harmless) as a frozenset."""
    return members if isinstance(members, frozenset) else frozenset(members)


def _rows(sets: Sequence[frozenset[str]], codes: dict[str, int]) -> tuple[Ints, Ints]:
    """Compressed rows of the codes of each set's members, for the members that have a code.

    Volunteers share a few dozen distinct sets of kinds (and of languages), so each distinct set
    is translated once and the rows are gathered with numpy.
    """
    count = len(sets)
    distinct: dict[frozenset[str], int] = {}
    which = _ints((distinct.setdefault(_frozen(members), len(distinct)) for members in sets), count)
    translated = [sorted(codes[member] for member in members if member in codes) for members in distinct]
    sizes = _ints((len(row) for row in translated), len(translated))
    flat = _ints(chain.from_iterable(translated), int(sizes.sum()))
    flat_start = np.cumsum(sizes) - sizes
    start = np.zeros(count + 1, np.int64)
    np.cumsum(sizes[which], out=start[1:])
    within = np.arange(start[-1]) - np.repeat(start[:-1], sizes[which])
    return start, flat[np.repeat(flat_start[which], sizes[which]) + within]


def _whens(items: Sequence[Request] | Sequence[Volunteer], what: str) -> Ints:
    """The ``when`` bitmasks as 64-bit integers; ValueError for one that does not fit."""
    try:
        return _ints((item.when for item in items), len(items))
    except (OverflowError, TypeError, ValueError):
        raise ValueError(f"the when of a {what} must be a whole number that fits in 64 bits") from None


def _excluded(requests: Sequence[Request]) -> tuple[Ints, Ints]:
    """Compressed rows of the volunteers each request must not go to (almost always none)."""
    rows = [sorted(request.excluded) for request in requests]
    sizes = _ints((len(row) for row in rows), len(rows))
    start = np.zeros(len(rows) + 1, np.int64)
    np.cumsum(sizes, out=start[1:])
    return start, _ints(chain.from_iterable(rows), int(start[-1]))


def _previous(request: Request, volunteers: int) -> int:
    """The previous volunteer's index; one outside the list can never be matched, so it counts as none."""
    previous = request.previous_volunteer
    if previous is None or not 0 <= previous < volunteers:
        return NONE
    return previous


def _request_arrays(
    requests: Sequence[Request], volunteers: int
) -> tuple[Floats, Floats, Ints, Ints, Ints, dict[str, int], dict[str, int]]:
    count = len(requests)
    kinds: dict[str, int] = {}
    languages: dict[str, int] = {}
    kind = _ints((kinds.setdefault(r.kind, len(kinds)) for r in requests), count)
    language = _ints(
        (NONE if r.language is None else languages.setdefault(r.language, len(languages)) for r in requests), count
    )
    previous = _ints((_previous(r, volunteers) for r in requests), count)
    x = _floats((r.x for r in requests), count)
    y = _floats((r.y for r in requests), count)
    return x, y, kind, language, previous, kinds, languages


def _check(values: Floats, what: str, *, allow_infinite: bool = False) -> None:
    """ValueError naming the first bad entry: a NaN (or an infinity, unless allowed) is a bug upstream."""
    bad = np.isnan(values) if allow_infinite else ~np.isfinite(values)
    if bad.any():
        raise ValueError(f"{what} {int(np.argmax(bad))} is {values[bad][0]}; it must be a finite number")


def _check_volunteers(radius: Floats, capacity: Floats) -> None:
    _check(radius, "the radius of volunteer", allow_infinite=True)
    if (radius < 0).any():
        raise ValueError(f"volunteer {int(np.argmax(radius < 0))} has a negative radius")
    _check(capacity, "the capacity of volunteer")
    if (capacity != np.floor(capacity)).any():
        raise ValueError(f"volunteer {int(np.argmax(capacity != np.floor(capacity)))} has a capacity that is not whole")
    if (capacity < 0).any():
        raise ValueError(f"volunteer {int(np.argmax(capacity < 0))} has a negative capacity")


def instance_from(requests: Sequence[Request], volunteers: Sequence[Volunteer], weights: Weights) -> Instance:
    """The arrays for ``requests`` and ``volunteers``; ValueError for values that have no meaning.

    Rejected: coordinates that are not finite numbers, a NaN or negative radius, a negative
    capacity, weights that are not finite. An infinite radius is allowed (no distance limit).
    """
    for name in ("language_mismatch_m", "continuity_bonus_m"):
        if not math.isfinite(getattr(weights, name)):
            raise ValueError(f"the weight {name} must be a finite number")
    count = len(volunteers)
    rx, ry, kind, language, previous, kinds, languages = _request_arrays(requests, count)
    request_when, volunteer_when = _whens(requests, "request"), _whens(volunteers, "volunteer")
    excluded_start, excluded_ids = _excluded(requests)
    vx = _floats((v.x for v in volunteers), count)
    vy = _floats((v.y for v in volunteers), count)
    radius = _floats((v.radius_m for v in volunteers), count)
    capacity = _floats((v.capacity for v in volunteers), count)  # as floats first: 1.5 must not become 1
    for values, what in ((rx, "x of request"), (ry, "y of request"), (vx, "x of volunteer"), (vy, "y of volunteer")):
        _check(values, what)
    _check_volunteers(radius, capacity)
    kind_start, kind_ids = _rows([v.kinds for v in volunteers], kinds)
    language_start, language_ids = _rows([v.languages for v in volunteers], languages)
    return Instance(
        rx,
        ry,
        kind,
        language,
        previous,
        request_when,
        excluded_start,
        excluded_ids,
        vx,
        vy,
        radius,
        np.minimum(capacity, len(requests)).astype(np.int64),  # room beyond every request is never used
        volunteer_when,
        kind_start,
        kind_ids,
        language_start,
        language_ids,
        float(weights.language_mismatch_m),
        float(weights.continuity_bonus_m),
    )
