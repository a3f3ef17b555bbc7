"""``veerkracht restore PATH --yes [--identity FILE]``: replace the database with a backup."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from veerkracht.core.backup import BackupError
from veerkracht.core.backup_archive import restore_archive


class Command(BaseCommand):
    help = "Replace everything in the database with a backup made by `veerkracht backup` (into an empty database)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--yes", action="store_true", help="confirm that the current contents are replaced")
        parser.add_argument(
            "--identity", type=Path, help="the age private key (identity file) that decrypts an encrypted backup"
        )

    def handle(self, *args: Any, path: Path, yes: bool, identity: Path | None, **options: Any) -> None:
        if not yes:
            raise CommandError("restoring replaces everything in the database: add --yes to confirm")
        try:
            restore_archive(path, identity)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Database restored from {path}")
