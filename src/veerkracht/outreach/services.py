"""The writes of outreach rounds: priority weights, door flags, starting a round, logging a visit.

A round is checked before it is queued (a neighbourhood in scope, walkers of the organisation
each with hours and a start point, doors to visit, hours long enough for at least one of them), so
the planner hears what is wrong at once; the planning itself runs in the background worker.
A visit is one per stop (a database constraint); the second answer for the same door is refused.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from veerkracht.contacts.models import ConcernCategory
from veerkracht.contacts.services import concern_raise, contact_log
from veerkracht.core.access import Capability, can, neighbourhoods_covered_by, organisation_id_of
from veerkracht.core.audit import audit_record
from veerkracht.core.exceptions import NotFound
from veerkracht.core.models import AuditAction, Neighbourhood, User
from veerkracht.core.roles import Role
from veerkracht.core.tasks import task_run_queue
from veerkracht.engines.routing import travel_s
from veerkracht.outreach.candidates import Candidate, candidates, weights_of
from veerkracht.outreach.models import (
    MAX_WEIGHT,
    DoorFlag,
    OutreachRound,
    PriorityWeights,
    RoundProblem,
    RoundStop,
    RoundWalker,
    Visit,
)
from veerkracht.outreach.selectors import stops_writable_by
from veerkracht.outreach.vocabulary import ATTEMPT_MINUTES, REACHED, VISIT_MINUTES, Outcome, VisitKind, planned_kind
from veerkracht.people.addresses import address_position
from veerkracht.people.models import Resident
from veerkracht.people.selectors import RESIDENT, residents_visible_to
from veerkracht.places.models import Place

PLAN_ROUND = "outreach.plan"
WALKER_ROLES = (Role.PROFESSIONAL, Role.BASISBAAN, Role.VOLUNTEER, Role.COORDINATOR)
LONGEST_ROUND = timedelta(hours=10)
FURTHEST_AHEAD_DAYS = 60


def _require(by: User, capability: Capability) -> None:
    if not can(by, capability):
        raise NotFound


# --- priority weights and door flags --------------------------------------------------------------


@transaction.atomic
def priority_weights_save(*, by: User, **weights: int) -> PriorityWeights:
    """Set the organisation's priority weights (coordinators); each a whole number from 0 to 1000."""
    _require(by, Capability.SET_OUTREACH_PRIORITIES)
    for name in PriorityWeights.FIELDS:
        value = weights.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_WEIGHT:
            raise ValidationError({name: _("Enter a whole number from 0 to 1000.")})
    saved, _created = PriorityWeights.objects.select_for_update().update_or_create(
        organisation_id=organisation_id_of(by),
        defaults={
            **{name: weights[name] for name in PriorityWeights.FIELDS},
            "updated_by": by,
            "updated_at": timezone.now(),
        },
    )
    return saved


def _resident_in_scope(by: User, resident_id: int) -> Resident:
    resident = residents_visible_to(by).filter(pk=resident_id).first()
    if resident is None:
        raise NotFound
    return resident


@transaction.atomic
def door_flag_set(*, by: User, resident_id: int, note: str = "") -> DoorFlag:
    """Ask for a visit to a resident's door on the next round; a second flag keeps the first."""
    _require(by, Capability.PLAN_OUTREACH)
    resident = _resident_in_scope(by, resident_id)
    existing = DoorFlag.objects.filter(resident=resident, cleared_at__isnull=True).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            flag = DoorFlag.objects.create(
                organisation_id=resident.organisation_id, resident=resident, flagged_by=by, note=note.strip()[:200]
            )
    except IntegrityError:  # flagged by someone else at this very moment
        return DoorFlag.objects.get(resident=resident, cleared_at__isnull=True)
    audit_record(
        action=AuditAction.UPDATE,
        actor=by,
        object_type=RESIDENT,
        object_id=resident.pk,
        fields=["door_flag"],
    )
    return flag


@transaction.atomic
def door_flag_clear(*, by: User, resident_id: int) -> int:
    """Withdraw the request for a visit; returns how many flags were open (0 or 1)."""
    _require(by, Capability.PLAN_OUTREACH)
    resident = _resident_in_scope(by, resident_id)
    cleared = DoorFlag.objects.filter(resident=resident, cleared_at__isnull=True).update(cleared_at=timezone.now())
    if cleared:
        audit_record(
            action=AuditAction.UPDATE,
            actor=by,
            object_type=RESIDENT,
            object_id=resident.pk,
            fields=["door_flag"],
        )
    return cleared


# --- starting a round -----------------------------------------------------------------------------


@dataclass(frozen=True)
class WalkerPlan:
    """A walker as the planner gives them: who, from when to when, and from where (a place or an address)."""

    worker_id: int
    starts: time | None
    ends: time | None
    place_id: int | None = None
    postcode: str = ""
    house_number: int | None = None


@dataclass(frozen=True)
class _Start:
    worker: User
    starts_at: datetime
    ends_at: datetime
    place: Place | None
    label: str
    x: float
    y: float


def _walker_error(message: str, worker: User | None = None) -> ValidationError:
    name = worker.display_name if worker is not None else ""
    return ValidationError({"walkers": message % {"name": name}})


def _worker(by: User, worker_id: int, seen: set[int]) -> User:
    worker = User.objects.filter(
        pk=worker_id, organisation_id=organisation_id_of(by), is_active=True, role__in=WALKER_ROLES
    ).first()
    if worker is None:
        raise _walker_error(_("Choose professionals, basisbaan workers or volunteers of your organisation."))
    if worker.pk in seen:
        raise _walker_error(_("%(name)s is on the round twice."), worker)
    seen.add(worker.pk)
    return worker


def _start_point(by: User, plan: WalkerPlan, worker: User) -> tuple[Place | None, str, float, float]:
    """Where the walker starts: a place of the organisation with a position, or a known address."""
    if plan.place_id is not None:
        place = Place.objects.filter(
            pk=plan.place_id, organisation_id=organisation_id_of(by), x__isnull=False, y__isnull=False
        ).first()
        if place is None or place.x is None or place.y is None:
            raise _walker_error(_("Choose a place on the map as the start point of %(name)s."), worker)
        return place, place.name, place.x, place.y
    postcode, number = plan.postcode.replace(" ", "").upper(), plan.house_number
    if not postcode or number is None:
        raise _walker_error(
            _("Where does %(name)s start? Choose a place or enter a postcode and house number."), worker
        )
    postcode = f"{postcode[:4]} {postcode[4:]}"
    # The address's real position: a household's, a building's or the address register's.
    position = address_position(organisation_id_of(by), postcode, number)
    if position is None:
        raise _walker_error(_("The start address of %(name)s is not in the city's addresses."), worker)
    return None, f"{position.street} {number}, {postcode}", position.x, position.y


def _resolve(by: User, on: date, plans: list[WalkerPlan]) -> list[_Start]:
    if not plans:
        raise _walker_error(_("Choose at least one walker."))
    seen: set[int] = set()
    starts = []
    for plan in plans:
        worker = _worker(by, plan.worker_id, seen)
        if plan.starts is None or plan.ends is None or plan.ends <= plan.starts:
            raise _walker_error(_("Enter when %(name)s starts and stops, the end after the start."), worker)
        begin = timezone.make_aware(datetime.combine(on, plan.starts))
        end = timezone.make_aware(datetime.combine(on, plan.ends))
        if end - begin > LONGEST_ROUND:
            raise _walker_error(_("A round of %(name)s can last at most 10 hours."), worker)
        place, label, x, y = _start_point(by, plan, worker)
        starts.append(_Start(worker, begin, end, place, label, x, y))
    return starts


def _check_round(by: User, neighbourhood_id: int, on: date, kinds: list[str]) -> Neighbourhood:
    neighbourhood = neighbourhoods_covered_by(by).filter(pk=neighbourhood_id).first()
    if neighbourhood is None:
        raise ValidationError({"neighbourhood_id": _("Choose a neighbourhood you work in.")})
    today = timezone.localdate()
    if not today <= on <= today + timedelta(days=FURTHEST_AHEAD_DAYS):
        raise ValidationError({"date": _("Choose a day from today up to two months ahead.")})
    if not kinds or any(kind not in VisitKind.values for kind in kinds):
        raise ValidationError({"kinds": _("Choose at least one kind of visit.")})
    return neighbourhood


def service_s(candidate: Candidate, kinds: list[str]) -> tuple[str, int]:
    """The visit planned at a candidate's door and the seconds it takes."""
    kind = planned_kind(kinds, flat=candidate.flat, needs_time=candidate.needs_time)
    return kind, VISIT_MINUTES[VisitKind(kind)] * 60


def fits_alone(start: tuple[float, float], budget_s: int, candidate: Candidate, kinds: list[str]) -> bool:
    """Whether a walker could visit this one door and walk back within their hours."""
    there = travel_s(start, (candidate.x, candidate.y))
    return 2 * there + service_s(candidate, kinds)[1] <= budget_s


def _check_reach(found: list[Candidate], starts: list[_Start], kinds: list[str]) -> None:
    if not found:
        raise ValidationError({"neighbourhood_id": str(RoundProblem.NO_CANDIDATES.label)})
    for start in starts:
        budget = int((start.ends_at - start.starts_at).total_seconds())
        if any(fits_alone((start.x, start.y), budget, candidate, kinds) for candidate in found):
            return
    raise ValidationError({"walkers": str(RoundProblem.TOO_SHORT.label)})


def round_start(
    *,
    by: User,
    neighbourhood_id: int,
    on: date,
    kinds: list[str],
    walkers: list[WalkerPlan],
    time_limit_s: float | None = None,
) -> OutreachRound:
    """Check a round and queue its planning; the round answers with its status until the plan is there."""
    _require(by, Capability.PLAN_OUTREACH)
    kinds = [kind for kind in VisitKind.values if kind in set(kinds)]
    neighbourhood = _check_round(by, neighbourhood_id, on, kinds)
    starts = _resolve(by, on, walkers)
    residents = Resident.objects.filter(organisation_id=neighbourhood.organisation_id, neighbourhood=neighbourhood)
    _check_reach(candidates(residents, on=on, weights=weights_of(neighbourhood.organisation_id)), starts, kinds)
    if by.organisation is None:
        raise NotFound
    with transaction.atomic():
        round_ = OutreachRound.objects.create(
            organisation_id=neighbourhood.organisation_id,
            neighbourhood=neighbourhood,
            date=on,
            kinds=kinds,
            planned_by=by,
        )
        RoundWalker.objects.bulk_create(
            RoundWalker(
                round=round_,
                worker=start.worker,
                starts_at=start.starts_at,
                ends_at=start.ends_at,
                place=start.place,
                start_label=start.label,
                x=start.x,
                y=start.y,
            )
            for start in starts
        )
        limit = settings.OUTREACH_PLAN_SECONDS if time_limit_s is None else time_limit_s
        params: dict[str, Any] = {"round_id": round_.pk, "time_limit_s": limit}
        run = task_run_queue(kind=PLAN_ROUND, organisation=by.organisation, by=by, params=params)
        OutreachRound.objects.filter(pk=round_.pk).update(run=run)
    round_.refresh_from_db()
    return round_


# --- in the field -------------------------------------------------------------------------------


def _already(visit: Visit) -> ValidationError:
    when = timezone.localtime(visit.at)
    return ValidationError(
        {
            "outcome": _("This door has already been ticked: %(outcome)s, by %(name)s at %(time)s.")
            % {"outcome": visit.get_outcome_display().lower(), "name": visit.by.display_name, "time": f"{when:%H:%M}"}
        }
    )


def _check_visit(outcome: str, channel: str, category: str, severity: int | None) -> None:
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose what happened at the door.")})
    if outcome in REACHED and channel not in VisitKind.values:
        raise ValidationError({"channel": _("Choose how you talked: porch talk, intercom or home visit.")})
    if outcome == Outcome.CONCERN:
        if category not in ConcernCategory.values:
            raise ValidationError({"category": _("Choose what the concern is about.")})
        if severity not in (1, 2, 3):
            raise ValidationError({"severity": _("Choose how serious the concern is.")})


def _follower(by: User, round_: OutreachRound) -> User:
    """Who follows up a concern raised at the door: the walker if a professional, else the planner."""
    return by if by.role in (Role.PROFESSIONAL, Role.COORDINATOR) else round_.planned_by


def visit_log(
    *,
    by: User,
    stop_id: int,
    outcome: str,
    channel: str = "",
    note: str = "",
    category: str = "",
    severity: int | None = None,
) -> Visit:
    """Tick a door: a talk becomes a contact, not home or a refusal an attempt, a concern a concern too.

    The walker of the stop or a planner of the round may tick it, once: a second outcome for the
    same door (a double tap, another phone) is refused with who ticked it first.
    """
    with transaction.atomic():
        stop = (
            stops_writable_by(by)
            .select_for_update(of=("self",))
            .select_related("round", "round__planned_by")
            .filter(pk=stop_id)
            .first()
        )
        if stop is None:
            raise NotFound
        existing = Visit.objects.filter(stop=stop).select_related("by").first()
        if existing is not None:
            raise _already(existing)
        _check_visit(outcome, channel, category, severity)
        channel = channel if outcome in REACHED else stop.kind
        try:
            with transaction.atomic():
                visit = Visit.objects.create(
                    stop=stop, outcome=outcome, channel=channel, note=note.strip()[:500], by=by
                )
        except IntegrityError:
            raise _already(Visit.objects.select_related("by").get(stop=stop)) from None
        _record(visit, stop, by, category, severity)
        return visit


def _record(visit: Visit, stop: RoundStop, by: User, category: str, severity: int | None) -> None:
    """The contact (or attempt) and the concern of a visit, in the contact log like any other."""
    reached = visit.outcome in REACHED
    within = Resident.objects.filter(pk=stop.resident_id)
    minutes = VISIT_MINUTES[VisitKind(visit.channel)] if reached else ATTEMPT_MINUTES
    prefix = "" if visit.outcome != Outcome.REFUSED else _("Refused a talk at the door.") + " "
    visit.contact = contact_log(
        by=by,
        resident_ids=[stop.resident_id],
        channel=visit.channel,
        started_at=visit.at,
        duration_minutes=minutes,
        reached=reached,
        note=(prefix + visit.note).strip(),
        within=within,
    )
    if visit.outcome == Outcome.CONCERN:
        visit.concern = concern_raise(
            by=by,
            resident_id=stop.resident_id,
            category=category,
            severity=severity or 2,
            description=visit.note,
            follow_up_by=_follower(by, stop.round),
            within=within,
        )
    visit.save(update_fields=["contact", "concern"])
    if reached:
        DoorFlag.objects.filter(resident_id=stop.resident_id, cleared_at__isnull=True).update(cleared_at=visit.at)
