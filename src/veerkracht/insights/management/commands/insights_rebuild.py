"""``veerkracht insights_rebuild``: recount the dashboards' daily tables from the recorded data."""

from typing import Any

from django.core.management.base import BaseCommand

from veerkracht.core.models import Organisation
from veerkracht.insights.aggregates import attendance_mix_rebuild, contact_daily_rebuild
from veerkracht.insights.reach import reach_forget


class Command(BaseCommand):
    help = "Rebuild the aggregate tables the dashboards read (after an import or a restore)."

    def handle(self, *args: Any, **options: Any) -> None:
        for organisation in Organisation.objects.order_by("pk"):
            days = contact_daily_rebuild(organisation.pk)
            mixes = attendance_mix_rebuild(organisation.pk)
            reach_forget(organisation.pk)  # counted again at the next read
            self.stdout.write(f"{organisation.slug}: {days} daily contact rows, {mixes} attendance mix rows")
