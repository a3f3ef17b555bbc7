"""The demo city's figures beyond contacts: the daily aggregate, weekly pulse, a survey, past activities.

Calibrated on the 2021 Movisie figures (docs/architecture.md, "The demo city"): 82% of workers
can carry out their assignment once the lockdown has settled; a quarter of residents find
relations in their neighbourhood improved, older people most. Past activities give the bridging
dashboard something to show: the language café draws mostly residents with a migration
background, the coffee morning older people, and the bingo mixes both.
"""

import random
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.utils import timezone

from veerkracht.activities.models import Activity, Attendance
from veerkracht.core.models import Neighbourhood, Organisation, User
from veerkracht.core.roles import Role
from veerkracht.insights.aggregates import attendance_mix_rebuild, contact_daily_rebuild
from veerkracht.insights.models import AgeGroup, PulseResponse, Relations, Survey, SurveyResponse
from veerkracht.insights.reach import reach_forget
from veerkracht.people.models import Resident
from veerkracht.places.models import Place

PULSE_WEEKS = 52
SURVEY_ANSWERS_PER_NEIGHBOURHOOD = 120
# Past activities for bridging: (kind, title, who comes: weights for (older, migration background, anyone)).
PAST_ACTIVITIES = [
    ("coffee_morning", "Koffieochtend", (0.7, 0.1, 0.2)),
    ("language_cafe", "Taalcafé", (0.1, 0.8, 0.1)),
    ("plantsoenbingo", "Plantsoenbingo", (0.35, 0.35, 0.3)),
    ("walk", "Buurtwandeling", (0.3, 0.2, 0.5)),
]


def _able(weeks_ago: int) -> float:
    """The chance a worker can carry out the assignment: 62% at first, 82% once settled (three months)."""
    return 0.62 + 0.2 * min(1.0, (PULSE_WEEKS - weeks_ago) / 12)


def _answered(monday: date, rng: random.Random) -> datetime:
    """A moment in the week of ``monday`` (never in the future) at which a worker answered the pulse."""
    day = monday + timedelta(days=rng.randrange(5))
    moment = timezone.make_aware(datetime.combine(day, time(rng.randrange(9, 17))))
    return min(moment, timezone.now())


def _pulse(organisation: Organisation, rng: random.Random) -> int:
    workers = list(User.objects.filter(organisation=organisation, role__in=(Role.PROFESSIONAL, Role.BASISBAAN)))
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    rows = [
        PulseResponse(
            organisation=organisation,
            worker=worker,
            week=monday - timedelta(weeks=weeks_ago),
            can_carry_out=rng.random() < _able(weeks_ago),
            worried_about_clients=rng.random() < 0.45,
            working_channels=rng.sample(["phone", "video_call", "messaging", "porch_talk", "walk"], 2),
            answered_at=_answered(monday - timedelta(weeks=weeks_ago), rng),
        )
        for weeks_ago in range(PULSE_WEEKS)
        for worker in workers
        if rng.random() < 0.75  # not everyone answers every week
    ]
    return len(PulseResponse.objects.bulk_create(rows, batch_size=2000))


def _survey(organisation: Organisation, rng: random.Random, neighbourhoods: list[Neighbourhood]) -> int:
    survey = Survey.objects.create(
        organisation=organisation, title="Buurtpeiling", since=timezone.localdate() - timedelta(days=365)
    )
    improved_by_age = {
        AgeGroup.UNDER_30: 0.18,
        AgeGroup.FROM_30: 0.22,
        AgeGroup.FROM_55: 0.28,
        AgeGroup.FROM_75: 0.36,
    }
    rows = []
    for neighbourhood in neighbourhoods:
        for _ in range(SURVEY_ANSWERS_PER_NEIGHBOURHOOD):
            age = rng.choice(list(AgeGroup))
            draw = rng.random()
            relations = (
                Relations.IMPROVED
                if draw < improved_by_age[age]
                else Relations.SAME
                if draw < 0.85
                else Relations.WORSE
            )
            rows.append(
                SurveyResponse(
                    survey=survey,
                    neighbourhood=neighbourhood,
                    age_group=age,
                    relations=relations,
                    on_paper=rng.random() < 0.3,
                )
            )
    return len(SurveyResponse.objects.bulk_create(rows, batch_size=2000))


def _past_activities(organisation: Organisation, rng: random.Random, neighbourhoods: list[Neighbourhood]) -> int:
    organiser = User.objects.filter(organisation=organisation, role=Role.PROFESSIONAL).first()
    if organiser is None:
        return 0
    this_year = timezone.localdate().year
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())  # weekdays: places are open
    attendances = []
    for neighbourhood in neighbourhoods:
        people = list(
            Resident.objects.filter(neighbourhood=neighbourhood).values_list("pk", "birth_year", "migration_background")
        )
        older = [pk for pk, born, _m in people if this_year - born >= 65]
        migrants = [pk for pk, _b, migrant in people if migrant]
        everyone = [pk for pk, _b, _m in people]
        place = Place.objects.filter(neighbourhood=neighbourhood).order_by("pk").first()
        if place is None:
            continue
        for weeks_ago in (2, 6, 10):
            for kind, title, (w_older, w_migrant, w_anyone) in PAST_ACTIVITIES:
                starts = timezone.make_aware(
                    datetime.combine(monday - timedelta(weeks=weeks_ago) + timedelta(days=rng.randrange(5)), time(10))
                )
                activity = Activity.objects.create(
                    organisation=organisation,
                    title=f"{title} {neighbourhood.name}",
                    kind=kind,
                    place=place,
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=2),
                    organiser=organiser,
                    registration_required=False,
                )
                chosen: set[int] = set()
                for _ in range(rng.randint(12, 30)):
                    pool = (
                        rng.choices([older, migrants, everyone], weights=[w_older, w_migrant, w_anyone])[0] or everyone
                    )
                    if pool:
                        chosen.add(rng.choice(pool))
                attendances += [
                    Attendance(activity=activity, resident_id=pk, recorded_by=organiser, recorded_at=starts)
                    for pk in chosen
                ]
    return len(Attendance.objects.bulk_create(attendances, batch_size=2000))


def demo_insights_write(organisation: Organisation, seed: int) -> dict[str, int]:
    """Write the figures' raw material and build the daily aggregate; returns the counts."""
    rng = random.Random(f"{seed}/insights")
    neighbourhoods = list(Neighbourhood.objects.filter(organisation=organisation).order_by("pk"))
    counts = {
        "pulse answers": _pulse(organisation, rng),
        "survey answers": _survey(organisation, rng, neighbourhoods),
        "past attendances": _past_activities(organisation, rng, neighbourhoods),
    }
    _analyse_contacts()
    counts["daily contact rows"] = contact_daily_rebuild(organisation.pk)
    counts["attendance mix rows"] = attendance_mix_rebuild(organisation.pk)
    reach_forget(organisation.pk)  # residents were written in bulk: today's reach is counted at the first read
    return counts


def _analyse_contacts() -> None:
    """Give PostgreSQL statistics of the tables just filled (in this same transaction).

    Without them the rebuild's per-contact look-up of the first resident's neighbourhood is
    planned as a scan of every resident per contact: quadratic, half an hour at 20,000 residents.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE people_resident, contacts_contact, contacts_contactresident")
