"""``veerkracht geography import FILE [FILE ...] --organisation SLUG``: CBS neighbourhoods and districts."""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from veerkracht.core.models import Organisation
from veerkracht.onboarding.geography import geography_import, read_geography


class Command(BaseCommand):
    help = "Import the neighbourhoods (and districts) of the organisation's municipality from CBS files."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        load = commands.add_parser("import", help="buurten (and wijken) from the CBS Wijk- en buurtkaart")
        load.add_argument(
            "files",
            nargs="+",
            type=Path,
            help="the CBS GeoPackage, or GeoJSON of the buurten layer (and the wijken layer)",
        )
        load.add_argument("--organisation", required=True, help="the organisation's short name (slug)")
        load.add_argument("--dry-run", action="store_true", help="check the file, save nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"Organisatie {options['organisation']} bestaat niet.")
        collections = []
        for path in options["files"]:
            if not path.is_file():
                raise CommandError(f"Bestand {path} bestaat niet.")
            try:
                collections.extend(read_geography(path, organisation.municipality_code))
            except ValidationError as error:
                raise CommandError(f"{path.name}: {' '.join(error.messages)}") from None
        report = geography_import(
            by=None,
            organisation=organisation,
            collections=collections,
            file_name=", ".join(path.name for path in options["files"]),
            dry_run=options["dry_run"],
        )
        for line in report.lines():
            self.stdout.write(line)
