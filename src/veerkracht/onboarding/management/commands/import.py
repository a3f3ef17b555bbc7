# ruff: noqa: N999 - the command is called "import", as the issue documents it
"""``veerkracht import residents|addresses FILE --organisation SLUG [--dry-run]``."""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from veerkracht.core.models import Organisation
from veerkracht.onboarding.importers import IMPORTERS
from veerkracht.onboarding.tabular import read_path


class Command(BaseCommand):
    help = "Import a CSV or XLSX file of an organisation: its address file, or its residents."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(IMPORTERS))
        parser.add_argument("file", type=Path)
        parser.add_argument("--organisation", required=True, help="the organisation's short name (slug)")
        parser.add_argument("--dry-run", action="store_true", help="check every row, save nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"Organisatie {options['organisation']} bestaat niet.")
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Bestand {path} bestaat niet.")
        try:
            table = read_path(path)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        report = IMPORTERS[options["kind"]](
            by=None, organisation=organisation, table=table, file_name=path.name, dry_run=options["dry_run"]
        )
        for line in report.lines():
            self.stdout.write(line)
