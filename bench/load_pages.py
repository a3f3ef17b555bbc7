"""CPU time, Python calls and queries per request of the load scenario, in one process.

``python bench/load_pages.py DATABASE_URL [--profile NAME]`` on a database that ``bench/load.py
--keep`` left behind: each request of the scenario is made through Django's test client as one
of the load users (signed in without the form), a few times, and the median CPU milliseconds, the
number of Python function calls and the number of queries are printed. The machine's speed and
load move the milliseconds by tens of percent; the calls do not (the same code and data give the
same count), so compare changes by calls and confirm with ``bench/load.py``. The resident page is
that of a resident with a typical (short) history; the contact is logged for another one.
``--profile`` prints a pyinstrument profile of one request.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from common import print_table

if TYPE_CHECKING:
    from django.test import Client

    from veerkracht.core.models import User

REPEATS = 15


def _setup(url: str) -> None:
    os.environ.update(
        {
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "veerkracht.settings",
            "DEMO_MODE": "1",
            "VEERKRACHT_TESTING": "0",
            "TWO_FACTOR_REQUIRED": "1",  # as in bench/load.py: _sign_in puts the device in the session
            "SECRET_KEY": "load-pages",
            "ALLOWED_HOSTS": "testserver",
            "LOG_LEVEL": "WARNING",
            "VEERKRACHT_VAR_DIR": "/tmp/vk-bench-load-var",  # noqa: S108 - where bench/load.py collected static files
        }
    )
    import django

    django.setup()


def pages() -> dict[str, tuple[str, str, Callable[[], dict[str, str]] | None]]:
    """Name -> (username, path, form data for a post or None), every request of bench/load.py."""
    from django.test import Client

    from veerkracht.activities.models import Activity
    from veerkracht.core.models import User
    from veerkracht.people.selectors import residents_visible_to

    worker = User.objects.get(username="load-worker-0")
    residents = residents_visible_to(worker).order_by("pk").values_list("pk", flat=True)
    activity = Activity.objects.filter(cancelled_at=None, place__isnull=False).order_by("-starts_at").first()
    assert activity is not None  # noqa: S101
    registering = Client()
    registering.force_login(User.objects.get(username="load-resident-0"))
    registration = registering.post(f"/activiteiten/{activity.pk}/", {"self": "1"})["Location"]

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
    from django_otp import DEVICE_ID_SESSION_KEY

    from veerkracht.accounts.models import AuthenticatorApp

    client.force_login(user)
    device = AuthenticatorApp.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


def measure(name: str, username: str, path: str, post: Callable[[], dict[str, str]] | None) -> list[object]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from veerkracht.core.models import User

    client = Client(headers={"HX-Request": "true"} if name == "log contact" else None)
    _sign_in(client, User.objects.get(username=username))

    def request() -> int:
        return (client.post(path, post()) if post else client.get(path)).status_code

    cpu, wall, queries = [], [], 0
    for _ in range(REPEATS):
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            status = request()
            cpu.append(1000 * (time.process_time() - started_cpu))
            wall.append(1000 * (time.perf_counter() - started))
        assert status in (200, 302), (name, status)  # noqa: S101
        queries = len(captured)
    profile = cProfile.Profile()
    profile.runcall(request)
    calls = pstats.Stats(profile).total_calls  # type: ignore[attr-defined]  # set by Stats, not in the stubs
    return [name, statistics.median(cpu), statistics.median(wall), calls, queries]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("database_url")
    parser.add_argument("--profile", help="a page name: print its pyinstrument profile")
    args = parser.parse_args()
    _setup(args.database_url)
    table = pages()
    if args.profile:
        from pyinstrument import Profiler

        username, path, post = table[args.profile]
        measure(args.profile, username, path, post)  # warm up
        with Profiler(interval=0.0005) as profiler:
            measure(args.profile, username, path, post)
        print(profiler.output_text(unicode=True, color=False, show_all=False))
        return
    rows = [measure(name, *spec) for name, spec in table.items()]
    print_table(
        "Requests of the load scenario (median of 15)",
        ["request", "CPU ms", "wall ms", "Python calls", "queries"],
        rows,
    )


if __name__ == "__main__":
    main()
