"""The allowed pairs and their costs, found through a grid of the requests.

Requests are sorted by (kind, grid column, grid row) and a table gives where each cell starts, so
a volunteer reads, for each kind they offer and each grid column their radius touches, one
contiguous run of requests of that kind: no tree, no per-pair Python. The pairs come out grouped
by volunteer and are then regrouped by request (compressed rows), the shape the solver walks.

The test ``distance <= radius`` must agree exactly with ``math.hypot(dx, dy) <= radius_m`` in
Python, also for a request exactly on the border (a radius of 0 and the same address; integer
coordinates on a 3-4-5 triangle). The compiled search uses ``sqrt(dx * dx + dy * dy)``, which is
fast and within a few units in the last place of the true distance, and leaves the rare pair
within a relative 1e-12 of the border (or with squares too small for floating point) to
``math.hypot`` itself.

Costs are integers in tenths of a millimetre: a pair's cost in metres is computed in floating
point first and rounded once, so every pair is within 0.05 mm of its true cost and the exact
optimum of the integer costs is within 0.1 mm per matched request of the true optimum.
"""

import math
from dataclasses import dataclass

import numpy as np

from veerkracht.engines.matching._compiled import Bools, Floats, Ints, compiled
from veerkracht.engines.matching.instance import NONE, Instance

UNITS_PER_METRE = 10_000  # costs in tenths of a millimetre
CELLS_PER_RADIUS = 2  # cells across a typical radius: fewer wasted distance tests, a few more runs to read
# Margins on the search (never on the test), so floating-point rounding cannot drop a pair at the border.
REACH_MARGIN_RELATIVE = 1e-9
REACH_MARGIN_M = 1e-6
BORDER = 1e-12  # pairs closer than this (relative) to the border are decided by math.hypot
TINY_SQUARE = 1e-290  # below this, dx * dx + dy * dy may have lost digits to underflow
# Potentials in the solver are sums of costs along paths; this keeps them inside 64-bit integers.
MAX_TOTAL_UNITS = 1 << 62


@dataclass(frozen=True)
class Candidates:
    """Allowed pairs grouped by request: request ``i`` has ``volunteer[start[i]:start[i + 1]]``."""

    start: Ints
    volunteer: Ints
    cost: Ints  # UNITS_PER_METRE per metre

    def request(self) -> Ints:
        """The request of each pair."""
        return np.repeat(np.arange(len(self.start) - 1, dtype=np.int64), np.diff(self.start))


@dataclass(frozen=True)
class Grid:
    """Square cells of ``size`` metres from (``x0``, ``y0``), ``columns`` by ``rows``, one layer per kind."""

    x0: float
    y0: float
    size: float
    columns: int
    rows: int
    reach_limit: float  # no allowed pair is farther apart than this

    def cells(self, kinds: int) -> int:
        return kinds * self.columns * self.rows


def _grid(instance: Instance) -> Grid:
    """Cells about half a typical radius wide, fewer where the table of cells would outgrow the data."""
    xs = np.concatenate([instance.request_x, instance.volunteer_x])
    ys = np.concatenate([instance.request_y, instance.volunteer_y])
    diagonal = math.hypot(float(xs.max() - xs.min()), float(ys.max() - ys.min()))
    x0, y0 = float(instance.request_x.min()), float(instance.request_y.min())
    width, height = float(instance.request_x.max()) - x0, float(instance.request_y.max()) - y0
    radii = np.minimum(instance.volunteer_radius[instance.volunteer_capacity > 0], diagonal)
    size = max(float(np.median(radii)) / CELLS_PER_RADIUS if len(radii) else 0.0, 1e-3)
    kinds = int(instance.request_kind.max()) + 1
    budget = 4 * (instance.requests + instance.volunteers) + 4096
    while kinds * (width / size + 1) * (height / size + 1) > budget:
        size *= 2
    return Grid(x0, y0, size, int(width / size) + 1, int(height / size) + 1, diagonal)


def _check_magnitude(instance: Instance, grid: Grid) -> None:
    """ValueError when costs could overflow the solver's 64-bit integers (distances of light years)."""
    radii = instance.volunteer_radius[instance.volunteer_capacity > 0]
    longest = min(float(radii.max()), grid.reach_limit) if len(radii) else 0.0
    largest = (longest + abs(instance.language_mismatch_m) + abs(instance.continuity_bonus_m)) * UNITS_PER_METRE
    if largest * (instance.requests + instance.volunteers + 2) >= MAX_TOTAL_UNITS:
        raise ValueError("distances or weights are too large to compute exact costs; use metres")


@dataclass(frozen=True)
class Layout:
    """The requests in grid order: ``member[p]`` is the request at position ``p``; cell ``c`` holds
    positions ``cell_start[c]:cell_start[c + 1]``; coordinates, languages and previous volunteers
    are copied in that order so the search reads memory front to back."""

    member: Ints
    cell_start: Ints
    x: Floats
    y: Floats
    language: Ints
    previous: Ints
    when: Ints


def _layout(instance: Instance, grid: Grid) -> Layout:
    column = ((instance.request_x - grid.x0) / grid.size).astype(np.int64).clip(0, grid.columns - 1)
    row = ((instance.request_y - grid.y0) / grid.size).astype(np.int64).clip(0, grid.rows - 1)
    cell = (instance.request_kind * grid.columns + column) * grid.rows + row
    member = np.argsort(cell, kind="stable")
    cells = grid.cells(int(instance.request_kind.max()) + 1)
    cell_start = np.zeros(cells + 1, np.int64)
    np.cumsum(np.bincount(cell, minlength=cells), out=cell_start[1:])
    return Layout(
        member, cell_start, instance.request_x[member], instance.request_y[member],
        instance.request_language[member], instance.request_previous[member], instance.request_when[member],
    )  # fmt: skip


@compiled
def _cell(offset: float, size: float, cells: int) -> int:
    """The cell holding ``offset`` metres from the grid's origin, clamped to the grid."""
    position = math.floor(offset / size)
    return int(min(max(position, 0.0), cells - 1.0))


@compiled
def _speaks(start: Ints, ids: Ints, volunteer: int, language: int) -> bool:
    """Whether the volunteer speaks the language (a volunteer speaks a handful: a scan beats a set)."""
    for index in range(start[volunteer], start[volunteer + 1]):  # noqa: SIM110 - a plain loop compiles best
        if ids[index] == language:
            return True
    return False


@compiled
def _listed(start: Ints, ids: Ints, row: int, value: int) -> bool:
    """Whether ``value`` is in compressed row ``row`` (the volunteers a request excludes: mostly none)."""
    for index in range(start[row], start[row + 1]):  # noqa: SIM110 - a plain loop compiles best
        if ids[index] == value:
            return True
    return False


@compiled
def _cost(distance: float, mismatch: bool, continuity: bool, mismatch_m: float, bonus_m: float) -> int:
    """The pair's cost in metres, rounded once to an integer number of units."""
    metres = distance
    if mismatch:
        metres += mismatch_m
    if continuity:
        metres -= bonus_m
    return round(metres * UNITS_PER_METRE)


GridArgs = tuple[float, float, float, int, int, float]
LayoutArgs = tuple[Ints, Ints, Floats, Floats, Ints, Ints, Ints, Ints, Ints]
Pairs = tuple[Ints, Ints, Bools]  # request, cost and "undecided" of each pair
VolunteerArgs = tuple[Floats, Floats, Floats, Ints, Ints, Ints, Ints, Ints, Ints]


@compiled
def _window(j: int, grid: GridArgs, vx: Floats, vy: Floats, vradius: Floats) -> tuple[int, int, int, int]:
    """The first and last grid column and row that volunteer ``j``'s radius touches."""
    x0, y0, size, columns, rows, reach_limit = grid
    reach = min(vradius[j], reach_limit) * (1.0 + REACH_MARGIN_RELATIVE) + REACH_MARGIN_M
    first_column, last_column = _cell(vx[j] - reach - x0, size, columns), _cell(vx[j] + reach - x0, size, columns)
    return first_column, last_column, _cell(vy[j] - reach - y0, size, rows), _cell(vy[j] + reach - y0, size, rows)


@compiled
def _most(j: int, grid: GridArgs, cell_start: Ints, volunteers: VolunteerArgs) -> int:
    """How many requests volunteer ``j`` will read: an upper bound on their pairs."""
    vx, vy, vradius, _, kind_start, kind_ids, _, _, _ = volunteers
    columns, rows = grid[3], grid[4]
    first_column, last_column, first_row, last_row = _window(j, grid, vx, vy, vradius)
    total = 0
    for t in range(kind_start[j], kind_start[j + 1]):
        for column in range(first_column, last_column + 1):
            base = (kind_ids[t] * columns + column) * rows
            total += cell_start[base + last_row + 1] - cell_start[base + first_row]
    return total


@compiled
def _pairs_of(
    j: int,
    offset: int,
    grid: GridArgs,
    layout: LayoutArgs,
    volunteers: VolunteerArgs,
    weights: tuple[float, float],
    out: Pairs,
) -> int:
    """Write volunteer ``j``'s allowed pairs (and those on the border) from ``offset`` on; returns how many."""
    member, cell_start, rx, ry, rlanguage, rprevious, rwhen, excluded_start, excluded_ids = layout
    vx, vy, vradius, _, kind_start, kind_ids, language_start, language_ids, vwhen = volunteers
    columns, rows = grid[3], grid[4]
    radius = vradius[j]
    bound = radius * radius * (1.0 + REACH_MARGIN_RELATIVE)  # a cheap rejection before the exact test
    first_column, last_column, first_row, last_row = _window(j, grid, vx, vy, vradius)
    count = 0
    for t in range(kind_start[j], kind_start[j + 1]):
        for column in range(first_column, last_column + 1):
            base = (kind_ids[t] * columns + column) * rows
            for p in range(cell_start[base + first_row], cell_start[base + last_row + 1]):
                if rwhen[p] & vwhen[j] == 0:
                    continue  # no moment in common
                if _listed(excluded_start, excluded_ids, member[p], j):
                    continue
                dx, dy = rx[p] - vx[j], ry[p] - vy[j]
                square = dx * dx + dy * dy
                if square > bound and square >= TINY_SQUARE:
                    continue
                distance = math.sqrt(square)
                tiny = square < TINY_SQUARE and (dx != 0.0 or dy != 0.0)
                undecided = tiny or (radius < math.inf and abs(distance - radius) <= BORDER * radius)
                if distance <= radius or undecided:
                    language = rlanguage[p]
                    mismatch = language != NONE and not _speaks(language_start, language_ids, j, language)
                    out[0][offset + count] = member[p]
                    out[1][offset + count] = _cost(distance, mismatch, rprevious[p] == j, weights[0], weights[1])
                    out[2][offset + count] = undecided
                    count += 1
    return count


@compiled
def _grown(pairs: Pairs, size: int) -> Pairs:
    request, cost, undecided = np.empty(size, np.int64), np.empty(size, np.int64), np.empty(size, np.bool_)
    request[: len(pairs[0])] = pairs[0]
    cost[: len(pairs[0])] = pairs[1]
    undecided[: len(pairs[0])] = pairs[2]
    return request, cost, undecided


@compiled
def _by_volunteer(
    grid: GridArgs, layout: LayoutArgs, volunteers: VolunteerArgs, weights: tuple[float, float]
) -> tuple[Ints, Pairs]:
    """Every allowed or border pair grouped by volunteer: (start per volunteer, pairs).

    One pass: the buffers double whenever the next volunteer might not fit.
    """
    count = len(volunteers[0])
    start = np.zeros(count + 1, np.int64)
    size = 1024 + 8 * len(layout[0])
    pairs = (np.empty(size, np.int64), np.empty(size, np.int64), np.empty(size, np.bool_))
    for j in range(count):
        start[j + 1] = start[j]
        if volunteers[3][j] <= 0:
            continue  # capacity 0: no pair of this volunteer can ever be used
        most = _most(j, grid, layout[1], volunteers)
        if start[j] + most > len(pairs[0]):
            pairs = _grown(pairs, max(2 * len(pairs[0]), start[j] + most))
        start[j + 1] += _pairs_of(j, start[j], grid, layout, volunteers, weights, pairs)
    end = start[-1]
    return start, (pairs[0][:end], pairs[1][:end], pairs[2][:end])


@compiled
def _by_request(requests: int, volunteer_start: Ints, request: Ints, cost: Ints) -> tuple[Ints, Ints, Ints]:
    """The same pairs regrouped by request, each row in volunteer order."""
    start = np.zeros(requests + 1, np.int64)
    start[1:] = np.cumsum(np.bincount(request, minlength=requests))
    cursor = start[:-1].copy()
    volunteer_out = np.empty(len(request), np.int64)
    cost_out = np.empty(len(request), np.int64)
    for j in range(len(volunteer_start) - 1):
        for pair in range(volunteer_start[j], volunteer_start[j + 1]):
            position = cursor[request[pair]]
            cursor[request[pair]] += 1
            volunteer_out[position] = j
            cost_out[position] = cost[pair]
    return start, volunteer_out, cost_out


def candidates(instance: Instance) -> Candidates:
    """Every allowed pair with its integer cost, grouped by request."""
    if instance.requests == 0 or instance.volunteers == 0:
        nothing = np.zeros(0, np.int64)
        return Candidates(np.zeros(instance.requests + 1, np.int64), nothing, nothing)
    grid = _grid(instance)
    _check_magnitude(instance, grid)
    layout = _layout(instance, grid)
    volunteer_start, (request, cost, undecided) = _by_volunteer(
        (grid.x0, grid.y0, grid.size, grid.columns, grid.rows, grid.reach_limit),
        (
            layout.member, layout.cell_start, layout.x, layout.y, layout.language, layout.previous, layout.when,
            instance.excluded_start, instance.excluded_ids,
        ),
        (
            instance.volunteer_x, instance.volunteer_y, instance.volunteer_radius, instance.volunteer_capacity,
            instance.kind_start, instance.kind_ids, instance.language_start, instance.language_ids,
            instance.volunteer_when,
        ),
        (instance.language_mismatch_m, instance.continuity_bonus_m),
    )  # fmt: skip
    if undecided.any():
        volunteer_start, request, cost = _decide(instance, volunteer_start, request, cost, undecided)
    return Candidates(*_by_request(instance.requests, volunteer_start, request, cost))


def _decide(
    instance: Instance, volunteer_start: Ints, request: Ints, cost: Ints, undecided: Bools
) -> tuple[Ints, Ints, Ints]:
    """Drop the border pairs that ``math.hypot`` puts outside the radius."""
    volunteer = np.repeat(np.arange(instance.volunteers), np.diff(volunteer_start))
    keep = np.ones(len(request), np.bool_)
    for pair in np.flatnonzero(undecided).tolist():
        i, j = int(request[pair]), int(volunteer[pair])
        dx = float(instance.request_x[i]) - float(instance.volunteer_x[j])
        dy = float(instance.request_y[i]) - float(instance.volunteer_y[j])
        keep[pair] = math.hypot(dx, dy) <= float(instance.volunteer_radius[j])
    start = np.zeros(instance.volunteers + 1, np.int64)
    np.cumsum(np.bincount(volunteer[keep], minlength=instance.volunteers), out=start[1:])
    return start, request[keep], cost[keep]
