"""Outreach rounds: which doors each walker visits today, and in which order.

This is a team orienteering problem with a time budget per walker. Every stop has a priority. A
walker walks from its start through its stops to its end (its start when no end is given), and a
round may not take longer than the walker's budget. The plan maximises the total priority visited
and, among plans with the same total, walks less.

The search is PyVRP's prize-collecting vehicle routing model, solved with its iterated local
search (docs/adr/0006-routing-solver.md). Every stop is an optional client. Its prize is its
priority times a factor larger than any possible amount of walking, so one unit of priority always
outweighs walking and the walking cost only breaks ties. Every route the solver returns is checked
again with the contract's own time formula before it leaves this module.
"""

import itertools
import math
import multiprocessing
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

import numpy as np
import pyvrp
from pyvrp.search import (
    OPERATORS,
    LocalSearch,
    NeighbourhoodParams,
    PerturbationManager,
    PerturbationParams,
    compute_neighbours,
)
from pyvrp.stop import MaxRuntime, MultipleCriteria, NoImprovement

Point = tuple[float, float]
Matrix = np.ndarray[Any, np.dtype[np.int64]]  # PyVRP's stubs spell the shape as Any

DEFAULT_SPEED_M_S = 1.25  # an unhurried walk between doors
DEFAULT_DETOUR = 1.3  # streets are longer than the straight line between two doors
# The search ends at the time limit, or earlier after this many iterations per stop (at least
# the minimum) without a better plan. Small rounds converge long before the limit, so their plan
# depends on the seed alone; a neighbourhood of a thousand doors uses all the time it is given.
ITERATIONS_WITHOUT_IMPROVEMENT_PER_STOP = 200
MIN_ITERATIONS_WITHOUT_IMPROVEMENT = 1_000
# Within a run, after this many iterations per stop (at least the minimum above) without a better
# plan, the search goes back to its best plan and forgets its acceptance history: PyVRP's restart,
# whose default (150,000 iterations) is never reached in 10 s. Without it a search on a 100-stop
# TOP instance could drift for 5 of its 10 s in a worse basin. With it (1,500 iterations there),
# on the six hardest TOP instances at a fixed 8,000 iterations and seeds 0-5, the runs more than
# 3% below the best-known score fell from 11 to 4 in 36, and the better of two searches (what the
# engine keeps) from 3 in 30 to 0; 700 and a longer acceptance history were worse (ADR 0006).
ITERATIONS_BEFORE_RESTART_PER_STOP = 15
# Each iteration of the search perturbs the current plan with 1 to this many random moves before
# improving it again. PyVRP's default is 25; the larger kick was chosen in exploratory TOP runs
# that were not kept, and has not been measured against 25 since (ADR 0006).
MAX_PERTURBATIONS = 40
# PyVRP's default interval, in solutions visited, between two updates of the penalty for going over
# a budget; small rounds update more often (_Problem._penalties).
MAX_SOLUTIONS_BETWEEN_PENALTY_UPDATES = 500
# Rounds of this many stops or more are searched on every core at once (at most this many), each
# search with its own seed; smaller ones converge within a fraction of a second on one.
PARALLEL_FROM_STOPS = 50
MAX_PARALLEL_SEARCHES = 4
PARALLEL_HANDOVER_S = 0.05  # measured: about 10 ms to return the plans and end the processes
# Prizes, walking and penalties are 64-bit integers inside PyVRP; keep the largest sum far below.
LARGEST_PRIZE_TOTAL = 2**52
# Rounds with at most this many stops worth visiting are solved exactly, by trying every set of
# stops in its shortest order, instead of by PyVRP's search. The search can miss a plan that needs
# two changes at once: with two doors at one entrance, trading one far door for both near ones
# passes through a plan over budget, and half of the seeds did not find it. Exact for 8 stops
# takes about 20 ms per kind of walker (2^8 sets times 8 x 8 last steps).
EXACT_UP_TO_STOPS = 8


@dataclass(frozen=True)
class Stop:
    """A door to visit: where it is, how much the visit matters, and how long it takes."""

    x: float
    y: float
    priority: int
    service_s: int = 600

    def __post_init__(self) -> None:
        _check_point(self.x, self.y, "a stop")
        _check_count(self.priority, "a stop's priority")
        _check_count(self.service_s, "a stop's service time")

    @property
    def point(self) -> Point:
        return (self.x, self.y)


@dataclass(frozen=True)
class Walker:
    """A worker's round: start point, time budget, and end point (the start when not given)."""

    x: float
    y: float
    budget_s: int
    end_x: float | None = None
    end_y: float | None = None

    def __post_init__(self) -> None:
        _check_point(self.x, self.y, "a walker's start")
        _check_count(self.budget_s, "a walker's budget")
        if (self.end_x is None) != (self.end_y is None):
            raise ValueError("a walker's end point needs both end_x and end_y, or neither")
        if self.end_x is not None and self.end_y is not None:
            _check_point(self.end_x, self.end_y, "a walker's end")

    @property
    def start(self) -> Point:
        return (self.x, self.y)

    @property
    def end(self) -> Point:
        """Where the round ends: the given end point, or back at the start."""
        if self.end_x is None or self.end_y is None:
            return self.start
        return (self.end_x, self.end_y)


def _check_point(x: float, y: float, what: str) -> None:
    if not (math.isfinite(x) and math.isfinite(y)):
        raise ValueError(f"{what} needs finite coordinates, not ({x!r}, {y!r})")


def _check_count(value: int, what: str) -> None:
    # bool is a subclass of int, but True as a budget is a bug, not one second.
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{what} must be a whole number of at least 0, not {value!r}")


def travel_s(a: Point, b: Point, *, speed_m_s: float = DEFAULT_SPEED_M_S, detour: float = DEFAULT_DETOUR) -> int:
    """Whole seconds to walk from ``a`` to ``b``: the straight line times the detour, rounded up."""
    return math.ceil(math.dist(a, b) * detour / speed_m_s)


def route_time_s(
    route: Sequence[int],
    stops: Sequence[Stop],
    walker: Walker,
    *,
    speed_m_s: float = DEFAULT_SPEED_M_S,
    detour: float = DEFAULT_DETOUR,
) -> int:
    """Seconds a walker needs for ``route``: the walks from start to end plus each stop's service."""
    points = [walker.start, *(stops[i].point for i in route), walker.end]
    walking = sum(travel_s(a, b, speed_m_s=speed_m_s, detour=detour) for a, b in itertools.pairwise(points))
    return walking + sum(stops[i].service_s for i in route)


def plan(
    stops: Sequence[Stop],
    walkers: Sequence[Walker],
    *,
    speed_m_s: float = DEFAULT_SPEED_M_S,
    detour: float = DEFAULT_DETOUR,
    time_limit_s: float = 5.0,
    seed: int = 0,
) -> list[list[int]]:
    """One ordered list of stop indices per walker, each route within its walker's budget.

    Maximises the total priority of the visited stops; among equal totals, walks less. Each stop
    is visited at most once. Stops with priority 0, and stops no walker can visit alone within its
    budget, are never visited. A walker without stops gets an empty list. The search stops after
    ``time_limit_s`` seconds at the latest. For the same input and ``seed`` it returns the same
    plan whenever the search converges before that limit (small rounds always do).

    Raises ValueError for a speed, detour or time limit that is not a positive number, and for
    priorities and budgets so large that the solver's integer arithmetic could overflow.
    """
    deadline = time.perf_counter() + time_limit_s
    _check_settings(speed_m_s=speed_m_s, detour=detour, time_limit_s=time_limit_s)
    problem = _Problem(stops, walkers, speed_m_s=speed_m_s, detour=detour)
    if not problem.candidates or not problem.vehicle_types:
        return [[] for _ in walkers]
    if len(problem.candidates) <= EXACT_UP_TO_STOPS:
        routes = problem.solve_exactly()
    else:
        routes = problem.solve(deadline=deadline, seed=seed)
    return _checked(routes, stops, walkers, speed_m_s=speed_m_s, detour=detour)


def _check_settings(*, speed_m_s: float, detour: float, time_limit_s: float) -> None:
    for value, what in (
        (speed_m_s, "the walking speed"),
        (detour, "the detour factor"),
        (time_limit_s, "the time limit"),
    ):
        if not (math.isfinite(value) and value > 0):
            raise ValueError(f"{what} must be a positive number, not {value!r}")


def _checked(
    routes: list[list[int]], stops: Sequence[Stop], walkers: Sequence[Walker], *, speed_m_s: float, detour: float
) -> list[list[int]]:
    """The routes, checked with the contract's formula independently of the solver's bookkeeping.

    A repeated stop, or a route over its budget, would be a solver bug. Dropping the repeat, or
    the route's last stops until it fits, keeps the plan feasible rather than sending a worker out
    on an impossible round. (Leaving a stop out never makes a route longer: the walking times obey
    the triangle inequality, rounding up included.)
    """
    seen: set[int] = set()
    checked = []
    for route, walker in zip(routes, walkers, strict=True):
        kept = _first_visits(route, seen)
        while kept and route_time_s(kept, stops, walker, speed_m_s=speed_m_s, detour=detour) > walker.budget_s:
            kept.pop()
        checked.append(kept)
    return checked


def _first_visits(route: list[int], seen: set[int]) -> list[int]:
    """The stops of ``route`` not in ``seen``, in order; adds them to ``seen``."""
    kept = []
    for stop in route:
        if stop not in seen:
            seen.add(stop)
            kept.append(stop)
    return kept


class _Problem:
    """The plan as a PyVRP prize-collecting model, and the way back from its solution.

    Stops nobody can visit, and walkers who can visit nobody, are left out of the model: they can
    only slow the search down. Walkers with the same start, end and budget share one vehicle type.
    """

    def __init__(self, stops: Sequence[Stop], walkers: Sequence[Walker], *, speed_m_s: float, detour: float) -> None:
        self.stops = stops
        self.walkers = walkers
        self.speed_m_s = speed_m_s
        self.detour = detour
        fits = [[self._fits_alone(stop, walker) for walker in walkers] for stop in stops]
        self.candidates = [i for i, stop in enumerate(stops) if stop.priority > 0 and any(fits[i])]
        useful = [w for w in range(len(walkers)) if any(fits[i][w] for i in self.candidates)]
        self.vehicle_types = self._vehicle_types(useful)
        self.prize_factor = sum(walkers[w].budget_s for w in useful) + 1
        if sum(stops[i].priority for i in self.candidates) * self.prize_factor > LARGEST_PRIZE_TOTAL:
            raise ValueError("the priorities and budgets are too large to plan with; use smaller numbers")

    def _travel(self, a: Point, b: Point) -> int:
        return travel_s(a, b, speed_m_s=self.speed_m_s, detour=self.detour)

    def _fits_alone(self, stop: Stop, walker: Walker) -> bool:
        """Whether the walker can visit this stop, and only this stop, within its budget."""
        there = self._travel(walker.start, stop.point) + stop.service_s
        return there + self._travel(stop.point, walker.end) <= walker.budget_s

    def _vehicle_types(self, walkers: list[int]) -> dict[tuple[Point, Point, int], list[int]]:
        """The walkers grouped by start, end and budget, in the order they first appear."""
        types: dict[tuple[Point, Point, int], list[int]] = {}
        for w in walkers:
            walker = self.walkers[w]
            types.setdefault((walker.start, walker.end, walker.budget_s), []).append(w)
        return types

    def solve(self, *, deadline: float, seed: int) -> list[list[int]]:
        """Stop indices per walker, in visiting order, as PyVRP found them."""
        best = _best_search(self._data(), penalties=self._penalties(), deadline=deadline, seed=seed)
        routes: list[list[int]] = [[] for _ in self.walkers]
        free = [list(members) for members in self.vehicle_types.values()]  # walkers of each type without a route
        for route in best.routes():
            walker = free[route.vehicle_type()].pop(0)
            routes[walker] = [self.candidates[activity.idx] for activity in route if activity.is_client()]
        return routes

    def solve_exactly(self) -> list[list[int]]:
        """The best plan, by trying every split of the candidates over the walkers.

        Each walker kind gets, per set of stops, its shortest order within its budget
        (``_shortest_orders``); the walkers then take disjoint sets, one walker after the other,
        keeping the split with the most priority and, among those, the least walking. Ties go to
        the first split found, so the plan does not depend on a seed.
        """
        orders = {kind: self._shortest_orders(*kind) for kind in self.vehicle_types}
        walkers = [(w, kind) for kind, members in self.vehicle_types.items() for w in members]
        # used stops (a bit mask over the candidates) -> (priority, walking, routes so far)
        splits: dict[int, tuple[int, int, dict[int, list[int]]]] = {0: (0, 0, {})}
        for w, kind in walkers:
            grown: dict[int, tuple[int, int, dict[int, list[int]]]] = {}
            for used, (priority, walked, taken) in splits.items():
                for mask, (gain, walk, order) in orders[kind].items():
                    if mask & used:
                        continue
                    candidate = (priority + gain, walked + walk, {**taken, w: order})
                    known = grown.get(used | mask)
                    if known is None or (candidate[0], -candidate[1]) > (known[0], -known[1]):
                        grown[used | mask] = candidate
            splits = grown
        _, _, best = max(splits.values(), key=lambda split: (split[0], -split[1]))
        routes: list[list[int]] = [[] for _ in self.walkers]
        for w, order in best.items():
            routes[w] = [self.candidates[i] for i in order]
        return routes

    def _shortest_orders(self, start: Point, end: Point, budget: int) -> dict[int, tuple[int, int, list[int]]]:
        """Per set of candidates (a bit mask) that fits the budget: priority, walking, and the order.

        Held and Karp's dynamic programme: the shortest walk from the start through a set, ending
        at each of its stops, built from the sets one stop smaller. The empty set walks nothing.
        """
        stops = [self.stops[i] for i in self.candidates]
        n = len(stops)
        first = [self._travel(start, stop.point) for stop in stops]
        home = [self._travel(stop.point, end) for stop in stops]
        step = [[self._travel(a.point, b.point) for b in stops] for a in stops]
        # (set, last stop) -> (walking so far, previous stop or -1)
        walk: dict[tuple[int, int], tuple[int, int]] = {(1 << i, i): (first[i], -1) for i in range(n)}
        for mask in range(1, 1 << n):
            for last in range(n):
                here = walk.get((mask, last))
                if here is None:
                    continue
                for nxt in range(n):
                    if mask & (1 << nxt):
                        continue
                    key = (mask | 1 << nxt, nxt)
                    walked = here[0] + step[last][nxt]
                    if key not in walk or walked < walk[key][0]:
                        walk[key] = (walked, last)
        best: dict[int, tuple[int, int, list[int]]] = {0: (0, 0, [])}
        for mask in range(1, 1 << n):
            members = [i for i in range(n) if mask & (1 << i)]
            service = sum(stops[i].service_s for i in members)
            ends = [(walk[(mask, last)][0] + home[last], last) for last in members]
            walked, last = min(ends)
            if walked + service <= budget:
                best[mask] = (sum(stops[i].priority for i in members), walked, _order(walk, mask, last))
        return best

    def _penalties(self) -> "_Penalties":
        """The starting penalty per second over a budget, and its bounds, scaled to the prizes.

        PyVRP lets the search cross the budgets and charges for each second over them; it tunes
        that charge between ``min_penalty`` and ``max_penalty`` so that part of the solutions it
        visits are feasible. Its defaults suit prizes of a few units; ours are much larger. The
        start is the prize on offer per second of budget; at most, one second over costs as much
        as the most valuable stop. PyVRP retunes the charge every 500 solutions. A small round
        may stop after 1,000 iterations, two or three updates, while the charge is still far too
        low; the search then missed the best plan in 5 of 1,000 random rounds of up to 7 doors
        (short by 1 to 4 units of priority, or walking more for the same). It now retunes at
        least 20 times before it can stop, so rounds of fewer than 50 doors retune more often
        (ADR 0006).
        """
        largest = float(max(self.stops[i].priority for i in self.candidates) * self.prize_factor)
        typical = min(self._prize_per_second(), largest)
        updates = max(1, min(MAX_SOLUTIONS_BETWEEN_PENALTY_UPDATES, _patience(len(self.candidates)) // 20))
        params = pyvrp.PenaltyParams(solutions_between_updates=updates, min_penalty=typical / 100, max_penalty=largest)
        return _Penalties(typical, params)

    def _prize_per_second(self) -> float:
        """All the prizes on offer spread over all the time the walkers have: a typical penalty."""
        budgets = sum(self.walkers[w].budget_s for members in self.vehicle_types.values() for w in members)
        return sum(self.stops[i].priority for i in self.candidates) * self.prize_factor / max(budgets, 1)

    def _data(self) -> pyvrp.ProblemData:
        """The PyVRP instance: depots first, then one location per distinct stop position."""
        depots = list(dict.fromkeys(point for start, end, _ in self.vehicle_types for point in (start, end)))
        points = depots + [p for p in dict.fromkeys(self.stops[i].point for i in self.candidates) if p not in depots]
        location = {point: index for index, point in enumerate(points)}
        vehicle_types = [
            pyvrp.VehicleType(len(members), start_depot=location[start], end_depot=location[end], shift_duration=budget)
            for (start, end, budget), members in self.vehicle_types.items()
        ]
        matrix = self._matrix(points)
        return pyvrp.ProblemData(
            locations=[pyvrp.Location(x, y) for x, y in points],
            clients=[self._client(self.stops[i], location) for i in self.candidates],
            depots=[pyvrp.Depot(location=index) for index in range(len(depots))],
            vehicle_types=vehicle_types,
            distance_matrices=[matrix],
            duration_matrices=[matrix],
        )

    def _client(self, stop: Stop, location: dict[Point, int]) -> pyvrp.Client:
        return pyvrp.Client(
            location=location[stop.point],
            service_duration=stop.service_s,
            prize=stop.priority * self.prize_factor,
            required=False,
        )

    def _matrix(self, points: list[Point]) -> Matrix:
        """Walking seconds between every pair of points, with the formula the check uses."""
        matrix = np.zeros((len(points), len(points)), dtype=np.int64)
        for i, a in enumerate(points):
            for j in range(i + 1, len(points)):
                matrix[i, j] = matrix[j, i] = self._travel(a, points[j])
        return matrix


def _order(walk: dict[tuple[int, int], tuple[int, int]], mask: int, last: int) -> list[int]:
    """The visiting order that ``_shortest_orders`` found for a set, read back from its last stop."""
    order = []
    while last >= 0:
        order.append(last)
        mask, last = mask & ~(1 << last), walk[(mask, last)][1]
    return order[::-1]


@dataclass(frozen=True)
class _Penalties:
    """The penalty per second over a budget that the search starts with, and its bounds."""

    start: float
    params: pyvrp.PenaltyParams


def _best_search(data: pyvrp.ProblemData, *, penalties: _Penalties, deadline: float, seed: int) -> pyvrp.Solution:
    """The best of independent searches (seeds ``seed``, ``seed + 1``, ...), one per processor core.

    PyVRP's search holds the interpreter lock, so threads would take turns; processes search side
    by side. Within the same time two searches find better rounds than one: on the TOP instances
    the result of one 10-second search varies by up to 4% of the score between seeds. Small
    rounds converge in a fraction of a second and are searched once, without starting processes.
    For the same input and seed the result is the same whenever every search converges.
    """
    runs = min(os.cpu_count() or 1, MAX_PARALLEL_SEARCHES) if data.num_clients >= PARALLEL_FROM_STOPS else 1
    if runs == 1:
        return _search(data, penalties=penalties, deadline=deadline, seed=seed)
    # fork: the children need nothing but their arguments and never touch the parent's connections.
    # One process per search, each sending its plan back through its own pipe and then ending by
    # itself: no pool, whose terminate() can kill a worker holding the pool's queue lock and leave
    # the other waiting on it for ever. They stop a little early: handing back takes time too.
    until = deadline - PARALLEL_HANDOVER_S
    context = multiprocessing.get_context("fork")
    pipes, processes = [], []
    for run in range(runs):
        receiving, sending = context.Pipe(duplex=False)
        process = context.Process(target=_search_into, args=(sending, data, penalties, until, seed + run))
        process.start()
        sending.close()  # the child's end: the parent's copy must go, or a crashed child is never noticed
        pipes.append(receiving)
        processes.append(process)
    found: list[pyvrp.Solution] = []
    for receiving in pipes:
        try:
            found.append(receiving.recv())
        except EOFError:  # the child died without a plan; the others' plans still count
            continue
    for process in processes:
        process.join()
    if not found:
        return _search(data, penalties=penalties, deadline=deadline, seed=seed)
    feasible = [solution for solution in found if solution.is_feasible()] or found
    return min(feasible, key=lambda solution: solution.uncollected_prizes() + solution.distance())


def _search_into(
    sending: Connection, data: pyvrp.ProblemData, penalties: _Penalties, deadline: float, seed: int
) -> None:  # pragma: no cover - runs in a child process
    sending.send(_search(data, penalties=penalties, deadline=deadline, seed=seed))
    sending.close()


def _search(data: pyvrp.ProblemData, *, penalties: _Penalties, deadline: float, seed: int) -> pyvrp.Solution:
    """One run of PyVRP's iterated local search from a random plan, as ``pyvrp.solve`` runs it.

    Except for the restarts (``_restart_after``) and the penalties: ``pyvrp.solve`` starts halfway
    between the minimum and the maximum, which with prizes this large is far too strict; the
    search stays feasible and stuck for thousands of iterations before the penalty comes down (a
    mean gap of 1.5% instead of 0.7% on the TOP instances with a best-known score at 10 s each;
    docs/adr/0006-routing-solver.md).
    """
    rng = pyvrp.RandomNumberGenerator(seed=seed % 2**32)
    search = _local_search(data, rng)
    start = ([penalties.start] * data.num_load_dimensions, penalties.start, penalties.start)
    manager = pyvrp.PenaltyManager(start, penalties.params)
    initial = search(pyvrp.Solution.make_random(data, rng), manager.max_cost_evaluator(), exhaustive=True)
    params = pyvrp.IteratedLocalSearchParams(num_iters_no_improvement=_restart_after(data.num_clients))
    algorithm = pyvrp.IteratedLocalSearch(data, manager, search, initial, params)
    time_left = max(0.0, deadline - time.perf_counter())
    stop = MultipleCriteria([NoImprovement(_patience(data.num_clients)), MaxRuntime(time_left)])
    return algorithm.run(stop, collect_stats=False).best


def _local_search(data: pyvrp.ProblemData, rng: pyvrp.RandomNumberGenerator) -> LocalSearch:
    """PyVRP's local search with every operator that applies, as ``pyvrp.solve`` builds it."""
    perturbation = PerturbationManager(PerturbationParams(min_perturbations=1, max_perturbations=MAX_PERTURBATIONS))
    search = LocalSearch(data, rng, compute_neighbours(data, NeighbourhoodParams()), perturbation)
    for operator in OPERATORS:
        if operator.supports(data):
            search.add_operator(operator(data))
    return search


def _restart_after(clients: int) -> int:
    """Iterations without a better plan after which a run goes back to its best plan.

    Below ``_patience``, so a run restarts a few times before it ends; rounds of up to 5 stops end
    before their first restart.
    """
    return max(MIN_ITERATIONS_WITHOUT_IMPROVEMENT, ITERATIONS_BEFORE_RESTART_PER_STOP * clients)


def _patience(clients: int) -> int:
    """Iterations without a better plan after which a run of the search ends."""
    return max(MIN_ITERATIONS_WITHOUT_IMPROVEMENT, ITERATIONS_WITHOUT_IMPROVEMENT_PER_STOP * clients)
