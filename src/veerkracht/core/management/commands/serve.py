"""``veerkracht serve``: check the set-up, then run gunicorn and a background worker, supervised."""

import os
import shutil
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError, connections

from veerkracht.core.startup import check_database, startup_checks_run
from veerkracht.core.supervisor import supervise

# Paths only, without query strings: a search for a name must not end up in a log file.
ACCESS_LOG_FORMAT = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'


class Command(BaseCommand):
    help = "Serve Veerkracht with gunicorn after checking the database and the demo accounts."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "3")))
        parser.add_argument(
            "--threads", type=int, default=int(os.environ.get("WEB_THREADS", "4")), help="threads per worker process"
        )
        parser.add_argument(
            "--no-task-worker", action="store_true", help="Do not start a background task worker beside the web server."
        )

    def handle(
        self, *args: Any, host: str, port: int, workers: int, threads: int, no_task_worker: bool, **options: Any
    ) -> None:
        try:
            check_database()
            startup_checks_run()
        except OperationalError as error:
            raise CommandError(f"database unavailable: {str(error).strip().splitlines()[0]}") from None
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from None
        connections.close_all()  # the workers open their own
        # Each gunicorn worker writes its request counters here; a scrape of /metrics adds them up.
        metrics_dir = Path(os.environ.get("PROMETHEUS_MULTIPROC_DIR") or settings.VAR_DIR / "metrics")
        shutil.rmtree(metrics_dir, ignore_errors=True)  # counters of a previous run must not count
        metrics_dir.mkdir(parents=True)
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
        self.stdout.write(f"Veerkracht on http://{host}:{port}/")
        self.stdout.flush()
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "veerkracht.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            # The application is imported once, before the workers fork: they share its memory and
            # start at once instead of each importing Django and the apps again.
            "--preload",
            # Browsers reuse their connection between page and form post; gunicorn's 2 s default
            # closes it just before a person's next click.
            "--keep-alive",
            "10",
        ]
        if settings.LOG_FORMAT != "json":  # JSON: core.logs writes one line per request instead
            argv += ["--access-logfile", "-", "--access-logformat", ACCESS_LOG_FORMAT]
        if no_task_worker:
            os.execv(sys.executable, argv)  # noqa: S606 (a fixed argument list, no shell)
        # One background worker for long work (matching, round planning, delivery), supervised:
        # started again when it dies, stopped with the web server (core/supervisor.py).
        sys.exit(supervise(argv, [sys.executable, "-m", "veerkracht", "worker"]))
