"""``veerkracht retention [--dry-run]``: anonymise or delete what has passed its retention term."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from veerkracht.core.models import MaintenanceKind, MaintenanceRun, Organisation
from veerkracht.people.retention import retention_apply, retention_apply_global


def _listed(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {count}" for name, count in counts.items())


class Command(BaseCommand):
    help = "Anonymise or delete every kind of personal record past its retention term; --dry-run only counts."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="only list what would be anonymised or deleted")

    def handle(self, *args: Any, dry_run: bool, **options: Any) -> None:
        now = timezone.now()
        verb = _("would anonymise or delete") if dry_run else _("anonymised or deleted")
        for organisation in Organisation.objects.order_by("name"):
            report = retention_apply(organisation=organisation, now=now, dry_run=dry_run)
            self.stdout.write(f"{report.organisation}: {verb}: {_listed(report.counts)}")
        counts = retention_apply_global(now=now, dry_run=dry_run)
        self.stdout.write(f"{_('All organisations')}: {verb}: {_listed(counts)}")
        if not dry_run:  # for the metrics: when retention last ran to the end
            total = sum(counts.values())
            MaintenanceRun.objects.create(kind=MaintenanceKind.RETENTION, detail=f"{total} records in the last pass")
