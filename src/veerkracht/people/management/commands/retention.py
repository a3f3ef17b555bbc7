"""``veerkracht retention [--dry-run]``: anonymise what has passed its retention term."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from veerkracht.core.models import MaintenanceKind, MaintenanceRun, Organisation
from veerkracht.people.retention import retention_apply


class Command(BaseCommand):
    help = "Anonymise residents, contact notes and concerns past their organisation's retention terms."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="only list what would be anonymised")

    def handle(self, *args: Any, dry_run: bool, **options: Any) -> None:
        now = timezone.now()
        verb = "would anonymise" if dry_run else "anonymised"
        residents = 0
        for organisation in Organisation.objects.order_by("name"):
            report = retention_apply(organisation=organisation, now=now, dry_run=dry_run)
            residents += report.residents
            self.stdout.write(
                f"{report.organisation}: {verb} {report.residents} residents, "
                f"{report.contact_notes} contact notes, {report.concerns} concerns"
            )
        if not dry_run:  # for the metrics: when retention last ran to the end
            MaintenanceRun.objects.create(kind=MaintenanceKind.RETENTION, detail=f"{residents} residents anonymised")
