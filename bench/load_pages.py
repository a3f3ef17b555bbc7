"""CPU time, Python calls and queries per request of the load scenario, in one process.

``python bench/load_pages.py [DATABASE_URL] [--profile NAME]``: each request of ``bench/load.py``'s
scenario is made through Django's test client as one of the load users (signed in without the
form, as ``load.py`` does: with the device in the session and the second factor required), a few
times, and the median CPU milliseconds, the number of Python function calls and the number of
queries are printed. The machine's speed and load move the milliseconds by tens of percent; the
calls do not (the same code and data give the same count), so compare changes by calls and
confirm with ``bench/load.py``. The resident page is that of a resident with a typical (short)
history; the contact is logged for another one. ``--profile`` prints a pyinstrument profile of
one request.

The database: the one given (``bench/load.py --keep`` leaves one behind), else the script builds
the load test's own (``load_city.py``: the demo city and the load users, as ``load.py`` builds it)
and drops it afterwards (``--keep`` keeps it). Checked at every size: every request answers as in
the scenario (a page with 200; a form post with a redirect to a page that answers 200, the htmx
contact form with 200 at once), and its Python calls and queries are counted. ``--smoke`` (the
suite's, on PostgreSQL): its own city of 300 residents as the maintenance connection's role (no
roles created, CREATEDB is enough), 3 requests of each kind, and no static files collected (their
compression takes minutes on a busy machine): the pages name them by their plain URLs.
"""

import argparse
import cProfile
import gc
import os
import pstats
import statistics
import time
from collections.abc import Callable
from contextlib import nullcontext
from typing import TYPE_CHECKING

from common import add_options, check, database_name, finish, print_table, start_report
from load_city import (
    MIX,
    OWNER,
    RESIDENTS,
    SERVER_ENV,
    SINGLE_ROLE,
    SMOKE_RESIDENTS,
    SMOKE_USERS,
    USERS,
    admin,
    build,
    url_for,
    user_counts,
)

if TYPE_CHECKING:
    from django.http import HttpResponseBase
    from django.test import Client

    from veerkracht.core.models import User

REPEATS, SMOKE_REPEATS = 15, 3
# How often each request comes in the stress scenario of bench/load.py, relative to the others: a
# kind of user's share (MIX) times its requests per wait (a worker's 6 requests per 6 waits, a
# resident's 10 per 7, a coordinator's 4 per 4), split by its tasks' weights. The issue's CPU
# budget (at most 1.30 times commit 71d0bda's) is stated for this mix.
WEIGHTS = {
    "worklist": 0.5 / 6,
    "resident page": 0.5 * 3 / 6,
    "log contact": 0.5 * 2 / 6,
    "programme": 0.35 * 10 / 7 * 1 / 10,
    "activity page": 0.35 * 10 / 7 * 2 / 10,
    "register": 0.35 * 10 / 7 * 2 / 10,
    "own registration": 0.35 * 10 / 7 * 4 / 10,
    "cancel": 0.35 * 10 / 7 * 1 / 10,
    "dashboard": 0.15 * 3 / 4,
    "start page": 0.15 * 1 / 4,
}
HTMX = {"log contact"}  # posted as htmx does: answered with 200 and a fragment, not a redirect


def _setup(url: str, *, manifest: bool) -> None:
    """Django as the load test's server runs it (production settings, second factor required).

    Without ``manifest`` (the smoke run, which collects no static files) pages name static files
    by their plain URLs instead of the hashed names in the collected files' manifest.
    """
    os.environ.update(
        {
            **SERVER_ENV,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "veerkracht.settings",
            "ALLOWED_HOSTS": "testserver",
        }
    )
    import django

    django.setup()
    if not manifest:
        from django.conf import settings
        from django.test.utils import override_settings

        plain = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        override_settings(STORAGES=plain).enable()


def pages() -> dict[str, tuple[str, str, Callable[[], dict[str, str]] | None]]:
    """Name -> (username, path, form data for a post or None), every request of bench/load.py."""
    from django.test import Client

    from veerkracht.activities.models import Activity, RegistrationStatus
    from veerkracht.core.models import User
    from veerkracht.people.selectors import residents_visible_to

    worker, resident = User.objects.get(username="load-worker-0"), User.objects.get(username="load-resident-0")
    active = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)
    residents = residents_visible_to(worker).order_by("pk").values_list("pk", flat=True)
    # One the resident is not yet registered for: on a kept database an earlier run's registration
    # would send the post to the activity's page instead of the new registration's own.
    activity = (
        Activity.objects.filter(cancelled_at=None, place__isnull=False)
        .exclude(registrations__resident__user=resident, registrations__status__in=active)
        .order_by("-starts_at")
        .first()
    )
    assert activity is not None  # noqa: S101
    registering = Client()
    registering.force_login(resident)
    registration = registering.post(f"/activiteiten/{activity.pk}/", {"self": "1"})["Location"]
    assert registration.startswith("/aanmelding/"), registration  # noqa: S101

    def contact() -> dict[str, str]:
        return {"channel": "phone", "duration_minutes": "15", "reached": "1", "initiative": "worker"}

    return {
        "worklist": ("load-worker-0", "/werklijsten/uit-beeld/", None),
        "resident page": ("load-worker-0", f"/bewoners/{residents[7]}/", None),
        "log contact": ("load-worker-0", f"/bewoners/{residents[8]}/contact/", contact),
        "programme": ("load-resident-0", "/activiteiten/", None),
        "activity page": ("load-resident-0", f"/activiteiten/{activity.pk}/", None),
        "register": ("load-resident-0", f"/activiteiten/{activity.pk}/", lambda: {"self": "1"}),
        "own registration": ("load-resident-0", registration, None),
        "cancel": ("load-resident-0", registration, dict),
        "dashboard": ("load-coordinator-0", "/inzicht/", None),
        "start page": ("load-coordinator-0", "/", None),
    }


def _sign_in(client: "Client", user: "User") -> None:
    """Signed in as after the code: the session names the user's device, which django-otp then
    reads on every request (as in ``bench/load.py``)."""
    from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user

    client.force_login(user)
    # django-otp's own lookup, so the script measures an older code base (another device model) too.
    device = next(devices_for_user(user, confirmed=True), None)
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


def _answer(client: "Client", response: "HttpResponseBase", *, post: bool, htmx: bool) -> int:
    """The status the user ends up with: a form post's redirect is followed, as a browser does."""
    location = str(response.get("Location", ""))
    if post and not htmx and response.status_code == 302 and not location.startswith("/inloggen/"):
        return int(client.get(location).status_code)
    return int(response.status_code)


def measure(
    name: str, username: str, path: str, post: Callable[[], dict[str, str]] | None, repeats: int
) -> tuple[list[object], list[int]]:
    """The request's row (median CPU and wall ms, Python calls, queries) and the status of each answer."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from veerkracht.core.models import User

    client = Client(headers={"HX-Request": "true"} if name in HTMX else None)
    _sign_in(client, User.objects.get(username=username))

    def request() -> "HttpResponseBase":
        return client.post(path, post()) if post else client.get(path)

    cpu, wall, answers, queries = [], [], [], 0
    for repeat in range(repeats):
        # Queries are counted in the last request only (the first fills caches): capturing them
        # makes Django format every statement, which the median of the others leaves out.
        with CaptureQueriesContext(connection) if repeat == repeats - 1 else nullcontext() as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = request()
            cpu.append(1000 * (time.process_time() - started_cpu))
            wall.append(1000 * (time.perf_counter() - started))
        queries = len(captured) if captured is not None else queries
        answers.append(_answer(client, response, post=post is not None, htmx=name in HTMX))
    profile = cProfile.Profile()
    profile.runcall(request)
    calls = pstats.Stats(profile).total_calls  # type: ignore[attr-defined]  # set by Stats, not in the stubs
    return [name, statistics.median(cpu), statistics.median(wall), calls, queries], answers


def _measure_all(repeats: int) -> None:
    """Every request of the scenario: the table and the checks."""
    rows, wrong = [], []
    scenario = pages()
    # As the server's processes run (wsgi.py): what was loaded before serving is frozen out of the
    # garbage collector, so a collection during a request does not walk the whole of Django.
    gc.collect()
    gc.freeze()
    for name, spec in scenario.items():
        row, answers = measure(name, *spec, repeats=repeats)
        rows.append(row)
        wrong += [f"{name}: {status}" for status in sorted(set(answers) - {200})]
    rows.append(weighted_mix(rows))
    print_table(
        f"Requests of the load scenario (median of {repeats})",
        ["request", "CPU ms", "wall ms", "Python calls", "queries"],
        rows,
    )
    check(f"every request answers 200 (a form post: the page it leads to) ({'; '.join(wrong) or 'all'})", not wrong)
    uncounted = [str(row[0]) for row in rows[:-1] if not (isinstance(row[3], int) and row[3] > 0 and row[4])]
    check(f"Python calls and queries counted for every request ({', '.join(uncounted) or 'all'})", not uncounted)


def weighted_mix(rows: list[list[object]]) -> list[object]:
    """The mix's row: each figure averaged over the requests, weighted as the stress scenario sends them."""
    total = sum(WEIGHTS.values())

    def mean(column: int) -> float:
        return sum(WEIGHTS[str(row[0])] * float(str(row[column])) for row in rows) / total

    return ["weighted mix", round(mean(1), 3), round(mean(2), 3), round(mean(3)), round(mean(4), 1)]


def _profile(name: str, repeats: int) -> None:
    from pyinstrument import Profiler

    username, path, post = pages()[name]
    measure(name, username, path, post, repeats)  # warm up
    with Profiler(interval=0.0005) as profiler:
        measure(name, username, path, post, repeats)
    print(profiler.output_text(unicode=True, color=False, show_all=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("database_url", nargs="?", help="a database load.py --keep left (default: build one)")
    parser.add_argument("--residents", type=int, default=RESIDENTS, help="the city's size when the script builds it")
    parser.add_argument("--repeats", type=int, default=REPEATS, help="requests of each kind (the median is shown)")
    parser.add_argument("--keep", action="store_true", help="keep the database the script built")
    parser.add_argument("--profile", help="a request's name: print its pyinstrument profile")
    add_options(parser)
    args = parser.parse_args()
    if args.smoke:
        args.residents, args.repeats = SMOKE_RESIDENTS, SMOKE_REPEATS
    start_report(args)
    built = None
    if args.database_url is None:
        SINGLE_ROLE["on"] = args.smoke  # the full size builds as load.py does: the owner role, not a superuser
        built = database_name("vk_bench_load_pages_smoke" if args.smoke else "vk_bench_load_pages")
    try:
        if built:
            build(built, args.residents, user_counts(MIX, SMOKE_USERS if args.smoke else USERS), static=not args.smoke)
        _setup(args.database_url or url_for(OWNER, str(built)), manifest=not (built and args.smoke))
        if args.profile:
            _profile(args.profile, args.repeats)
            return
        _measure_all(args.repeats)
    finally:
        if built and not args.keep:
            _drop(built)
    finish()


def _drop(database: str) -> None:
    """Drop the database the script built (closing Django's connection first, when it made one)."""
    from django.conf import settings

    if settings.configured:
        from django.db import connections

        connections.close_all()
    admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


if __name__ == "__main__":
    main()
