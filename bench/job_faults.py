"""Background jobs under ``kill -9``: time to recovery and duplicate effects (issue 20, docs/adr/0020).

Each round: an outreach round is queued, a real ``veerkracht worker`` starts its planning and is
killed with SIGKILL a random moment later; a new worker is started at once (as ``serve`` does)
and the time from the kill until the run is done is measured. Afterwards every door must be
planned at most once. Prints one line per kill and a summary.

    .venv/bin/python bench/job_faults.py                      # scratch SQLite database, 5 kills
    .venv/bin/python bench/job_faults.py --kills 10 --stale 5
    .venv/bin/python bench/job_faults.py --database-url postgres://me:pw@127.0.0.1/scratch

Checked at every size: each run is done in the end (not failed, not hanging), and no door is
planned twice. ``--smoke`` (the suite's): one kill, the shortest stale limit the settings allow.
"""

import argparse
import atexit
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import time as clock_time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.factories builds the data
from common import VEERKRACHT, add_options, check, finish, print_table, start_report, summary

SETTINGS = {
    "DEMO_MODE": "1",  # production settings over plain HTTP, without the keys a real server keeps outside
    "SECRET_KEY": "bench-job-faults-not-a-secret",
    "ALLOWED_HOSTS": "127.0.0.1",
    "DEBUG": "0",
    "DATABASE_CONN_MAX_AGE": "0",
}
DOORS = 40
X, Y = 125000.0, 485000.0  # where the factories put every building


def _worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603 (our own command)
        [VEERKRACHT, "worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def _wait(condition: object, timeout_s: float = 120.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.02)
    return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--stale", type=int, default=2, help="TASK_STALE_AFTER_SECONDS of the workers")
    parser.add_argument("--database-url", help="an empty database to use (default: a scratch SQLite file)")
    add_options(parser)
    args = parser.parse_args()
    if args.smoke:
        args.kills, args.stale = 1, 2  # 2 s: the least TASK_STALE_AFTER_SECONDS takes
    start_report(args)
    folder = Path(tempfile.mkdtemp(prefix="veerkracht-job-faults-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    scratch = folder / "db.sqlite3"
    url = args.database_url or f"sqlite:///{scratch}"
    env = {**os.environ, **SETTINGS, "DATABASE_URL": url, "TASK_STALE_AFTER_SECONDS": str(args.stale)}
    env.pop("VEERKRACHT_TESTING", None)
    os.environ.update({k: v for k, v in env.items() if k in {*SETTINGS, "DATABASE_URL", "TASK_STALE_AFTER_SECONDS"}})
    os.environ.pop("VEERKRACHT_TESTING", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "veerkracht.settings")

    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone
    from tests.factories import NeighbourhoodFactory, OrganisationFactory, ResidentFactory, UserFactory

    from veerkracht.core.models import TaskRun, TaskStatus
    from veerkracht.outreach import services
    from veerkracht.outreach.models import RoundStop
    from veerkracht.places.models import Place

    call_command("migrate", verbosity=0)
    organisation = OrganisationFactory.create()
    north = NeighbourhoodFactory.create(district__organisation=organisation)
    coordinator = UserFactory.create(coordinator=True, organisation=organisation)
    walker = UserFactory.create(professional=True, organisation=organisation)
    centre = Place.objects.create(
        organisation=organisation, neighbourhood=north, name="Buurthuis", kind="community_centre", x=X, y=Y
    )
    for i in range(DOORS):
        dx = 30.0 * (i + 1)
        ResidentFactory.create(
            household__building__neighbourhood=north,
            household__building__x=X + dx,
            household__x=X + dx,
            birth_year=1990,
        )
    rows, recoveries, duplicates, unfinished = [], [], 0, []
    randomly = random.Random(20)  # noqa: S311 (when to kill, not a secret)
    for kill in range(1, args.kills + 1):
        round_ = services.round_start(
            by=coordinator,
            neighbourhood_id=north.pk,
            on=timezone.localdate() + timedelta(days=kill),
            kinds=["porch_talk", "intercom"],
            walkers=[
                services.WalkerPlan(worker_id=walker.pk, starts=clock_time(9), ends=clock_time(11), place_id=centre.pk)
            ],
            time_limit_s=1.0,
        )
        run_id = round_.run_id
        if run_id is None:
            raise SystemExit("the round was queued without its run")

        def run() -> TaskRun:
            return TaskRun.objects.get(pk=run_id)  # noqa: B023 (read at once)

        first = _worker(env)
        _wait(lambda: run().status != TaskStatus.QUEUED)  # running, or already done between two looks
        after_s = randomly.uniform(0.0, 1.0)
        time.sleep(after_s)
        first.send_signal(signal.SIGKILL)
        first.wait()
        killed_at, status_at_kill = time.monotonic(), run().status
        second = _worker(env)
        recovered = _wait(lambda: run().status in (TaskStatus.DONE, TaskStatus.FAILED))
        recovery_s = time.monotonic() - killed_at
        second.terminate()
        second.wait()
        per_door = Counter(RoundStop.objects.filter(round_id=round_.pk).values_list("resident_id", flat=True))
        twice = sum(count - 1 for count in per_door.values())
        duplicates += twice
        if recovered:
            recoveries.append(recovery_s)
        final = run()
        if final.status != TaskStatus.DONE or not per_door:  # a plan of no doors is no plan
            unfinished.append(f"kill {kill}: {final.status} with {sum(per_door.values())} stops")
        rows.append(
            (kill, after_s, status_at_kill, final.status, final.attempts, recovery_s, sum(per_door.values()), twice)
        )
    header = ("kill", "after s", "at kill", "final", "attempts", "recovery s", "stops", "duplicates")
    print_table(f"kill -9 during round planning (stale limit {args.stale} s, new worker at once)", header, rows)
    low, middle, high = summary(recoveries or [float("nan")])
    print(f"\nrecovery: min {low:.2f} s, median {middle:.2f} s, max {high:.2f} s; duplicate stops: {duplicates}")
    print("(recovery includes the new worker's start-up; a kill after the run finished shows 'done' at kill)")
    check(f"every run is done after its kill, with stops ({'; '.join(unfinished) or 'all'})", not unfinished)
    check(f"no door planned twice ({duplicates} planned twice)", duplicates == 0)
    finish()


if __name__ == "__main__":
    main()
