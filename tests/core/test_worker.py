"""The task worker outlives a PostgreSQL restart: it waits and starts again instead of stopping."""

from unittest import mock

import pytest
from django.core.management import call_command
from django.db import OperationalError

from veerkracht.core.management.commands import worker


@pytest.fixture
def queue_loop():
    """django-tasks' worker loop: fails once as on a restarted database, then ends normally."""
    with mock.patch.object(
        worker, "call_command", side_effect=[OperationalError("the database is shutting down"), None]
    ) as loop:
        yield loop


def test_the_worker_waits_and_starts_again_after_a_database_outage(transactional_db, queue_loop):
    with (
        mock.patch("veerkracht.core.management.commands.worker.time.sleep") as sleep,
        mock.patch.object(worker, "daily_jobs_start") as daily,
        mock.patch.object(worker, "task_reaper_start") as reaper,
    ):
        call_command("worker", verbosity=0)
    daily.assert_called_once()  # once, not again after the outage
    reaper.assert_called_once()
    assert queue_loop.call_count == 2
    sleep.assert_called_once_with(worker.RETRY_AFTER_OUTAGE_S)


def test_a_batch_run_reports_the_outage_instead_of_waiting(db, queue_loop):
    with pytest.raises(OperationalError):
        call_command("worker", "--batch", verbosity=0)


def test_the_worker_runs_the_daily_jobs_and_one_failing_job_stops_no_other(db, queue_loop):
    from veerkracht.core import daily

    ran: list[str] = []

    def failing() -> None:
        raise RuntimeError("broken")

    jobs = {"failing": failing, "counting": lambda: ran.append("counting")}
    with daily.jobs.overriding(jobs, only=True):
        queue_loop.side_effect = None
        call_command("worker", "--batch", verbosity=0)
    assert ran == ["counting"]


def test_the_worker_reports_its_heartbeat_for_readyz(db, queue_loop):
    from django.core.cache import cache

    from veerkracht.core.metrics import WORKER_HEARTBEAT_KEY

    queue_loop.side_effect = None
    call_command("worker", "--batch", verbosity=0)
    assert cache.get(WORKER_HEARTBEAT_KEY) is not None


def test_the_worker_refuses_a_database_newer_than_its_code(db, queue_loop):
    from django.core.exceptions import ImproperlyConfigured
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    MigrationRecorder(connection).record_applied("people", "9999_from_the_future")
    with pytest.raises(ImproperlyConfigured, match="newer than this release"):
        call_command("worker", "--batch", verbosity=0)
    queue_loop.assert_not_called()
