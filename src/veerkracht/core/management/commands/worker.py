"""``veerkracht worker``: re-queue runs a killed worker left behind, then work through the queue.

Beside the queue, a reaper thread re-queues runs whose heartbeat went stale all the time (not
only at the start), and the daily jobs run in a thread of their own.

When PostgreSQL restarts, django-tasks' worker loop stops with an ``OperationalError``. This
command then waits and starts again, instead of leaving the queue without a worker until someone
restarts it; runs cut off by the outage are re-queued by the reaper once their heartbeat is stale.
"""

import logging
import threading
import time
from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connections

from veerkracht.core.auditchain import audit_seal
from veerkracht.core.daily import daily_jobs_run, daily_jobs_start
from veerkracht.core.probes import WORKER_HEARTBEAT_EVERY_S, worker_heartbeat_beat
from veerkracht.core.startup import migration_state, refuse_database_newer_than_code
from veerkracht.core.tasks import task_reaper_start, task_runs_reap
from veerkracht.core.tenancy import every_organisation_process
from veerkracht.core.unavailable import OUTAGE_ERRORS

logger = logging.getLogger(__name__)
RETRY_AFTER_OUTAGE_S = 2.0


class Command(BaseCommand):
    help = "Run background tasks (matching, ...) from the database queue, and the daily jobs beside it."
    _daily: threading.Thread | None = None
    _reaper: threading.Thread | None = None
    _heartbeat: threading.Thread | None = None

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--batch", action="store_true", help="Work through the queue once, then stop.")

    def handle(self, *args: Any, batch: bool, **options: Any) -> None:
        # Between runs the worker claims, reaps and seals for every organisation; each run is
        # held to its own (core.tasks.execute).
        every_organisation_process()
        while True:
            try:
                self._work(batch)
                return
            except OUTAGE_ERRORS as error:
                if batch:
                    raise
                # The class name only: the message may quote SQL.
                logger.warning("database unavailable (%s): the worker starts again shortly", type(error).__name__)
                connections.close_all()
                time.sleep(RETRY_AFTER_OUTAGE_S)

    def _work(self, batch: bool) -> None:
        refuse_database_newer_than_code(migration_state())
        _beat()
        if not batch and self._heartbeat is None:
            self._heartbeat = _heartbeat_start()
        reaped = task_runs_reap()
        audit_seal()  # also from cron; sealing twice is harmless
        if reaped:
            self.stdout.write(f"re-queued {reaped} task(s) left running by a stopped worker")
        if batch:
            daily_jobs_run()
        elif self._daily is None:
            self._daily = daily_jobs_start()
            self._reaper = task_reaper_start()
        extra = ["--batch"] if batch else []
        call_command("db_worker", "--no-reload", "--no-startup-delay", "--interval", "1", *extra)


def _beat() -> None:
    """The heartbeat is for /readyz only: a cache that cannot be written (no cache table yet, an
    outage) must not stop the work itself."""
    try:
        worker_heartbeat_beat()
    except Exception as error:
        logger.warning("worker heartbeat not written (%s)", type(error).__name__)


def _heartbeat_start() -> threading.Thread:
    """Beat every few seconds in a thread of its own, so a long task does not look like a dead worker."""

    pause = threading.Event()  # never set: its wait() is a sleep of this thread's own

    def loop() -> None:
        while True:
            pause.wait(WORKER_HEARTBEAT_EVERY_S)
            _beat()
            connections.close_all()  # this thread's own connection

    thread = threading.Thread(target=loop, name="worker-heartbeat", daemon=True)
    thread.start()
    return thread
