"""CPU time and queries per page of the load scenario, in one process: where the milliseconds go.

``python bench/load_pages.py DATABASE_URL [--profile NAME]`` on a database that ``bench/load.py
--keep`` left behind: each page of the scenario is requested through Django's test client as one
of the load users (signed in without the form), a few times, and the median CPU milliseconds and
the number of queries are printed. ``--profile`` prints a pyinstrument profile of one page.
"""

import argparse
import os
import statistics
import time
from collections.abc import Callable

from common import print_table

REPEATS = 15


def _setup(url: str) -> None:
    os.environ.update(
        {
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "veerkracht.settings",
            "DEMO_MODE": "1",
            "VEERKRACHT_TESTING": "0",
            "TWO_FACTOR_REQUIRED": "0",  # force_login has no device to verify
            "SECRET_KEY": "load-pages",
            "ALLOWED_HOSTS": "testserver",
            "LOG_LEVEL": "WARNING",
            "VEERKRACHT_VAR_DIR": "/tmp/vk-bench-load-var",  # noqa: S108 - where bench/load.py collected static files
        }
    )
    import django

    django.setup()


def pages() -> dict[str, tuple[str, str, Callable[[], dict[str, str]] | None]]:
    """Name -> (username, path, form data for a post or None)."""
    from veerkracht.activities.models import Activity
    from veerkracht.core.models import User
    from veerkracht.people.selectors import residents_visible_to

    worker = User.objects.get(username="load-worker-0")
    resident = residents_visible_to(worker).order_by("pk").values_list("pk", flat=True)[7]
    activity = Activity.objects.filter(cancelled_at=None, place__isnull=False).order_by("-starts_at").first()
    assert activity is not None  # noqa: S101

    def contact() -> dict[str, str]:
        return {"channel": "phone", "duration_minutes": "15", "reached": "1", "initiative": "worker"}

    return {
        "worklist": ("load-worker-0", "/werklijsten/uit-beeld/", None),
        "resident page": ("load-worker-0", f"/bewoners/{resident}/", None),
        "log contact": ("load-worker-0", f"/bewoners/{resident}/contact/", contact),
        "programme": ("load-resident-0", "/activiteiten/", None),
        "activity page": ("load-resident-0", f"/activiteiten/{activity.pk}/", None),
        "dashboard": ("load-coordinator-0", "/inzicht/", None),
        "start page": ("load-coordinator-0", "/", None),
    }


def measure(name: str, username: str, path: str, post: Callable[[], dict[str, str]] | None) -> list[object]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from veerkracht.core.models import User

    client = Client(headers={"HX-Request": "true"} if post else None)
    client.force_login(User.objects.get(username=username))
    cpu, wall, queries = [], [], 0
    for _ in range(REPEATS):
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.post(path, post()) if post else client.get(path)
            cpu.append(1000 * (time.process_time() - started_cpu))
            wall.append(1000 * (time.perf_counter() - started))
        assert response.status_code == 200, (name, response.status_code)  # noqa: S101
        queries = len(captured)
    return [name, statistics.median(cpu), statistics.median(wall), queries]


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
    print_table("Pages of the load scenario (median of 15)", ["page", "CPU ms", "wall ms", "queries"], rows)


if __name__ == "__main__":
    main()
