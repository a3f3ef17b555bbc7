"""The candidates of a round: residents of a neighbourhood with an address, each with a priority and its reasons.

The facts come from the platform (open concerns, last contact, markers, door flags, recent visits) in
a handful of queries for the whole neighbourhood; the formula is ``engines.priority``.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Max, QuerySet
from django.utils import timezone

from veerkracht.contacts.models import Concern, ConcernStatus
from veerkracht.engines.priority import Facts, Priority, Weights, priority
from veerkracht.outreach.models import DoorFlag, PriorityWeights, RoundStop, Visit
from veerkracht.outreach.vocabulary import Outcome
from veerkracht.people.models import BuildingKind, Resident

NOT_HOME_WINDOW = timedelta(days=14)
MARKER_FIELDS = ("lives_alone", "older_migrant", "low_digital_skills", "limited_mobility", "informal_carer")


@dataclass(frozen=True)
class Candidate:
    resident: Resident
    x: float  # the door: the portiek's entrance, or the house
    y: float
    flat: bool
    needs_time: bool  # limited mobility or a serious open concern: a home visit when the round makes them
    priority: Priority


def weights_of(organisation_id: int) -> Weights:
    """The organisation's weights, or the defaults of the formula."""
    saved = PriorityWeights.objects.filter(organisation_id=organisation_id).first()
    return saved.as_engine() if saved else Weights()


def _markers(resident: Resident, on: date) -> int:
    aged = resident.birth_year <= on.year - 75
    return int(aged) + sum(bool(getattr(resident, name)) for name in MARKER_FIELDS)


def _concerns(ids: list[int], on: date) -> tuple[dict[int, list[int]], Counter[int]]:
    severities: dict[int, list[int]] = {}
    overdue: Counter[int] = Counter()
    rows = Concern.objects.filter(resident_id__in=ids).exclude(status=ConcernStatus.CLOSED)
    for resident_id, severity, due_on in rows.values_list("resident_id", "severity", "due_on"):
        severities.setdefault(resident_id, []).append(severity)
        if due_on is not None and due_on < on:
            overdue[resident_id] += 1
    return severities, overdue


def _visits(ids: list[int]) -> tuple[Counter[int], dict[int, date]]:
    """Per resident: unanswered knocks in the last two weeks, and the day of the last refusal."""
    visits = Visit.objects.filter(stop__resident_id__in=ids)
    since = timezone.now() - NOT_HOME_WINDOW
    not_home = Counter(
        visits.filter(outcome=Outcome.NOT_HOME, at__gte=since).values_list("stop__resident_id", flat=True)
    )
    refused = visits.filter(outcome=Outcome.REFUSED).values("stop__resident_id").annotate(last=Max("at"))
    return not_home, {row["stop__resident_id"]: timezone.localdate(row["last"]) for row in refused}


def _already_planned(ids: list[int], on: date, round_id: int | None) -> set[int]:
    """Residents on another round of the same day whose door is still to be visited."""
    stops = RoundStop.objects.filter(resident_id__in=ids, round__date=on, visit__isnull=True)
    if round_id is not None:
        stops = stops.exclude(round_id=round_id)
    return set(stops.values_list("resident_id", flat=True))


def candidates(
    residents: QuerySet[Resident], *, on: date, weights: Weights, round_id: int | None = None
) -> list[Candidate]:
    """The residents with an address and a priority above 0, highest first."""
    found = list(
        residents.filter(erased_at__isnull=True, household__isnull=False).select_related(
            "household", "household__entrance", "household__building"
        )
    )
    ids = [resident.pk for resident in found]
    severities, overdue = _concerns(ids, on)
    flagged = set(
        DoorFlag.objects.filter(resident_id__in=ids, cleared_at__isnull=True).values_list("resident_id", flat=True)
    )
    not_home, refused = _visits(ids)
    busy = _already_planned(ids, on, round_id)
    chosen = []
    for resident in found:
        if resident.pk in busy:
            continue
        last = resident.last_reached_at
        facts = Facts(
            concern_severities=tuple(severities.get(resident.pk, ())),
            overdue_concerns=overdue[resident.pk],
            days_since_contact=None if last is None else (on - timezone.localdate(last)).days,
            markers=_markers(resident, on),
            flagged=resident.pk in flagged,
            not_home_attempts=not_home[resident.pk],
            refused_days_ago=(on - refused[resident.pk]).days if resident.pk in refused else None,
        )
        scored = priority(facts, weights)
        if scored.points > 0:
            chosen.append(_candidate(resident, facts, scored))
    return sorted(chosen, key=lambda candidate: (-candidate.priority.points, candidate.resident.pk))


def _candidate(resident: Resident, facts: Facts, scored: Priority) -> Candidate:
    household = resident.household
    if household is None:  # filtered out by the query; here for the type checker
        raise ValueError("a candidate needs an address")
    door = household.entrance or household
    return Candidate(
        resident=resident,
        x=door.x,
        y=door.y,
        flat=household.entrance_id is not None or household.building.kind == BuildingKind.FLAT,
        needs_time=resident.limited_mobility or 3 in facts.concern_severities,
        priority=scored,
    )
