"""The routing engine beside a greedy baseline and OR-Tools, on neighbourhoods and on the TOP instances.

Three parts, each printed as a table (the issue's targets in the titles):

- ``neighbourhoods``: generated rounds of 1,000 candidate doors (250 entrances spread uniformly over
  2.5 x 2.5 km, each door at a random entrance, priority drawn from 1, 1, 2, 3, 5, 8, service 300,
  600 or 900 s) for 10 walkers with 2 hours each, starting and ending at the centre.
- ``best-known``: the 27 instances of Chao, Golden & Wasil (1996) with a literature best-known score
  (``bench/data/top/best_known.csv``), at 10 s per instance.
- ``sets``: all 387 instances, Set 1 to 7, at 1 s per instance, beside
  ``bench/data/top/chao_reference_scores.csv``.

The TOP instances are mapped onto the engine's contract by scaling coordinates and budgets by
1,000, with speed 1, detour 1 and no service time. The contract rounds every walk up to a whole
second, so a route that fits here also fits the original instance (scores are never flattered),
while a route whose slack in the original is below 0.001 per leg is lost. With budgets of 5,000 to
120,000 scaled seconds that is rarely a whole point.

Every plan is checked against the budgets before it is scored; an infeasible plan is a wrong
answer and fails the run. ``--smoke`` (the suite's): one neighbourhood of 200 doors, the first 2
instances of the best-known list and of each set, 0.2 s per plan.
"""

import argparse
import csv
import importlib.util
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from common import ROOT, add_options, check, finish, print_table, start_report
from routing_alternatives import greedy_plan, ortools_plan

from veerkracht.engines.routing import Stop, Walker, plan, route_time_s

TOP = ROOT / "bench" / "data" / "top"
SCALE = 1000  # TOP coordinates and budgets to whole "seconds"


@dataclass(frozen=True)
class Instance:
    name: str
    stops: list[Stop]
    walkers: list[Walker]
    speed_m_s: float = 1.25
    detour: float = 1.3


Planner = Callable[[Instance, float, int], list[list[int]]]  # (instance, time limit, seed) -> routes


@dataclass(frozen=True)
class Outcome:
    score: int
    seconds: float


# --- instances ------------------------------------------------------------------------------------


def neighbourhood(seed: int, doors: int = 1000) -> Instance:
    """1,000 doors at 250 entrances over 2.5 x 2.5 km; 10 walkers of 2 hours from the centre."""
    rng = random.Random(f"routing-bench:{seed}")  # noqa: S311 - synthetic data, not a secret
    entrances = [(rng.uniform(0, 2500), rng.uniform(0, 2500)) for _ in range(250)]
    stops = [
        Stop(*rng.choice(entrances), priority=rng.choice([1, 1, 2, 3, 5, 8]), service_s=rng.choice([300, 600, 900]))
        for _ in range(doors)
    ]
    walkers = max(1, doors // 100)
    return Instance(f"neighbourhood {seed}", stops, [Walker(1250.0, 1250.0, 7200)] * walkers)


def top_instance(path: Path) -> Instance:
    """One TOP file on the contract: m walkers from point 1 to point N, scaled by 1,000."""
    lines = path.read_text().split("\n")
    count, paths, budget = int(lines[0].split()[1]), int(lines[1].split()[1]), float(lines[2].split()[1])
    rows = [[float(value) for value in line.split()] for line in lines[3 : 3 + count]]
    (sx, sy, _), (ex, ey, _) = _scaled(rows[0]), _scaled(rows[-1])
    stops = [Stop(*_scaled(row)[:2], priority=round(row[2]), service_s=0) for row in rows[1:-1]]
    walker = Walker(sx, sy, round(budget * SCALE), end_x=ex, end_y=ey)
    return Instance(path.stem, stops, [walker] * paths, speed_m_s=1.0, detour=1.0)


def _scaled(row: list[float]) -> tuple[float, float, float]:
    # Rounding strips the binary noise of x * 1000 (18.19 * 1000 is 18190.000000000004).
    return round(row[0] * SCALE, 6), round(row[1] * SCALE, 6), row[2]


def top_path(name: str) -> Path:
    return TOP / "instances" / f"Set{name.split('.')[0][1:]}" / f"{name}.txt"


def scores(filename: str) -> dict[str, int]:
    """Instance name to score from one of the CSV files in ``bench/data/top``."""
    with (TOP / filename).open(newline="") as file:
        return {row["instance"]: int(row[next(k for k in row if k.endswith("score"))]) for row in csv.DictReader(file)}


# --- running and checking -------------------------------------------------------------------------


def _engine(instance: Instance, time_limit_s: float, seed: int) -> list[list[int]]:
    travel = {"speed_m_s": instance.speed_m_s, "detour": instance.detour}
    return plan(instance.stops, instance.walkers, time_limit_s=time_limit_s, seed=seed, **travel)


def _ortools(instance: Instance, time_limit_s: float, seed: int) -> list[list[int]]:
    travel = {"speed_m_s": instance.speed_m_s, "detour": instance.detour}
    return ortools_plan(instance.stops, instance.walkers, time_limit_s=time_limit_s, **travel)


def _greedy(instance: Instance, time_limit_s: float, seed: int) -> list[list[int]]:
    return greedy_plan(instance.stops, instance.walkers, speed_m_s=instance.speed_m_s, detour=instance.detour)


PLANNERS: dict[str, Planner] = {"engine": _engine, "OR-Tools": _ortools, "greedy": _greedy}


def run(planner: Planner, instance: Instance, time_limit_s: float, seed: int) -> Outcome:
    """Plan once, check every route against its budget, and score the plan."""
    start = time.perf_counter()
    routes = planner(instance, time_limit_s, seed)
    seconds = time.perf_counter() - start
    _check(routes, instance)
    return Outcome(sum(instance.stops[i].priority for route in routes for i in route), seconds)


def _check(routes: list[list[int]], instance: Instance) -> None:
    visited = [i for route in routes for i in route]
    if len(visited) != len(set(visited)) or len(routes) != len(instance.walkers):
        check(f"{instance.name}: a stop is visited twice or a walker is missing", False)
        finish()
    for route, walker in zip(routes, instance.walkers, strict=True):
        seconds = route_time_s(route, instance.stops, walker, speed_m_s=instance.speed_m_s, detour=instance.detour)
        if route and seconds > walker.budget_s:
            check(f"{instance.name}: a route is over its budget", False)
            finish()


def median_outcome(planner: Planner, instance: Instance, time_limit_s: float, options: argparse.Namespace) -> Outcome:
    """The median score and median time over ``options.repeats`` runs with seeds first_seed, first_seed + 1, ..."""
    seeds = range(options.first_seed, options.first_seed + options.repeats)
    outcomes = [run(planner, instance, time_limit_s, seed) for seed in seeds]
    return Outcome(round(statistics.median(o.score for o in outcomes)), statistics.median(o.seconds for o in outcomes))


def gap(score: float, reference: int) -> float | None:
    """Percentage below the reference (negative above it); None when the reference is 0."""
    return None if reference == 0 else 100 * (reference - score) / reference


# --- the three parts ------------------------------------------------------------------------------


def neighbourhoods_part(solvers: dict[str, Planner], options: argparse.Namespace) -> None:
    instances = [neighbourhood(seed, options.doors) for seed in range(options.neighbourhoods)]
    greedy = [run(_greedy, instance, 0, 0).score for instance in instances]
    rows = []
    for name, planner in solvers.items():
        outcomes = [median_outcome(planner, i, options.neighbourhood_time_limit, options) for i in instances]
        gains = [100 * (o.score - g) / g for o, g in zip(outcomes, greedy, strict=True)]
        rows.append(_neighbourhood_row(name, outcomes, gains))
    print_table(
        f"Neighbourhoods: {options.doors:,} doors, {max(1, options.doors // 100)} walkers x 2 h, "
        f"{options.neighbourhood_time_limit:g} s per plan, "
        f"{len(instances)} neighbourhoods x {options.repeats} runs (target: at least 5% above greedy within 10 s)",
        ["solver", "median priority", "min gain %", "median gain %", "max gain %", "median s"],
        rows,
    )


def _neighbourhood_row(name: str, outcomes: list[Outcome], gains: list[float]) -> tuple[object, ...]:
    median_score = statistics.median(o.score for o in outcomes)
    seconds = statistics.median(o.seconds for o in outcomes)
    return (name, median_score, min(gains), statistics.median(gains), max(gains), seconds)


def best_known_part(solvers: dict[str, Planner], options: argparse.Namespace) -> None:
    best = dict(list(scores("best_known.csv").items())[: options.instances])
    results: dict[str, list[tuple[str, Outcome]]] = {name: [] for name in solvers}
    for instance_name in best:
        instance = top_instance(top_path(instance_name))
        for name, planner in solvers.items():
            outcome = median_outcome(planner, instance, options.time_limit, options)
            results[name].append((instance_name, outcome))
    if options.per_instance:
        _print_per_instance(best, results)
    rows = [_summary_row(name, best, outcomes) for name, outcomes in results.items()]
    print_table(
        f"TOP, the {len(best)} instances with a best-known score, {options.time_limit:g} s per instance, "
        f"median of {options.repeats} runs (target: mean gap under 1%, none over 3%, within 10 s)",
        ["solver", "mean gap %", "median gap %", "max gap %", "= best known", "over 3%", "mean s"],
        rows,
    )


def _print_per_instance(best: dict[str, int], results: dict[str, list[tuple[str, Outcome]]]) -> None:
    rows = []
    for index, (name, reference) in enumerate(best.items()):
        row: list[object] = [name, reference]
        for outcomes in results.values():
            score = outcomes[index][1].score
            row += [score, gap(score, reference)]
        rows.append(row)
    header = ["instance", "best known"] + [f"{label} {name}" for name in results for label in ("score", "gap %")]
    print_table("TOP instances with a best-known score, per instance", header, rows)


def _summary_row(name: str, best: dict[str, int], outcomes: list[tuple[str, Outcome]]) -> tuple[object, ...]:
    gaps = [g for instance, o in outcomes if (g := gap(o.score, best[instance])) is not None]
    matches = sum(o.score >= best[instance] for instance, o in outcomes)
    return (
        name,
        statistics.mean(gaps),
        statistics.median(gaps),
        max(gaps),
        f"{matches}/{len(outcomes)}",
        sum(g > 3 for g in gaps),
        statistics.mean(o.seconds for _, o in outcomes),
    )


def sets_part(solvers: dict[str, Planner], options: argparse.Namespace) -> None:
    reference = scores("chao_reference_scores.csv")
    rows = []
    for number in options.sets:
        paths = sorted((TOP / "instances" / f"Set{number}").glob("*.txt"))[: options.instances]
        instances = [top_instance(path) for path in paths]
        for name, planner in solvers.items():
            outcomes = [median_outcome(planner, i, options.sets_time_limit, options) for i in instances]
            rows.append(_set_row(f"Set{number}", name, instances, outcomes, reference))
    print_table(
        f"TOP Sets {', '.join(map(str, options.sets))}, {options.sets_time_limit:g} s per instance, median of "
        f"{options.repeats} runs, beside Chao's reference scores (not all best known; above means higher)",
        SET_COLUMNS,
        rows,
    )


SET_COLUMNS = ["set", "solver", "instances", "reference total", "score total", "mean gap %", "median gap %"]
SET_COLUMNS += ["max gap %", "= ref", "above ref", "below ref", "mean s"]


def _set_row(
    label: str, solver: str, instances: list[Instance], outcomes: list[Outcome], reference: dict[str, int]
) -> tuple[object, ...]:
    references = [reference[i.name] for i in instances]
    gaps = [g for o, r in zip(outcomes, references, strict=True) if (g := gap(o.score, r)) is not None]
    pairs = list(zip((o.score for o in outcomes), references, strict=True))
    return (
        label,
        solver,
        len(instances),
        sum(references),
        sum(o.score for o in outcomes),
        # No gap at all when every reference is 0 (the first instances of Set 1 to 3 with --instances).
        *((statistics.mean(gaps), statistics.median(gaps), max(gaps)) if gaps else ("", "", "")),
        sum(s == r for s, r in pairs),
        sum(s > r for s, r in pairs),
        sum(s < r for s, r in pairs),
        statistics.mean(o.seconds for o in outcomes),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parts = {"neighbourhoods": neighbourhoods_part, "best-known": best_known_part, "sets": sets_part}
    parser.add_argument("--parts", nargs="+", choices=list(parts), default=list(parts))
    parser.add_argument("--solvers", nargs="+", choices=list(PLANNERS), default=list(PLANNERS))
    parser.add_argument("--sets", nargs="+", type=int, choices=range(1, 8), default=list(range(1, 8)))
    parser.add_argument("--time-limit", type=float, default=10.0, help="seconds per best-known instance")
    parser.add_argument("--sets-time-limit", type=float, default=1.0, help="seconds per instance of the sets")
    parser.add_argument("--neighbourhood-time-limit", type=float, default=10.0)
    parser.add_argument("--neighbourhoods", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=1, help="runs per instance, from --first-seed on; medians")
    parser.add_argument("--first-seed", type=int, default=0, help="the seed of the first run (the engine's own seed)")
    parser.add_argument("--per-instance", action="store_true", help="also list the best-known instances one by one")
    parser.add_argument(
        "--doors", type=int, default=1000, help="doors per generated neighbourhood (walkers: 1 per 100)"
    )
    parser.add_argument("--instances", type=int, help="only the first this many instances of each list or set")
    add_options(parser)
    options = parser.parse_args()
    if options.smoke:
        # Every set, for its shape (Set 6 begins with instances whose reference is 0: no gap to average).
        options.neighbourhoods, options.doors, options.instances, options.sets = 1, 200, 2, list(range(1, 8))
        options.time_limit = options.sets_time_limit = options.neighbourhood_time_limit = 0.2
        options.repeats = 1
    start_report(options)
    solvers = {name: PLANNERS[name] for name in options.solvers}
    if "OR-Tools" in solvers and importlib.util.find_spec("ortools") is None:
        print("OR-Tools is not installed (pip install -e '.[dev,bench]'); it is left out.")
        del solvers["OR-Tools"]
    for part in options.parts:
        parts[part](solvers, options)
        # run() stops the benchmark on an infeasible plan; reaching here means every plan was checked.
        check(f"{part}: every plan keeps its budgets and visits no stop twice", True)
    finish()


if __name__ == "__main__":
    main()
