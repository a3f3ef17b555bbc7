"""What a round looks like to its readers: its state in words, the reasons per door, the walkers' return."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext as _

from veerkracht.core.access import Capability, can
from veerkracht.core.models import TaskStatus, User
from veerkracht.engines.priority import Reason
from veerkracht.engines.routing import travel_s
from veerkracht.outreach.models import OutreachRound, RoundProblem, RoundStatus, RoundStop, RoundWalker
from veerkracht.outreach.vocabulary import VISIT_MINUTES, VisitKind, describe


@dataclass(frozen=True)
class RoundState:
    status: str  # planning, planned, failed
    progress: int
    problem: str  # a code of RoundProblem, or ""
    message: str  # the problem in words


def state_of(round_: OutreachRound) -> RoundState:
    """The round's status; a run that failed unexpectedly leaves a round that says so."""
    run = round_.run
    if round_.status == RoundStatus.PLANNING and run is not None and run.status == TaskStatus.FAILED:
        message = run.failure_message if run.worker_lost else str(RoundProblem.ERROR.label)
        return RoundState(RoundStatus.FAILED, run.progress, RoundProblem.ERROR, message)
    progress = 100 if round_.status != RoundStatus.PLANNING else (run.progress if run else 0)
    message = str(RoundProblem(round_.problem).label) if round_.problem else ""
    return RoundState(round_.status, progress, round_.problem, message)


def reasons_of(stop: RoundStop) -> list[str]:
    """Why this door, in words, largest reason first."""
    return [describe(Reason(r["code"], r["count"], r["points"])) for r in stop.reasons]


def back_at(walker: RoundWalker, stops: list[RoundStop]) -> datetime:
    """When the walker is expected back at the start, after the last door."""
    if not stops:
        return walker.starts_at
    last = stops[-1]
    service = timedelta(minutes=VISIT_MINUTES[VisitKind(last.kind)])
    return last.expected_at + service + timedelta(seconds=travel_s((last.x, last.y), (walker.x, walker.y)))


@dataclass(frozen=True)
class Door:
    """A stop as its reader may see it (least data).

    Those who plan rounds see why a door is on the list (open concerns, vulnerability markers,
    weeks without contact) and the priority. Volunteers and basisbaan workers who only walk see
    what the visit needs: the door, the kind of visit, and the name only if the resident
    consented to contact.
    """

    stop: RoundStop
    name: str
    reasons: list[str]
    priority: int | None


def sees_why(user: User) -> bool:
    return can(user, Capability.PLAN_OUTREACH)


def door_for(user: User, stop: RoundStop) -> Door:
    if sees_why(user):
        return Door(stop, stop.resident.full_name, reasons_of(stop), stop.priority)
    name = stop.resident.full_name if stop.resident.consent_contact else _("(name not shared)")
    return Door(stop, name, [], None)
