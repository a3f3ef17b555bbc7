"""The matching engine against brute force, against networkx's min-cost flow, and on the edges of its contract.

Everything the tests compare with is computed here, independently of the engine: allowed pairs with
``math.hypot``, costs in metres as floating point, the optimum by enumerating every assignment
(tiny instances) or by networkx's network simplex on the textbook flow network (larger ones).
"""

import math
from collections import Counter
from itertools import product

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from veerkracht.engines.matching import Request, Volunteer, Weights, allowed_pairs, solve

KINDS = ["groceries", "meal", "walk"]
LANGUAGES = ["nl", "tr", "ar"]
PER_MATCH_M = 1e-4  # the engine rounds each pair's cost to 0.1 mm: allowed slack per matched request
EXACT_M = 1e-6  # networkx works in micrometres here


def allowed(request: Request, volunteer: Volunteer, j: int | None = None) -> bool:
    distance = math.hypot(request.x - volunteer.x, request.y - volunteer.y)
    return (
        request.kind in volunteer.kinds
        and distance <= volunteer.radius_m
        and request.when & volunteer.when != 0
        and j not in request.excluded
    )


def cost(requests, volunteers, weights, i: int, j: int) -> float:
    request, volunteer = requests[i], volunteers[j]
    metres = math.hypot(request.x - volunteer.x, request.y - volunteer.y)
    if request.language is not None and request.language not in volunteer.languages:
        metres += weights.language_mismatch_m
    if request.previous_volunteer == j:
        metres -= weights.continuity_bonus_m
    return metres


def total(requests, volunteers, weights, pairs) -> float:
    return sum(cost(requests, volunteers, weights, i, j) for i, j in pairs)


def assert_valid(requests, volunteers, pairs) -> None:
    """Allowed pairs only, each request at most once, no volunteer over capacity, sorted by request."""
    assert pairs == sorted(pairs)
    assert all(isinstance(i, int) and isinstance(j, int) for i, j in pairs)
    assert len({i for i, _ in pairs}) == len(pairs)
    for i, j in pairs:
        assert 0 <= i < len(requests)
        assert 0 <= j < len(volunteers)
        assert allowed(requests[i], volunteers[j], j), (i, j)
    for j, count in Counter(j for _, j in pairs).items():
        assert count <= volunteers[j].capacity


def brute_force(requests, volunteers, weights) -> tuple[int, float]:
    """(most matches, least cost) over every assignment of every request to an allowed volunteer or nobody."""
    options = [[None, *(j for j, v in enumerate(volunteers) if allowed(r, v, j))] for r in requests]
    best = (0, 0.0)
    for choice in product(*options):
        used = Counter(j for j in choice if j is not None)
        if any(count > volunteers[j].capacity for j, count in used.items()):
            continue
        pairs = [(i, j) for i, j in enumerate(choice) if j is not None]
        value = (len(pairs), total(requests, volunteers, weights, pairs))
        if (value[0], -value[1]) > (best[0], -best[1]):
            best = value
    return best


def networkx_optimum(requests, volunteers, weights) -> tuple[int, float]:
    """Max flow at min cost on source -> requests -> volunteers -> sink, costs in micrometres."""
    graph = nx.DiGraph()
    graph.add_nodes_from(["source", "sink"])
    for i in range(len(requests)):
        graph.add_edge("source", ("r", i), capacity=1, weight=0)
    for j, volunteer in enumerate(volunteers):
        graph.add_edge(("v", j), "sink", capacity=volunteer.capacity, weight=0)
    for (i, request), (j, volunteer) in product(enumerate(requests), enumerate(volunteers)):
        if allowed(request, volunteer, j):
            micrometres = round(cost(requests, volunteers, weights, i, j) * 1e6)
            graph.add_edge(("r", i), ("v", j), capacity=1, weight=micrometres)
    flow = nx.max_flow_min_cost(graph, "source", "sink")
    pairs = [(i, j) for i in range(len(requests)) for (_, j), units in flow[("r", i)].items() if units]
    return len(pairs), total(requests, volunteers, weights, pairs)


def assert_optimal(requests, volunteers, weights, pairs, optimum: tuple[int, float]) -> None:
    count, best = optimum
    assert len(pairs) == count
    ours = total(requests, volunteers, weights, pairs)
    assert best - EXACT_M * count - 1e-9 <= ours <= best + (PER_MATCH_M + EXACT_M) * count + 1e-9


# --- strategies ---------------------------------------------------------------------------------

coordinates = st.one_of(st.integers(-30, 30).map(float), st.floats(-3000, 3000, allow_nan=False))
radii = st.one_of(st.sampled_from([0.0, 5.0, 10.0, 25.0, math.inf]), st.floats(0, 2000))


@st.composite
def volunteers(draw, count: int) -> list[Volunteer]:
    return [
        Volunteer(
            draw(coordinates),
            draw(coordinates),
            draw(radii),
            draw(st.integers(0, 3)),
            frozenset(draw(st.sets(st.sampled_from(KINDS), min_size=1))),
            frozenset(draw(st.sets(st.sampled_from(LANGUAGES)))),
        )
        for _ in range(count)
    ]


@st.composite
def requests(draw, count: int, volunteer_count: int) -> list[Request]:
    previous = st.one_of(st.none(), st.integers(0, max(0, volunteer_count - 1)), st.just(volunteer_count + 5))
    return [
        Request(
            draw(coordinates),
            draw(coordinates),
            draw(st.sampled_from(KINDS)),
            draw(st.one_of(st.none(), st.sampled_from(LANGUAGES))),
            draw(previous),
        )
        for _ in range(count)
    ]


weights = st.builds(
    Weights,
    st.sampled_from([0.0, 1500.0, 7.5]),
    st.sampled_from([0.0, 1000.0, 40.0, 5000.0]),  # 5 km: costs below zero
)


@st.composite
def instances(draw, most_requests: int, most_volunteers: int):
    volunteer_list = draw(volunteers(draw(st.integers(0, most_volunteers))))
    request_list = draw(requests(draw(st.integers(0, most_requests)), len(volunteer_list)))
    return request_list, volunteer_list, draw(weights)


@st.composite
def neighbourhoods(draw, size: int):
    """Everyone within a few hundred metres, radii of that size: dense graphs with competition."""
    count_v = draw(st.integers(1, size))
    spot = st.floats(0, 400, allow_nan=False)
    volunteer_list = [
        Volunteer(
            draw(spot),
            draw(spot),
            draw(st.sampled_from([60.0, 150.0, 300.0])),
            draw(st.integers(0, 2)),
            frozenset(draw(st.sets(st.sampled_from(KINDS), min_size=1))),
            frozenset(draw(st.sets(st.sampled_from(LANGUAGES)))),
        )
        for _ in range(count_v)
    ]
    request_list = draw(requests(draw(st.integers(1, size)), count_v))
    request_list = [Request(draw(spot), draw(spot), r.kind, r.language, r.previous_volunteer) for r in request_list]
    return request_list, volunteer_list, draw(weights)


# --- optimality ---------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instance=instances(most_requests=5, most_volunteers=4))
def test_solve_equals_brute_force_on_tiny_instances(instance):
    request_list, volunteer_list, weight = instance
    pairs = solve(request_list, volunteer_list, weight)
    assert_valid(request_list, volunteer_list, pairs)
    assert_optimal(request_list, volunteer_list, weight, pairs, brute_force(request_list, volunteer_list, weight))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(instance=neighbourhoods(size=30))
def test_solve_equals_networkx_min_cost_flow_on_crowded_neighbourhoods(instance):
    request_list, volunteer_list, weight = instance
    pairs = solve(request_list, volunteer_list, weight)
    assert_valid(request_list, volunteer_list, pairs)
    assert_optimal(request_list, volunteer_list, weight, pairs, networkx_optimum(request_list, volunteer_list, weight))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(instance=instances(most_requests=40, most_volunteers=30))
def test_solve_equals_networkx_min_cost_flow_on_random_instances(instance):
    request_list, volunteer_list, weight = instance
    pairs = solve(request_list, volunteer_list, weight)
    assert_valid(request_list, volunteer_list, pairs)
    assert_optimal(request_list, volunteer_list, weight, pairs, networkx_optimum(request_list, volunteer_list, weight))


def city(requests_count: int, volunteers_count: int, seed: int) -> tuple[list[Request], list[Volunteer]]:
    """A small city like the benchmark's: clustered, 0.5-2 km radii, 1-3 tasks each."""
    import random

    rnd = random.Random(seed)
    centres = [(rnd.uniform(0, 6000), rnd.uniform(0, 6000)) for _ in range(4)]

    def near(spread: float) -> tuple[float, float]:
        cx, cy = rnd.choice(centres)
        return cx + rnd.gauss(0, spread), cy + rnd.gauss(0, spread)

    request_list = [
        Request(*near(900), rnd.choice(KINDS), rnd.choice([None, "tr"]), rnd.randrange(volunteers_count))
        for _ in range(requests_count)
    ]
    volunteer_list = [
        Volunteer(*near(1300), rnd.choice([500.0, 1000.0, 2000.0]), rnd.randint(1, 3),
                  frozenset(rnd.sample(KINDS, rnd.randint(1, 2))), frozenset(rnd.sample(LANGUAGES, rnd.randint(1, 2))))
        for _ in range(volunteers_count)
    ]  # fmt: skip
    return request_list, volunteer_list


@pytest.mark.parametrize(("requests_count", "volunteers_count"), [(250, 250), (300, 60)])
def test_a_small_city_equals_networkx(requests_count, volunteers_count):
    # The second city has far more requests than room: the overloaded part decides who goes unmatched.
    request_list, volunteer_list = city(requests_count, volunteers_count, seed=requests_count)
    pairs = solve(request_list, volunteer_list)
    assert_valid(request_list, volunteer_list, pairs)
    optimum = networkx_optimum(request_list, volunteer_list, Weights())
    assert_optimal(request_list, volunteer_list, Weights(), pairs, optimum)


@given(instance=instances(most_requests=8, most_volunteers=6))
@settings(max_examples=30, deadline=None)
def test_allowed_pairs_are_exactly_the_allowed_pairs_with_their_costs(instance):
    request_list, volunteer_list, weight = instance
    found = allowed_pairs(request_list, volunteer_list, weight)
    got = {(int(i), int(j)): float(c) for i, j, c in zip(found.request, found.volunteer, found.cost_m, strict=True)}
    expected = {
        (i, j)
        for (i, r), (j, v) in product(enumerate(request_list), enumerate(volunteer_list))
        if v.capacity > 0 and allowed(r, v, j)
    }
    assert set(got) == expected
    for (i, j), metres in got.items():
        assert abs(metres - cost(request_list, volunteer_list, weight, i, j)) <= PER_MATCH_M / 2 + 1e-9


@given(instance=instances(most_requests=8, most_volunteers=6))
@settings(max_examples=20, deadline=None)
def test_the_same_input_gives_the_same_pairs(instance):
    request_list, volunteer_list, weight = instance
    assert solve(request_list, volunteer_list, weight) == solve(list(request_list), list(volunteer_list), weight)


# --- the edges of the contract ------------------------------------------------------------------

HELPER = Volunteer(0.0, 0.0, 1000.0, 1, frozenset({"meal"}))
MEAL = frozenset({"meal"})
EVERYWHERE = Volunteer(0, 0, math.inf, 1, MEAL)


def test_nothing_to_match():
    assert solve([], []) == []
    assert solve([Request(0, 0, "meal")], []) == []
    assert solve([], [HELPER]) == []


def test_no_allowed_pair_matches_nothing():
    far = Request(5000, 0, "meal")
    other_kind = Request(0, 0, "walk")
    assert solve([far, other_kind], [HELPER]) == []


def test_a_volunteer_with_capacity_zero_takes_nothing():
    resting = Volunteer(0, 0, 1000, 0, frozenset({"meal"}))
    assert solve([Request(10, 0, "meal")], [resting]) == []


def test_radius_zero_reaches_exactly_the_same_address():
    doorstep = Volunteer(3.25, -7.5, 0.0, 2, frozenset({"meal"}))
    assert solve([Request(3.25, -7.5, "meal"), Request(3.25, -7.4999, "meal")], [doorstep]) == [(0, 0)]


def test_a_request_exactly_on_the_border_is_within_reach():
    border = Volunteer(0, 0, 5.0, 1, frozenset({"meal"}))
    assert solve([Request(3, 4, "meal")], [border]) == [(0, 0)]
    assert solve([Request(3, 4.000001, "meal")], [border]) == []


@given(dx=st.floats(-1e4, 1e4), dy=st.floats(-1e4, 1e4), nudge=st.sampled_from([-1, 0, 1]))
def test_the_border_agrees_with_math_hypot_to_the_last_bit(dx, dy, nudge):
    radius = math.hypot(dx, dy)
    for _ in range(abs(nudge)):
        radius = math.nextafter(radius, math.inf if nudge > 0 else -math.inf)
    radius = max(radius, 0.0)
    volunteer = Volunteer(0.0, 0.0, radius, 1, frozenset({"meal"}))
    expected = [(0, 0)] if math.hypot(dx, dy) <= radius else []
    assert solve([Request(dx, dy, "meal")], [volunteer]) == expected


def test_an_infinite_radius_reaches_everyone():
    anywhere = Volunteer(0, 0, math.inf, 2, frozenset({"meal"}))
    assert solve([Request(1e6, -1e6, "meal"), Request(-3e5, 0, "meal")], [anywhere]) == [(0, 0), (1, 0)]


def test_duplicate_coordinates_are_fine():
    same = [Request(10, 10, "meal") for _ in range(4)]
    helpers = [Volunteer(10, 10, 0, 1, frozenset({"meal"})) for _ in range(3)]
    pairs = solve(same, helpers)
    assert len(pairs) == 3
    assert_valid(same, helpers, pairs)


def test_the_continuity_bonus_can_make_a_pair_cost_less_than_nothing():
    requests_list = [Request(0, 0, "meal", previous_volunteer=1)]
    helpers = [Volunteer(10, 0, 1000, 1, frozenset({"meal"})), Volunteer(900, 0, 1000, 1, frozenset({"meal"}))]
    assert solve(requests_list, helpers) == [(0, 1)]  # 900 - 1000 = -100 beats 10
    assert solve(requests_list, helpers, Weights(continuity_bonus_m=0)) == [(0, 0)]


def test_a_language_mismatch_costs_its_weight():
    requests_list = [Request(0, 0, "meal", language="tr")]
    helpers = [Volunteer(10, 0, 2000, 1, MEAL), Volunteer(1400, 0, 2000, 1, MEAL, frozenset({"tr"}))]
    assert solve(requests_list, helpers) == [(0, 1)]  # 1400 beats 10 + 1500
    assert solve(requests_list, helpers, Weights(language_mismatch_m=1000)) == [(0, 0)]


def test_no_language_preference_is_never_a_mismatch():
    helpers = [Volunteer(10, 0, 2000, 1, MEAL), Volunteer(20, 0, 2000, 1, MEAL, frozenset({"tr"}))]
    assert solve([Request(0, 0, "meal", language=None)], helpers) == [(0, 0)]


def test_more_matches_come_before_lower_cost():
    # Nearest-first would give the volunteer at 0 to request 0 and leave request 1 without anyone.
    helpers = [Volunteer(0, 0, 100, 1, frozenset({"meal"})), Volunteer(90, 0, 100, 1, frozenset({"meal"}))]
    requests_list = [Request(1, 0, "meal"), Request(-50, 0, "meal")]
    assert solve(requests_list, helpers) == [(0, 1), (1, 0)]


def test_when_requests_outnumber_room_the_cheap_ones_are_served():
    helper = Volunteer(0, 0, 100, 1, frozenset({"meal"}))
    assert solve([Request(10, 0, "meal"), Request(1, 0, "meal")], [helper]) == [(1, 0)]


def test_a_huge_capacity_is_as_good_as_room_for_everyone():
    tireless = Volunteer(0, 0, 1000, 10**15, MEAL)
    assert solve([Request(1, 0, "meal"), Request(2, 0, "meal")], [tireless]) == [(0, 0), (1, 0)]


def test_kinds_given_as_a_plain_set_still_work():
    casual = Volunteer(0, 0, 1000, 1, {"meal"})  # type: ignore[arg-type]
    assert solve([Request(1, 0, "meal")], [casual]) == [(0, 0)]


def test_a_previous_volunteer_outside_the_list_is_ignored():
    assert solve([Request(0, 0, "meal", previous_volunteer=7)], [HELPER]) == [(0, 0)]
    assert solve([Request(0, 0, "meal", previous_volunteer=-1)], [HELPER]) == [(0, 0)]


@pytest.mark.parametrize(
    ("requests_list", "helpers", "weight", "message"),
    [
        ([Request(math.nan, 0, "meal")], [HELPER], Weights(), "x of request 0"),
        ([Request(0, math.inf, "meal")], [HELPER], Weights(), "y of request 0"),
        ([Request(0, 0, "meal")], [HELPER, Volunteer(math.nan, 0, 1, 1, frozenset())], Weights(), "x of volunteer 1"),
        ([Request(0, 0, "meal")], [Volunteer(0, 0, math.nan, 1, frozenset())], Weights(), "radius of volunteer 0"),
        ([Request(0, 0, "meal")], [Volunteer(0, 0, -1, 1, frozenset())], Weights(), "negative radius"),
        ([Request(0, 0, "meal")], [Volunteer(0, 0, 1, -1, frozenset())], Weights(), "negative capacity"),
        ([Request(0, 0, "meal")], [Volunteer(0, 0, 1, 1.5, frozenset())], Weights(), "not whole"),  # type: ignore[arg-type]
        ([Request(0, 0, "meal")], [HELPER], Weights(language_mismatch_m=math.inf), "language_mismatch_m"),
        ([Request(0, 0, "meal"), Request(1e20, 0, "meal")], [EVERYWHERE], Weights(), "too large"),
    ],
)  # fmt: skip
def test_values_without_meaning_are_refused(requests_list, helpers, weight, message):
    with pytest.raises(ValueError, match=message):
        solve(requests_list, helpers, weight)


def test_a_thousand_requests_take_well_under_a_second():
    import time

    request_list, volunteer_list = city(1000, 1000, seed=3)
    solve(request_list, volunteer_list)  # compiled code is loaded (or compiled) once per process
    start = time.process_time()  # this process's own time: a busy machine must not fail the test
    pairs = solve(request_list, volunteer_list)
    assert time.process_time() - start < 0.5
    assert_valid(request_list, volunteer_list, pairs)


# --- availability (the optional ``when`` bitmasks) ----------------------------------------------

moments = st.one_of(st.just(-1), st.integers(0, 7))  # three moments: often disjoint, sometimes none


@st.composite
def instances_with_moments(draw, most_requests: int, most_volunteers: int):
    request_list, volunteer_list, weight = draw(instances(most_requests, most_volunteers))
    request_list = [Request(r.x, r.y, r.kind, r.language, r.previous_volunteer, draw(moments)) for r in request_list]
    volunteer_list = [
        Volunteer(v.x, v.y, v.radius_m, v.capacity, v.kinds, v.languages, draw(moments)) for v in volunteer_list
    ]
    return request_list, volunteer_list, weight


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instance=instances_with_moments(most_requests=5, most_volunteers=4))
def test_moments_and_exclusions_are_respected_and_solve_still_equals_brute_force(instance):
    request_list, volunteer_list, weight = instance
    pairs = solve(request_list, volunteer_list, weight)
    assert_valid(request_list, volunteer_list, pairs)
    assert_optimal(request_list, volunteer_list, weight, pairs, brute_force(request_list, volunteer_list, weight))


def test_a_volunteer_free_on_tuesday_does_not_get_a_request_for_monday():
    monday, tuesday = 0b01, 0b10
    requests_list = [Request(0.0, 0.0, "meal", when=monday), Request(0.0, 0.0, "meal", when=tuesday | monday)]
    helpers = [Volunteer(0.0, 0.0, 100.0, 2, frozenset({"meal"}), when=tuesday)]
    assert solve(requests_list, helpers) == [(1, 0)]


def test_a_when_beyond_64_bits_is_refused():
    with pytest.raises(ValueError, match="64 bits"):
        solve([Request(0.0, 0.0, "meal", when=2**70)], [Volunteer(0.0, 0.0, 1.0, 1, frozenset({"meal"}))])


def test_a_request_never_goes_to_an_excluded_volunteer():
    helpers = [Volunteer(0.0, 0.0, 100.0, 1, frozenset({"meal"})), Volunteer(50.0, 0.0, 100.0, 1, frozenset({"meal"}))]
    assert solve([Request(0.0, 0.0, "meal")], helpers) == [(0, 0)]
    assert solve([Request(0.0, 0.0, "meal", excluded=frozenset({0}))], helpers) == [(0, 1)]
    assert solve([Request(0.0, 0.0, "meal", excluded=frozenset({0, 1}))], helpers) == []
