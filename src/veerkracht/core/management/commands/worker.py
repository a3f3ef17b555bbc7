"""``veerkracht worker``: re-queue runs a killed worker left behind, then work through the queue."""

from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from veerkracht.core.auditchain import audit_seal
from veerkracht.core.tasks import task_runs_reap


class Command(BaseCommand):
    help = "Run background tasks (matching, ...) from the database queue."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--batch", action="store_true", help="Work through the queue once, then stop.")

    def handle(self, *args: Any, batch: bool, **options: Any) -> None:
        reaped = task_runs_reap()
        audit_seal()  # also from cron; sealing twice is harmless
        if reaped:
            self.stdout.write(f"re-queued {reaped} task(s) left running by a stopped worker")
        extra = ["--batch"] if batch else []
        call_command("db_worker", "--no-reload", "--no-startup-delay", "--interval", "1", *extra)
