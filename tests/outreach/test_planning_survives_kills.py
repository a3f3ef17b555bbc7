"""Round planning in a real worker that is killed with SIGKILL (or loses its database) half-way.

The run is queued again by the worker's reaper within the stale limit and finishes once, with
every door planned once; a run whose worker keeps dying is failed with a message in Dutch; a
job queued after it runs too.
"""

import time
from collections import Counter

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tests.conftest import Cast
from tests.outreach.conftest import walker
from tests.processes import kill_hard, running, wait_for, writes_held
from veerkracht.core.models import WORKER_LOST, TaskRun, TaskStatus
from veerkracht.help.services import match_run_start
from veerkracht.outreach import services
from veerkracht.outreach.models import OutreachRound, RoundStatus, RoundStop

pytestmark = [pytest.mark.real_clock, pytest.mark.django_db(transaction=True)]
DOORS = 12
# From a new worker's start: the stale limit, the reaper's next look and the run again take a few
# seconds; the bound leaves room for a busy machine (bench/job_faults.py measures it). Before the
# periodic reaper, the run was never queued again at all.
RECOVERED_WITHIN_S = 45


@pytest.fixture
def queued_round(cast: Cast, door, centre, settings) -> OutreachRound:
    """A round with a dozen doors, waiting in the real queue for a worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    for i in range(DOORS):
        door(dx=40 + 40 * i, birth_year=1990)
    round_ = services.round_start(
        by=cast.coordinator,
        neighbourhood_id=cast.north.pk,
        on=timezone.localdate(),
        kinds=["porch_talk", "intercom"],
        walkers=[walker(cast.professional, centre)],
        time_limit_s=1.0,
    )
    assert round_.run is not None
    assert round_.run.status == TaskStatus.QUEUED
    return round_


def _run(round_: OutreachRound) -> TaskRun:
    assert round_.run_id is not None
    return TaskRun.objects.get(pk=round_.run_id)


def _kill_mid_run(round_: OutreachRound, attempt: int, **env: str) -> None:
    """Start a worker, let it start the run's ``attempt``-th attempt, hold its writes and kill it."""
    with running("worker", **env) as worker:
        wait_for(lambda: _run(round_).attempts == attempt, what=f"attempt {attempt}")
        with writes_held(round_):
            time.sleep(0.5)  # the run cannot finish: every way to its end writes
            kill_hard(worker.pid)
            worker.popen.wait(timeout=10)
    run = _run(round_)
    assert (run.status, run.attempts) == (TaskStatus.RUNNING, attempt)  # left behind, as a dead worker leaves it


def _assert_planned_once(round_: OutreachRound) -> None:
    run = _run(round_)
    round_.refresh_from_db()
    assert (run.status, round_.status) == (TaskStatus.DONE, RoundStatus.PLANNED), run.error
    per_door = Counter(RoundStop.objects.filter(round=round_).values_list("resident_id", flat=True))
    assert per_door, "the round planned no door"
    assert set(per_door.values()) == {1}
    assert run.result is not None
    assert run.result["planned"] == sum(per_door.values())


def test_a_worker_killed_mid_plan_leaves_a_run_that_is_queued_again_and_planned_once(cast: Cast, queued_round):
    later = match_run_start(by=cast.coordinator)  # a job queued behind the round
    _kill_mid_run(queued_round, attempt=1)
    with running("worker") as worker:
        wait_for(lambda: worker.said("Starting worker"), what="the new worker")
        ready_at = time.monotonic()
        wait_for(lambda: _run(queued_round).status == TaskStatus.DONE, what="the round's run to finish")
        recovered_s = time.monotonic() - ready_at
        wait_for(lambda: TaskRun.objects.get(pk=later.pk).status == TaskStatus.DONE, what="the later job")
    assert recovered_s < RECOVERED_WITHIN_S
    assert _run(queued_round).attempts == 2
    _assert_planned_once(queued_round)


def test_a_run_whose_worker_keeps_dying_is_failed_with_a_message_in_dutch(cast: Cast, queued_round, client):
    for attempt in (1, 2):
        _kill_mid_run(queued_round, attempt, TASK_MAX_ATTEMPTS="2")
    with running("worker", TASK_MAX_ATTEMPTS="2"):
        wait_for(lambda: _run(queued_round).status == TaskStatus.FAILED, what="the run to be failed")
    run = _run(queued_round)
    assert (run.error, run.attempts) == (WORKER_LOST, 2)
    assert not RoundStop.objects.filter(round=queued_round).exists()
    client.force_login(cast.coordinator)
    page = client.get(reverse("outreach:round", args=[queued_round.pk]), headers={"accept-language": "nl"})
    assert page.status_code == 200
    assert "2 keer afgebroken" in page.content.decode()


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_a_run_whose_database_connection_is_cut_mid_plan_is_planned_once(queued_round):
    with running("worker") as worker:
        wait_for(lambda: _run(queued_round).attempts == 1, what="the first attempt")
        with writes_held(queued_round):
            time.sleep(0.5)
            with connection.cursor() as cursor:  # as a restart of PostgreSQL does to the worker
                cursor.execute(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
                assert cursor.fetchone()[0] >= 1
        wait_for(lambda: _run(queued_round).status == TaskStatus.DONE, what="the run to finish")
        assert worker.popen.poll() is None  # the same worker, which found its database again
    assert _run(queued_round).attempts == 2
    _assert_planned_once(queued_round)
