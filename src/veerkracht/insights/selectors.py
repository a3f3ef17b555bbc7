"""The figures of the dashboards, for a user's scope, protected by small-cell suppression.

Coordinators see their organisation, professionals their teams' neighbourhoods, the funder the
whole organisation with every count rounded to a multiple of 5. Figures are published for fixed
periods (whole months) and fixed areas (neighbourhood, district, organisation), so no one can
subtract two overlapping selections to uncover a hidden cell.
"""

import operator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import reduce
from statistics import median

from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Cast, TruncMonth
from django.utils import timezone

from veerkracht.activities.models import ActivityKind
from veerkracht.core.access import Capability, can, neighbourhoods_covered_by, within_organisation
from veerkracht.core.channels import Channel
from veerkracht.core.models import Neighbourhood, Organisation, Team, User
from veerkracht.engines.metrics import ROUND_TO, SMALL_CELL_THRESHOLD, diversity_index
from veerkracht.help.models import HelpOffer, HelpRequest, Match, MatchStatus
from veerkracht.help.vocabulary import HelpKind
from veerkracht.insights import reach as reach_counts
from veerkracht.insights.models import (
    MIX_GROUPS,
    AgeGroup,
    AttendanceMix,
    ContactMonthly,
    PulseResponse,
    ReachDaily,
    Relations,
    Survey,
)
from veerkracht.insights.tables import Table, table
from veerkracht.people.vocabulary import MARKERS

TARGET_GROUPS = [*MARKERS, "everyone"]


def channel_labels() -> dict[str, str]:
    """Code → label in the active language: tables key on codes (the API), people read labels."""
    return {code: str(label) for code, label in Channel.choices}


@dataclass(frozen=True)
class Scope:
    """Whose figures a user sees, and how: ``entitled`` viewers see exact counts (above the threshold)."""

    neighbourhood_ids: list[int]
    entitled: bool
    threshold: int = SMALL_CELL_THRESHOLD
    out_of_sight_days: int = 30
    organisation_id: int | None = None
    # Every neighbourhood of the organisation: rows already held to the organisation need no
    # neighbourhood filter, which would otherwise join every resident (help requests).
    organisation_wide: bool = False

    @property
    def rounding(self) -> int:
        return 1 if self.entitled else ROUND_TO


def scope_of(
    user: User, neighbourhood_id: int | None = None, *, team_id: int | None = None, export: bool = False
) -> Scope:
    """The neighbourhoods a dashboard may count; exports are always rounded."""
    if can(user, Capability.VIEW_RESIDENT_REGISTER) and can(user, Capability.VIEW_AGGREGATES):
        areas, entitled = neighbourhoods_covered_by(user), not export
    elif can(user, Capability.VIEW_AGGREGATES):
        areas, entitled = within_organisation(Neighbourhood.objects.all(), user), False
    else:
        areas, entitled = Neighbourhood.objects.none(), False
    ids = list(areas.values_list("pk", flat=True))
    if neighbourhood_id is not None:
        ids = [pk for pk in ids if pk == neighbourhood_id]
    if team_id is not None:
        ids = [pk for pk in ids if pk in set(Team.objects.filter(pk=team_id).values_list("neighbourhoods", flat=True))]
    days = user.organisation.out_of_sight_days if user.organisation else 30
    everywhere = bool(ids) and set(ids) == set(
        within_organisation(Neighbourhood.objects.all(), user).values_list("pk", flat=True)
    )
    return Scope(
        ids, entitled, out_of_sight_days=days, organisation_id=user.organisation_id, organisation_wide=everywhere
    )


def month_range(first: date, last: date) -> list[date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


# --- channel mix --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChannelMix:
    contacts: Table  # months × channels
    minutes_share: dict[str, list[float | None]]  # channel → share of contact time per month (None: hidden)
    compare: Table  # channels × (before, after): contacts
    minutes_before_after: dict[str, tuple[float | None, float | None]]


def channel_mix(scope: Scope, first: date, last: date, compare_at: date | None) -> ChannelMix:
    """Contacts and contact time per channel per month, and the months before ``compare_at``
    against it and the months after (within the period; ``compare_at`` opens a month)."""
    rows = ContactMonthly.objects.filter(
        neighbourhood_id__in=scope.neighbourhood_ids, month__gte=first.replace(day=1), month__lte=last
    )
    channels = list(Channel.values)
    months = month_range(first, last)
    counts = {(m, c): 0 for m in months for c in channels}
    minutes = dict.fromkeys(counts, 0)
    for row in rows.values("month", "channel").annotate(n=Sum("contacts"), t=Sum("minutes")):
        key = (row["month"], row["channel"])
        if key in counts:
            counts[key], minutes[key] = row["n"], row["t"]
    labels = [m.strftime("%Y-%m") for m in months]
    contacts = table(
        "channel_mix",
        "Contacten per kanaal per maand",
        "maand",
        labels,
        channels,
        [[counts[(m, c)] for c in channels] for m in months],
        threshold=scope.threshold,
        rounding=scope.rounding,
        labels=channel_labels(),
    )
    share = {c: [_share(minutes, m, c, contacts, i, channels) for i, m in enumerate(months)] for c in channels}
    at = (compare_at or first).replace(day=1)
    sums: Sums = {(c, side): [0, 0] for c in channels for side in ("before", "after")}
    for (month, channel), count in counts.items():
        side = sums[(channel, "before" if month < at else "after")]
        side[0] += count
        side[1] += minutes[(month, channel)]
    compare, before_after = _before_after(sums, channels, at, scope)
    return ChannelMix(contacts, share, compare, before_after)


def _share(
    minutes: dict[tuple[date, str], int], month: date, channel: str, contacts: Table, i: int, channels: list[str]
) -> float | None:
    if contacts.protected.cells[i][channels.index(channel)].suppressed or contacts.protected.row_totals[i].suppressed:
        return None
    total = sum(minutes[(month, c)] for c in channels)
    return round(minutes[(month, channel)] / total, 3) if total else None


Sums = dict[tuple[str, str], list[int]]  # (channel, "before" | "after") → [contacts, minutes]


def _before_after(
    sums: Sums, channels: list[str], at: date, scope: Scope
) -> tuple[Table, dict[str, tuple[float | None, float | None]]]:
    compare = table(
        "channel_mix_compare",
        f"Contacten voor en vanaf {at:%d-%m-%Y}",
        "kanaal",
        channels,
        ["voor", "na"],
        [[sums[(c, "before")][0], sums[(c, "after")][0]] for c in channels],
        threshold=scope.threshold,
        rounding=scope.rounding,
        labels=channel_labels(),
    )
    time_total = {side: sum(sums[(c, side)][1] for c in channels) for side in ("before", "after")}

    def time_share(c: str, side: str, column: int) -> float | None:
        hidden = compare.protected.cells[channels.index(c)][column].suppressed
        return None if hidden or not time_total[side] else round(sums[(c, side)][1] / time_total[side], 3)

    return compare, {c: (time_share(c, "before", 0), time_share(c, "after", 1)) for c in channels}


# --- reach --------------------------------------------------------------------------------------


def reach(scope: Scope, days: int) -> list[Table]:
    """Per target group: residents per neighbourhood reached in the last ``days`` days, and not.

    Reads today's counts (``insights.reach``), counting them first if this is the day's first read.
    """
    today = timezone.localdate()
    if scope.organisation_id is None or not scope.neighbourhood_ids:
        figures: dict[int, dict[tuple[int, str], tuple[int, int]]] = {}
    else:
        if not reach_counts.counted_today(scope.organisation_id, today):
            reach_counts.reach_count(Organisation.objects.get(pk=scope.organisation_id), today)
        figures = {}
        rows = ReachDaily.objects.filter(
            neighbourhood_id__in=scope.neighbourhood_ids, day=today, window__in={days, scope.out_of_sight_days}
        ).values_list("neighbourhood_id", "window", "group", "residents", "reached")
        for area, window, group, residents, reached in rows:
            figures.setdefault(area, {})[(window, group)] = (residents, reached)
    names = dict(Neighbourhood.objects.filter(pk__in=figures).values_list("pk", "name"))
    areas = sorted(figures, key=lambda pk: names[pk])

    def split(area: int, window: int, group: str) -> list[int]:
        residents, reached = figures[area].get((window, group), (0, 0))
        return [reached, residents - reached]

    out_of_sight = table(
        "out_of_sight",
        f"Uit beeld: een kwetsbaarheidskenmerk en geen contact in {scope.out_of_sight_days} dagen",
        "buurt",
        [names[pk] for pk in areas],
        ["uit beeld", "in beeld"],
        [split(pk, scope.out_of_sight_days, "marked")[::-1] for pk in areas],
        threshold=scope.threshold,
        rounding=scope.rounding,
    )
    return [
        table(
            f"reach_{group}",
            f"Bereik in {days} dagen: {MARKERS.get(group, 'iedereen')}",
            "buurt",
            [names[pk] for pk in areas],
            ["bereikt", "niet bereikt"],
            [split(pk, days, group) for pk in areas],
            threshold=scope.threshold,
            rounding=scope.rounding,
        )
        for group in TARGET_GROUPS
    ] + [out_of_sight]


# --- workers' pulse -----------------------------------------------------------------------------


def pulse(user: User, scope: Scope, first: date, last: date) -> Table:
    """Per month: how many workers' answers given in it said they can carry out their assignment.

    An answer counts in the month (in Amsterdam) it was given: a week that straddles two months
    is counted where its answers came in, so this month's row always holds this week's answers.
    """
    answers = within_organisation(PulseResponse.objects.all(), user).filter(
        answered_at__date__gte=first, answered_at__date__lte=last
    )
    months = month_range(first, last)
    by_month = answers.annotate(month=TruncMonth("answered_at")).values("month", "can_carry_out")
    counted = {(row["month"].date(), row["can_carry_out"]): row["n"] for row in by_month.annotate(n=Count("pk"))}
    return table(
        "pulse",
        "Kan de opdracht uitvoeren",
        "maand",
        [m.strftime("%Y-%m") for m in months],
        ["ja", "nee"],
        [[counted.get((m, True), 0), counted.get((m, False), 0)] for m in months],
        threshold=scope.threshold,
        rounding=scope.rounding,
    )


# --- neighbourhood survey -----------------------------------------------------------------------


def surveys_of(user: User) -> QuerySet[Survey]:
    return within_organisation(Survey.objects.all(), user).order_by("-created_at")


def survey_results(survey: Survey, scope: Scope) -> list[Table]:
    """Relations since the survey's date, per age group and per neighbourhood (with its affluence)."""
    answers = survey.responses.filter(neighbourhood_id__in=scope.neighbourhood_ids)
    relations = list(Relations.values)
    by_age = {
        (r["age_group"], r["relations"]): r["n"]
        for r in answers.values("age_group", "relations").annotate(n=Count("pk"))
    }
    ages = list(AgeGroup)
    areas = list(Neighbourhood.objects.filter(pk__in=scope.neighbourhood_ids).order_by("name"))
    by_area = {
        (r["neighbourhood_id"], r["relations"]): r["n"]
        for r in answers.values("neighbourhood_id", "relations").annotate(n=Count("pk"))
    }
    labels = [str(label) for label in Relations.labels]
    return [
        table(
            "survey_age",
            f"Relaties in de buurt sinds {survey.since:%d-%m-%Y}, per leeftijd",
            "leeftijd",
            [str(age.label) for age in ages],
            labels,
            [[by_age.get((age.value, r), 0) for r in relations] for age in ages],
            threshold=scope.threshold,
            rounding=scope.rounding,
        ),
        table(
            "survey_area",
            f"Relaties in de buurt sinds {survey.since:%d-%m-%Y}, per buurt",
            "buurt",
            [area.name for area in areas],
            labels,
            [[by_area.get((area.pk, r), 0) for r in relations] for area in areas],
            threshold=scope.threshold,
            rounding=scope.rounding,
            extra={"welvaart": [str(area.get_affluence_display()) for area in areas]},
        ),
    ]


# --- bridging -----------------------------------------------------------------------------------

GROUPS = [(age, migrant) for age in ("< 30", "30-54", "55-74", "75+") for migrant in (False, True)]  # MIX_GROUPS
MOST_MIXED = 50  # activities listed, the most mixed first


@dataclass(frozen=True)
class ActivityMix:
    title: str
    kind: str
    attendees: int | None  # None when suppressed
    diversity: float | None
    connects: bool


def bridging(scope: Scope, first: date, last: date) -> tuple[Table, list[ActivityMix]]:
    """Attendees' mix by age group and migration background, per kind of activity and per activity.

    The diversity index is 1 - Σ pᵢ² over the eight groups (four age groups, at the activity's
    year, × with or without a migration background): the chance that two attendees drawn at
    random belong to different groups. An activity *connects* groups when at least two groups
    each make up a fifth or more of its attendees, one of them with and one without a migration
    background or two age groups apart. Reads the attendance mix table only; the activities
    listed are the ``MOST_MIXED`` most mixed with enough attendees to show.
    """
    mixes = AttendanceMix.objects.filter(
        neighbourhood_id__in=scope.neighbourhood_ids, starts_on__gte=first, starts_on__lte=last
    )
    sums = {group: Sum(group) for group in MIX_GROUPS}
    per_kind = {row["kind"]: [row[g] for g in MIX_GROUPS] for row in mixes.values("kind").annotate(**sums)}
    kinds = sorted(per_kind)
    columns = [f"{age}{' migratie' if migrant else ''}" for age, migrant in GROUPS]
    kind_table = table(
        "bridging",
        "Deelnemers per soort activiteit naar leeftijd en migratieachtergrond",
        "soort",
        kinds,
        columns,
        [per_kind[kind] for kind in kinds],
        threshold=scope.threshold,
        rounding=scope.rounding,
        extra={"diversiteit": [_index(per_kind[kind], scope.threshold) for kind in kinds]},
        labels={code: str(label) for code, label in ActivityKind.choices},
    )
    return kind_table, _most_mixed(mixes, scope)


def _most_mixed(mixes: QuerySet[AttendanceMix], scope: Scope) -> list[ActivityMix]:
    """The activities with the highest diversity index, counted and ordered in the database."""
    group_sums = {f"n_{group}": Sum(group) for group in MIX_GROUPS}
    size = reduce(operator.add, (F(name) for name in group_sums))
    squares = reduce(operator.add, (F(name) * F(name) for name in group_sums))
    rows = (
        mixes.values("activity_id", "activity__title", "kind")
        .annotate(**group_sums)
        .annotate(size=size)
        .filter(size__gte=scope.threshold)
        .annotate(concentration=Cast(squares, FloatField()) / Cast(F("size") * F("size"), FloatField()))
        .order_by("concentration", "activity_id")[:MOST_MIXED]
    )
    return [
        _activity_mix(row["activity__title"], row["kind"], [row[name] for name in group_sums], scope) for row in rows
    ]


def _index(counts: list[int], threshold: int) -> str:
    value = diversity_index(counts)
    return "" if value is None or sum(counts) < threshold else f"{value:.2f}"


def _activity_mix(title: str, kind: str, counts: list[int], scope: Scope) -> ActivityMix:
    total = sum(counts)
    if total < scope.threshold:
        return ActivityMix(title, kind, None, None, False)
    big = [GROUPS[i] for i, count in enumerate(counts) if count / total >= 0.2]
    connects = len(big) >= 2 and (len({m for _a, m in big}) == 2 or len({a for a, _m in big}) >= 2)
    shown = total if scope.entitled else int(round(total / ROUND_TO) * ROUND_TO)
    return ActivityMix(title, kind, shown, round(diversity_index(counts) or 0.0, 2), connects)


# --- help exchange ------------------------------------------------------------------------------


def _moments(first: date, last: date) -> tuple[datetime, datetime]:
    """The period as [start of its first day, start of the day after its last): a range on the
    timestamp itself uses its index, a filter on its date does not."""
    zone = timezone.get_current_timezone()
    start = datetime.combine(first, time.min, tzinfo=zone)
    return start, datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone)


@dataclass(frozen=True)
class HelpFigures:
    kinds: Table  # kinds × (matched, not matched)
    median_hours_to_match: float | None
    active_helpers: int | None


def help_exchange(user: User, scope: Scope, first: date, last: date) -> HelpFigures:
    since, until = _moments(first, last)
    requests = within_organisation(HelpRequest.objects.all(), user).filter(created_at__gte=since, created_at__lt=until)
    if not scope.organisation_wide:
        requests = requests.filter(resident__neighbourhood_id__in=scope.neighbourhood_ids)
    taken = Match.objects.filter(status__in=(MatchStatus.ACCEPTED, MatchStatus.DONE), responded_at__isnull=False)
    first_taken = taken.filter(request=OuterRef("pk")).order_by("responded_at").values("responded_at")[:1]
    waited = ExpressionWrapper(Subquery(first_taken) - F("created_at"), output_field=DurationField())
    kinds = list(HelpKind.values)
    counts = {kind: [0, 0] for kind in kinds}
    waits = []
    for kind, wait in requests.order_by().annotate(wait=waited).values_list("kind", "wait"):
        counts[kind][0 if wait is not None else 1] += 1
        if wait is not None:
            waits.append(wait.total_seconds() / 3600)
    kinds_table = table(
        "help",
        "Hulpvragen per soort",
        "soort",
        kinds,
        ["gekoppeld", "niet gekoppeld"],
        [counts[k] for k in kinds],
        threshold=scope.threshold,
        rounding=scope.rounding,
        labels={code: str(label) for code, label in HelpKind.choices},
    )
    helpers = (
        taken.filter(offer__in=within_organisation(HelpOffer.objects.all(), user))
        .filter(responded_at__gte=since, responded_at__lt=until)
        .aggregate(n=Count("offer", distinct=True))["n"]
    )
    hidden = 0 < helpers < scope.threshold
    shown_helpers = None if hidden else (helpers if scope.entitled else int(round(helpers / ROUND_TO) * ROUND_TO))
    enough = len(waits) >= scope.threshold
    return HelpFigures(kinds_table, round(median(waits), 1) if enough else None, shown_helpers)
