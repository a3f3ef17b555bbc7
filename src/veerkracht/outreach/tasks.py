"""The planning run of a round: candidates and their priorities, the routing engine, the walkers' lists.

It runs in the background worker (``core.tasks``) and is idempotent: the stops and the round's
new status are written in one transaction, only while this attempt holds the run
(``effects_of``). A run restarted after its worker died either finds nothing written and plans
again, or finds the round planned and reports what was planned: never a door twice.
"""

from datetime import timedelta
from typing import Any

from veerkracht.core.models import TaskRun
from veerkracht.core.tasks import Report, effects_of, register
from veerkracht.engines.routing import Stop, Walker, plan, travel_s
from veerkracht.outreach.candidates import Candidate, candidates, weights_of
from veerkracht.outreach.models import OutreachRound, RoundProblem, RoundStatus, RoundStop, RoundWalker
from veerkracht.outreach.services import PLAN_ROUND, service_s
from veerkracht.people.models import Resident

# The solver's time grows with the doors it weighs; beyond this many (highest priority first) the
# rest could not be visited in a day anyway.
MOST_CANDIDATES = 1500


def _planned(round_: OutreachRound) -> dict[str, Any]:
    """The summary of a round planned before: its doors and their priorities, as they were written."""
    stops = list(RoundStop.objects.filter(round=round_).values_list("priority", flat=True))
    return {
        "round_id": round_.pk,
        "candidates": round_.candidates,
        "planned": len(stops),
        "priority_planned": sum(stops),
    }


def _fail(round_: OutreachRound, problem: str, found: int) -> dict[str, Any]:
    OutreachRound.objects.filter(pk=round_.pk).update(status=RoundStatus.FAILED, problem=problem, candidates=found)
    return {"round_id": round_.pk, "candidates": found, "planned": 0, "problem": problem}


def _stops(route: list[int], walker: RoundWalker, found: list[Candidate], kinds: list[str]) -> list[RoundStop]:
    """The walker's doors in order, each with the time the walker is expected there."""
    at, here, stops = walker.starts_at, (walker.x, walker.y), []
    for position, index in enumerate(route, start=1):
        candidate = found[index]
        kind, seconds = service_s(candidate, kinds)
        at += timedelta(seconds=travel_s(here, (candidate.x, candidate.y)))
        reasons = [{"code": r.code, "count": r.count, "points": r.points} for r in candidate.priority.reasons]
        stops.append(
            RoundStop(
                round_id=walker.round_id,
                walker=walker,
                resident=candidate.resident,
                position=position,
                kind=kind,
                priority=candidate.priority.points,
                reasons=reasons,
                expected_at=at,
                x=candidate.x,
                y=candidate.y,
            )
        )
        at += timedelta(seconds=seconds)
        here = (candidate.x, candidate.y)
    return stops


@register(PLAN_ROUND)
def round_plan(run: TaskRun, report: Report) -> dict[str, Any]:
    """Plan the round of ``run.params["round_id"]``: which doors each walker visits, in which order."""
    round_ = OutreachRound.objects.select_related("neighbourhood").get(pk=run.params["round_id"])
    if round_.status == RoundStatus.PLANNED:  # an earlier attempt got this far before its worker died
        return _planned(round_)
    residents = Resident.objects.filter(
        organisation_id=round_.organisation_id, neighbourhood_id=round_.neighbourhood_id
    )
    found = candidates(residents, on=round_.date, weights=weights_of(round_.organisation_id), round_id=round_.pk)
    found = found[:MOST_CANDIDATES]
    report(20)
    if not found:
        return _fail(round_, RoundProblem.NO_CANDIDATES, 0)
    walkers = list(round_.walkers.order_by("pk"))
    stops = [Stop(c.x, c.y, c.priority.points, service_s(c, round_.kinds)[1]) for c in found]
    routes = plan(
        stops,
        [Walker(w.x, w.y, w.budget_s) for w in walkers],
        time_limit_s=float(run.params.get("time_limit_s", 5.0)),
        seed=round_.pk,
    )
    report(80)
    if not any(routes):
        return _fail(round_, RoundProblem.TOO_SHORT, len(found))
    with effects_of(run):
        RoundStop.objects.filter(round=round_, visit__isnull=True).delete()  # a plan made before, unvisited
        for route, walker in zip(routes, walkers, strict=True):
            RoundStop.objects.bulk_create(_stops(route, walker, found, round_.kinds))
        OutreachRound.objects.filter(pk=round_.pk).update(status=RoundStatus.PLANNED, problem="", candidates=len(found))
    planned = [i for route in routes for i in route]
    return {
        "round_id": round_.pk,
        "candidates": len(found),
        "planned": len(planned),
        "priority_planned": sum(stops[i].priority for i in planned),
        "priority_total": sum(stop.priority for stop in stops),
    }
