"""``veerkracht audit_verify``: recompute the audit hash chains; exit code 1 when anything was changed."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from veerkracht.core.auditchain import audit_verify


class Command(BaseCommand):
    help = "Verify that no sealed audit event was changed, removed or inserted, and that the chains are whole."

    def handle(self, *args: Any, **options: Any) -> None:
        problems = audit_verify()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"the audit log was tampered with: {len(problems)} problem(s)")
        self.stdout.write("the audit log is intact")
