"""``veerkracht backup PATH``: one file with the whole database."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from veerkracht.core.backup import BackupError, backup_database


class Command(BaseCommand):
    help = "Back up the whole database to one file (pg_dump on PostgreSQL, the backup API on SQLite)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        try:
            backup_database(path)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Backup written to {path} ({path.stat().st_size:,} bytes)")
