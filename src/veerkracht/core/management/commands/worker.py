"""``veerkracht worker``: re-queue runs a killed worker left behind, then work through the queue.

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
from veerkracht.core.tasks import task_runs_reap
from veerkracht.core.tenancy import every_organisation_process
from veerkracht.core.unavailable import OUTAGE_ERRORS

logger = logging.getLogger(__name__)
RETRY_AFTER_OUTAGE_S = 5.0


class Command(BaseCommand):
    help = "Run background tasks (matching, ...) from the database queue, and the daily jobs beside it."
    _daily: threading.Thread | None = None

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
        reaped = task_runs_reap()
        audit_seal()  # also from cron; sealing twice is harmless
        if reaped:
            self.stdout.write(f"re-queued {reaped} task(s) left running by a stopped worker")
        if batch:
            daily_jobs_run()
        elif self._daily is None:
            self._daily = daily_jobs_start()
        extra = ["--batch"] if batch else []
        call_command("db_worker", "--no-reload", "--no-startup-delay", "--interval", "1", *extra)
