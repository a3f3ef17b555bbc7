"""Jobs the background worker runs a few times an hour, e.g. counting today's figures before anyone
asks for them. Apps register theirs in ``AppConfig.ready``; core knows none of them.

A job must be cheap when there is nothing to do (it runs every ``INTERVAL_S``) and safe to run
twice at once (several workers may run).
"""

import logging
import threading
import time
from collections.abc import Callable

from django.db import connections

from veerkracht.core.registry import Registry

logger = logging.getLogger(__name__)
INTERVAL_S = 600.0

jobs: Registry[Callable[[], None]] = Registry("daily job")


def register_daily_job(name: str, job: Callable[[], None]) -> None:
    """Run ``job`` a few times an hour in the worker; a second job under the same name is refused."""
    jobs.register(name, job)


def daily_jobs_run() -> None:
    """Run every registered job once; one that fails is logged (its class only) and the others run."""
    for name, job in jobs.items():
        try:
            job()
        except Exception as error:
            logger.warning("daily job %s failed (%s)", name, type(error).__name__)


def daily_jobs_start() -> threading.Thread:
    """Run the jobs now and every ``INTERVAL_S`` in a daemon thread beside the task queue."""

    def loop() -> None:
        while True:
            daily_jobs_run()
            connections.close_all()  # this thread's own connections; the next round opens fresh ones
            time.sleep(INTERVAL_S)

    thread = threading.Thread(target=loop, name="daily-jobs", daemon=True)
    thread.start()
    return thread
