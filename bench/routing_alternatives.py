"""What the routing engine is measured against: a greedy baseline and OR-Tools' routing solver.

Both take the engine's contract (``Stop``, ``Walker``, the same travel times) and return the same
shape, one ordered list of stop indices per walker, so the benchmark can check and score all three
the same way.
"""

import math
from collections.abc import Sequence
from typing import Any

from veerkracht.engines.routing import Point, Stop, Walker, travel_s


def greedy_plan(
    stops: Sequence[Stop], walkers: Sequence[Walker], *, speed_m_s: float, detour: float
) -> list[list[int]]:
    """Each walker in turn takes the best priority per second that still fits, until nothing fits.

    "Per second" counts the walk to the stop and its service; a stop fits when the walker can
    still reach its end point within the budget after it.
    """
    left = {i for i, stop in enumerate(stops) if stop.priority > 0}
    routes = []
    for walker in walkers:
        route = _greedy_route(stops, walker, left, speed_m_s=speed_m_s, detour=detour)
        left.difference_update(route)
        routes.append(route)
    return routes


def _greedy_route(
    stops: Sequence[Stop], walker: Walker, left: set[int], *, speed_m_s: float, detour: float
) -> list[int]:
    route: list[int] = []
    here, used = walker.start, 0
    while True:
        best: tuple[float, int, int] | None = None
        for i in sorted(left.difference(route)):
            cost = travel_s(here, stops[i].point, speed_m_s=speed_m_s, detour=detour) + stops[i].service_s
            home = travel_s(stops[i].point, walker.end, speed_m_s=speed_m_s, detour=detour)
            if used + cost + home <= walker.budget_s:
                rate = stops[i].priority / max(cost, 1)
                if best is None or rate > best[0]:
                    best = (rate, i, cost)
        if best is None:
            return route
        route.append(best[1])
        here, used = stops[best[1]].point, used + best[2]


def ortools_plan(
    stops: Sequence[Stop], walkers: Sequence[Walker], *, speed_m_s: float, detour: float, time_limit_s: float
) -> list[list[int]]:
    """The same prize-collecting model in OR-Tools' routing solver.

    One node per stop and two per walker (start and end); a disjunction per stop whose penalty is
    the stop's prize (priority times the same factor as the engine); a time dimension with the
    budget as each vehicle's capacity; the walking time as the arc cost. First solution by
    PATH_CHEAPEST_ARC, improved by guided local search until the time limit, as OR-Tools' guide
    recommends for vehicle routing.
    """
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    if not walkers:
        return []
    points = [w.start for w in walkers] + [w.end for w in walkers] + [s.point for s in stops]
    service = [0] * (2 * len(walkers)) + [s.service_s for s in stops]
    walking = _matrix(points, speed_m_s=speed_m_s, detour=detour)
    timing = [[walking[i][j] + service[i] for j in range(len(points))] for i in range(len(points))]
    starts = list(range(len(walkers)))
    manager = pywrapcp.RoutingIndexManager(len(points), len(walkers), starts, [len(walkers) + w for w in starts])
    model = pywrapcp.RoutingModel(manager)
    model.SetArcCostEvaluatorOfAllVehicles(model.RegisterTransitMatrix(walking))
    budgets = [w.budget_s for w in walkers]
    model.AddDimensionWithVehicleCapacity(model.RegisterTransitMatrix(timing), 0, budgets, True, "time")
    factor = sum(budgets) + 1
    for i, stop in enumerate(stops):
        model.AddDisjunction([manager.NodeToIndex(2 * len(walkers) + i)], stop.priority * factor)
    parameters = pywrapcp.DefaultRoutingSearchParameters()
    parameters.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    parameters.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    parameters.time_limit.FromMilliseconds(max(1, math.floor(time_limit_s * 1000)))
    solution = model.SolveWithParameters(parameters)
    if solution is None:
        return [[] for _ in walkers]
    return [_ortools_route(model, manager, solution, w, first_stop=2 * len(walkers)) for w in starts]


def _matrix(points: list[Point], *, speed_m_s: float, detour: float) -> list[list[int]]:
    return [[travel_s(a, b, speed_m_s=speed_m_s, detour=detour) for b in points] for a in points]


def _ortools_route(model: Any, manager: Any, solution: Any, vehicle: int, *, first_stop: int) -> list[int]:
    """The stop indices one OR-Tools vehicle visits, in order (OR-Tools ships no type hints)."""
    route = []
    index = solution.Value(model.NextVar(model.Start(vehicle)))
    while not model.IsEnd(index):
        route.append(manager.IndexToNode(index) - first_stop)
        index = solution.Value(model.NextVar(index))
    return route
