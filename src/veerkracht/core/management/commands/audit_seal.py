"""``veerkracht audit_seal``: add the audit events of the last minutes to each organisation's hash chain."""

from typing import Any

from django.core.management.base import BaseCommand

from veerkracht.core.auditchain import audit_seal


class Command(BaseCommand):
    help = "Seal new audit events into the hash chain (run every few minutes, e.g. from cron)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{audit_seal()} seal(s) added")
