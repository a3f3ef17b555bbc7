"""The dashboards at 1,000,000 residents: 1,000,000 contacts beside 20,000,000, on PostgreSQL.

The issue's target: each dashboard answers in under 500 ms, and its time does not grow with the
number of contacts. Each size gets its own database, filled inside the server the way
``bench/out_of_sight.py`` fills it (same city, same residents; only the contact log differs),
plus what the other dashboards read: a year of activities with their attendees, help requests
with matches, workers' pulse answers and a neighbourhood survey. The aggregate tables are then
built by the application's own ``veerkracht insights_rebuild`` (timed), and every dashboard is
asked through the JSON API, as the coordinator of all 500 neighbourhoods and as a professional
of a team of 10, the way a browser or a funder's script asks it (bearer token, rendering and
suppression included).

Each size runs in its own process (Django reads its database once); the parent prints the two
side by side. ``--residents 50000 --contacts 100000 1000000`` is a quick check, ``--smoke`` (2,000
residents, 2,000 beside 20,000 contacts, one request each) the suite's.

Each database lives while its process measures it: it is dropped (``WITH (FORCE)``) only after the
measurement, unless ``--keep``.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from common import (
    MAINTENANCE_URL,
    add_options,
    check,
    database_name,
    finish,
    postgres_database,
    print_table,
    start_report,
    veerkracht,
)
from out_of_sight import ENV, Scale, populate, setup_django

TARGET_MS = 500.0
DATABASE = database_name("vk_bench_insights_{residents}_{contacts}")
ACTIVITIES_PER_NEIGHBOURHOOD_PER_WEEK = 2
ATTENDEES = (8, 30)
HELP_REQUESTS_PER_RESIDENT = 1 / 60  # the demo city's rate
HELPERS_PER_NEIGHBOURHOOD = 20
PULSE_WEEKS = 26
SURVEY_ANSWERS_PER_NEIGHBOURHOOD = 40
YEAR = timedelta(days=365)


def _today() -> date:
    return datetime.now(tz=UTC).date()


def _dashboards(survey_id: int) -> list[tuple[str, str, dict[str, str]]]:
    """(name, API path, query) of every dashboard, for the last twelve whole months."""
    today = _today()
    last = today.replace(day=1) - timedelta(days=1)
    first = (last - timedelta(days=360)).replace(day=1)
    period = {"from": first.isoformat(), "to": last.isoformat()}
    compare_at = (first + timedelta(days=190)).replace(day=1).isoformat()  # the middle month
    return [
        ("channel mix", "/api/v1/insights/channel-mix", {**period, "compare_at": compare_at}),
        ("reach 30 days", "/api/v1/insights/reach", {"days": "30"}),
        ("reach 90 days", "/api/v1/insights/reach", {"days": "90"}),
        ("pulse", "/api/v1/insights/pulse", period),
        ("survey", f"/api/v1/insights/survey/{survey_id}/results", {}),
        ("bridging", "/api/v1/insights/bridging", period),
        ("help exchange", "/api/v1/insights/help", period),
    ]


# --- the rest of the city, through the ORM (Django applies the models' defaults) -------------------


def _activities(scale: Scale, rng: random.Random) -> int:
    """A year of activities, two a week per neighbourhood, with attendees from their neighbourhood."""
    from django.db import connection

    from veerkracht.activities.models import Activity, ActivityKind

    now = datetime.now(tz=UTC)
    weeks = 52
    activities = [
        Activity(
            organisation_id=1,
            title=f"{kind.label} {n}",
            kind=kind.value,
            starts_at=(start := now - YEAR + timedelta(days=7 * week + 3 * slot, hours=rng.randint(9, 19))),
            ends_at=start + timedelta(hours=2),
            organiser_id=scale.professional_for(n),
            registration_required=False,
            online_link="https://meet.example.nl/bench",
        )
        for n in range(1, scale.neighbourhoods + 1)
        for week in range(weeks)
        for slot in range(ACTIVITIES_PER_NEIGHBOURHOOD_PER_WEEK)
        for kind in [rng.choice([k for k in ActivityKind if k != ActivityKind.WEBINAR])]
    ]
    Activity.objects.bulk_create(activities, batch_size=5000)
    # Attendees: residents of the activity's neighbourhood (ids interleave neighbourhoods, see
    # out_of_sight.RESIDENTS_SQL), drawn inside the server.
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO activities_attendance (activity_id, registration_id, resident_id, walk_in_name, mode,
                                               recorded_by_id, recorded_at)
            SELECT DISTINCT ON (a.id, r.id) a.id, NULL, r.id, '', 'onsite', a.organiser_id, a.starts_at
            FROM (SELECT id, organiser_id, starts_at, (regexp_match(title, '([0-9]+)$'))[1]::int AS n,
                         %(low)s + floor(random() * (%(high)s - %(low)s + 1))::int AS size
                  FROM activities_activity) a,
                 LATERAL (SELECT a.n + %(neighbourhoods)s * floor(random() * %(per)s)::int AS id
                          FROM generate_series(1, a.size)) r
            WHERE r.id <= %(residents)s
            """,
            {
                "low": ATTENDEES[0],
                "high": ATTENDEES[1],
                "neighbourhoods": scale.neighbourhoods,
                "per": scale.residents // scale.neighbourhoods,
                "residents": scale.residents,
            },
        )
        return int(cursor.rowcount)


def _help(scale: Scale, rng: random.Random) -> int:
    """Helpers per neighbourhood with an offer, a year of requests, most of them matched."""
    from veerkracht.core.models import User
    from veerkracht.help.models import HelpOffer, HelpRequest, Match, MatchStatus, RequestStatus
    from veerkracht.help.vocabulary import HelpKind

    first_helper = User.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1
    helpers = [
        User(id=first_helper + i, username=f"helper{i}", role="volunteer", organisation_id=1, password="!")  # noqa: S106 - unusable
        for i in range(scale.neighbourhoods * HELPERS_PER_NEIGHBOURHOOD)
    ]
    User.objects.bulk_create(helpers, batch_size=5000)
    offers = HelpOffer.objects.bulk_create(
        [
            HelpOffer(
                organisation_id=1, helper_id=helper.pk, neighbourhood_id=i % scale.neighbourhoods + 1,
                kinds=list(HelpKind.values), availability=2**21 - 1, x=0.0, y=0.0, radius_m=2000, max_open_tasks=3,
            )
            for i, helper in enumerate(helpers)
        ],
        batch_size=5000,
    )  # fmt: skip
    now = datetime.now(tz=UTC)
    count = int(scale.residents * HELP_REQUESTS_PER_RESIDENT)
    requests = []
    for i in range(count):
        created = now - YEAR * rng.random()
        requests.append(
            HelpRequest(
                organisation_id=1, resident_id=rng.randint(1, scale.residents), kind=rng.choice(HelpKind.values),
                first_day=created.date(), last_day=created.date() + timedelta(days=14),
                status=RequestStatus.DONE if i % 5 else RequestStatus.OPEN, created_by_id=1,
                created_at=created, status_changed_at=created,
            )
        )  # fmt: skip
    HelpRequest.objects.bulk_create(requests, batch_size=5000)
    matches = [
        Match(
            request=request, offer=offers[(request.resident_id - 1) % scale.neighbourhoods], status=MatchStatus.DONE,
            distance_m=500, created_at=request.created_at,
            responded_at=request.created_at + timedelta(hours=rng.randint(1, 96)),
        )
        for i, request in enumerate(requests)
        if i % 5
    ]  # fmt: skip
    Match.objects.bulk_create(matches, batch_size=5000)
    return count


def _pulse_and_survey(scale: Scale, rng: random.Random) -> int:
    """Half a year of weekly pulse answers by every professional, and one survey; returns its id."""
    from veerkracht.core.models import User
    from veerkracht.insights.models import AgeGroup, PulseResponse, Relations, Survey, SurveyResponse

    monday = _today() - timedelta(days=_today().weekday())
    workers = list(User.objects.filter(role="professional").values_list("pk", flat=True))
    PulseResponse.objects.bulk_create(
        [
            PulseResponse(
                organisation_id=1, worker_id=worker, week=monday - timedelta(weeks=week),
                can_carry_out=rng.random() < 0.82, worried_about_clients=rng.random() < 0.4,
                working_channels=["phone"],
            )
            for worker in workers
            for week in range(PULSE_WEEKS)
        ],
        batch_size=5000,
    )  # fmt: skip
    survey = Survey.objects.create(organisation_id=1, title="Buurtpeiling", since=_today() - YEAR)
    SurveyResponse.objects.bulk_create(
        [
            SurveyResponse(
                survey=survey, neighbourhood_id=n, age_group=rng.choice(AgeGroup.values),
                relations=rng.choice(Relations.values),
            )
            for n in range(1, scale.neighbourhoods + 1)
            for _ in range(SURVEY_ANSWERS_PER_NEIGHBOURHOOD)
        ],
        batch_size=5000,
    )  # fmt: skip
    return survey.pk


def fill_the_rest(scale: Scale) -> int:
    """Everything but residents and contacts; returns the survey's id."""
    from django.db import connection

    rng = random.Random("insights-bench")  # noqa: S311 - synthetic data, not a secret
    for label, step in (("activities and attendees", _activities), ("help requests and matches", _help)):
        start = time.perf_counter()
        rows = step(scale, rng)
        print(f"  {label} ({rows:,}) {time.perf_counter() - start:8.1f} s", flush=True)
    survey_id = _pulse_and_survey(scale, rng)
    with connection.cursor() as cursor:
        for table in ("core_user", "help_helpoffer", "help_helprequest", "help_match", "activities_activity"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")  # noqa: S608
    return survey_id


# --- measurement ----------------------------------------------------------------------------------


def measure(survey_id: int, repeats: int, scale: Scale) -> dict[str, dict[str, Any]]:
    """Median and slowest ms per dashboard per user, after one warm-up request each."""
    from django.test import Client

    from veerkracht.core.models import User
    from veerkracht.core.services import api_token_issue

    users = {
        "coordinator": User.objects.get(pk=1),
        "professional": User.objects.get(pk=scale.professional_for(scale.measured_neighbourhood)),
    }
    results: dict[str, dict[str, Any]] = {}
    for role, user in users.items():
        raw, _token = api_token_issue(user=user)
        client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}", SERVER_NAME="127.0.0.1")
        for name, path, query in _dashboards(survey_id):
            seconds = []
            for attempt in range(repeats + 1):
                start = time.perf_counter()
                response = client.get(path, query)
                if attempt:
                    seconds.append(time.perf_counter() - start)
                else:
                    first = time.perf_counter() - start  # reach: the day's first read counts every resident
                if response.status_code != 200:
                    raise SystemExit(f"{role} {path}: HTTP {response.status_code} {response.content[:300]!r}")
            results[f"{name}|{role}"] = {
                "first": first * 1000,
                "samples": [second * 1000 for second in seconds],
                "median": statistics.median(seconds) * 1000,
                "max": max(seconds) * 1000,
            }
            print(f"  {role:<12} {name:<14} median {results[f'{name}|{role}']['median']:8.1f} ms", flush=True)
    return results


def one_size(residents: int, contacts: int, repeats: int, out: Path, *, keep: bool, rebuild: bool) -> None:
    """Create, fill, rebuild and measure one database; write the figures to ``out`` as JSON.

    With ``keep``, a database kept by an earlier run of the same size is measured again as it is,
    and a new one is kept. A new database is measured inside the block that created it: leaving
    the block drops it with ``WITH (FORCE)``, which ended the measuring session's connection
    ("terminating connection due to administrator command") when the measurement came after it.
    """
    scale = Scale(residents, contacts)
    name = DATABASE.format(residents=residents, contacts=contacts)
    kept = Path(f"/tmp/{name}.json")  # noqa: S108 - how the kept database was filled, not a secret
    if keep and kept.exists():
        url, results = f"{MAINTENANCE_URL.rsplit('/', 1)[0]}/{name}", json.loads(kept.read_text())
        veerkracht("migrate", "-v0", env={**ENV, "DATABASE_URL": url})
        if rebuild:  # with this version's code
            start = time.perf_counter()
            veerkracht("insights_rebuild", env={**ENV, "DATABASE_URL": url})
            results["rebuild_s"] = time.perf_counter() - start
            kept.write_text(json.dumps(results))
        setup_django(url)
        _measure(results, repeats, scale, out)
        return
    with postgres_database(name, drop=not keep) as url:
        results = _fill(url, scale)
        if keep:
            kept.write_text(json.dumps(results))
        _measure(results, repeats, scale, out)


def _measure(results: dict[str, Any], repeats: int, scale: Scale, out: Path) -> None:
    """Measure the dashboards on the database Django is set up for, then close its connections."""
    from django.db import connections

    from veerkracht.insights.reach import reach_forget

    reach_forget(1)  # so that the first read of reach is the day's first: it counts every resident
    results["figures"] = measure(results["survey_id"], repeats, scale)
    connections.close_all()  # before the database is dropped
    out.write_text(json.dumps(results))


def _fill(url: str, scale: Scale) -> dict[str, Any]:
    """Migrate, fill and rebuild the aggregates; Django is left set up for this database."""
    veerkracht("migrate", "-v0", env={**ENV, "DATABASE_URL": url})
    setup_django(url)
    filled = populate(url, scale)
    start = time.perf_counter()
    survey_id = fill_the_rest(scale)
    filled += time.perf_counter() - start
    start = time.perf_counter()
    veerkracht("insights_rebuild", env={**ENV, "DATABASE_URL": url})
    rebuilt = time.perf_counter() - start
    print(f"  insights_rebuild {rebuilt:8.1f} s", flush=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")
        cursor.execute("VACUUM (ANALYZE)")
        cursor.execute("SELECT count(*) FROM insights_contactdaily")
        daily = cursor.fetchone()[0]
    return {"survey_id": survey_id, "fill_s": filled, "rebuild_s": rebuilt, "daily_rows": daily}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--residents", type=int, default=1_000_000)
    parser.add_argument("--contacts", type=int, nargs="+", default=[1_000_000, 20_000_000])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--keep", action="store_true", help="keep the databases and measure kept ones again")
    parser.add_argument("--rebuild", action="store_true", help="with --keep: run insights_rebuild on kept ones")
    parser.add_argument(
        "--rounds", type=int, default=1, help="measure the sizes in turn this many times (the load on a shared "
        "machine drifts; alternating spreads it over both sizes); medians over all rounds",
    )  # fmt: skip
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)  # the child process: one size to this file
    add_options(parser)
    options = parser.parse_args()
    if options.smoke and not options.one:
        options.residents, options.contacts, options.repeats, options.rounds = 2_000, [2_000, 20_000], 1, 1
    if options.one:
        one_size(
            options.residents, options.contacts[0], options.repeats, options.one,
            keep=options.keep, rebuild=options.rebuild,
        )  # fmt: skip
        return
    start_report(options)
    figures: dict[int, dict[str, Any]] = {}
    reports = Path(tempfile.mkdtemp(prefix="insights-bench-"))
    for round_ in range(options.rounds):
        for contacts in options.contacts:
            out = reports / f"{contacts}.json"
            print(f"\n=== {options.residents:,} residents, {contacts:,} contacts (round {round_ + 1})", flush=True)
            flags = [*(["--keep"] if options.keep else []), *(["--rebuild"] if options.rebuild and not round_ else [])]
            subprocess.run(  # noqa: S603 - this script, with our own arguments
                [sys.executable, __file__, "--one", str(out), "--residents", str(options.residents),
                 "--contacts", str(contacts), "--repeats", str(options.repeats), *flags],
                check=True, env=os.environ,
            )  # fmt: skip
            _merge(figures.setdefault(contacts, {}), json.loads(out.read_text()))
    finish(_report(options, figures))


def _merge(into: dict[str, Any], result: dict[str, Any]) -> None:
    """Add one round's figures: samples pooled, the first round's first reads and fill times kept."""
    if not into:
        into.update(result)
        return
    for key, figure in result["figures"].items():
        pooled = into["figures"][key]
        pooled["samples"] += figure["samples"]
        pooled["median"] = statistics.median(pooled["samples"])
        pooled["max"] = max(pooled["samples"])


def _report(options: argparse.Namespace, figures: dict[int, dict[str, Any]]) -> bool:
    """Print the table and the checks; True when every dashboard met the target."""
    sizes = options.contacts
    roles = ("coordinator", "professional")
    header = ["dashboard", *(f"{role[:5]}. {size / 1e6:g}M ms" for role in roles for size in sizes), "max / min"]
    rows, slowest = [], 0.0
    for name, _path, _query in _dashboards(0):
        medians = [figures[size]["figures"][f"{name}|{role}"]["median"] for role in roles for size in sizes]
        slowest = max(slowest, *medians)
        largest, smallest = figures[sizes[-1]]["figures"], figures[sizes[0]]["figures"]
        growth = max(largest[f"{name}|{role}"]["median"] / smallest[f"{name}|{role}"]["median"] for role in roles)
        rows.append([name, *medians, f"{growth:.2f}x"])
    print_table(
        f"Dashboards through the API, {options.residents:,} residents, median of {options.repeats} requests "
        f"x {options.rounds} rounds "
        f"(ms; 'max / min': the larger ratio of the two users' medians, {sizes[-1]:,} vs {sizes[0]:,} contacts)",
        header,
        rows,
    )
    for size in sizes:
        firsts = ", ".join(
            f"{role} {figures[size]['figures'][f'reach 30 days|{role}']['first']:,.0f} ms" for role in roles
        )
        print(f"  {size:,} contacts: the day's first read of reach (counts every resident): {firsts}")
    for size in sizes:
        print(
            f"  {size:,} contacts: filled in {figures[size]['fill_s']:,.0f} s, insights_rebuild "
            f"{figures[size]['rebuild_s']:,.0f} s, {figures[size]['daily_rows']:,} daily rows"
        )
    for size in sizes:
        check(f"{size:,} contacts: insights_rebuild wrote daily rows", figures[size]["daily_rows"] > 0)
    verdict = "PASS" if slowest < TARGET_MS else "FAIL"
    print(f"\n{verdict}: the slowest median is {slowest:,.1f} ms (target: every dashboard under {TARGET_MS:.0f} ms)")
    return slowest < TARGET_MS


if __name__ == "__main__":
    main()
