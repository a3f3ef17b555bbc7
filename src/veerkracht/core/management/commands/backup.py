"""``veerkracht backup [PATH] [--rotate]``: the whole database in one file, encrypted when a key is set.

Without PATH (as the systemd timer runs it): an age-encrypted archive in ``BACKUP_DIR``, recorded
for the metrics; ``--rotate`` then keeps 7 daily, 4 weekly and 12 monthly archives. With PATH: one
file there, encrypted when ``BACKUP_AGE_RECIPIENTS`` is set (plain otherwise, for development).
"""

import tempfile
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from veerkracht.core.backup import BackupError, backup_database
from veerkracht.core.backup_archive import backup_directory, backup_encrypted, backup_recipients, encrypt_file
from veerkracht.core.backup_archive import rotate as rotate_archives


class Command(BaseCommand):
    help = "Back up the whole database: encrypted into BACKUP_DIR (with --rotate), or to one file at PATH."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", type=Path, nargs="?", help="one file here instead of an archive in BACKUP_DIR")
        parser.add_argument("--rotate", action="store_true", help="keep 7 daily, 4 weekly, 12 monthly archives")

    def handle(self, *args: Any, path: Path | None, rotate: bool, **options: Any) -> None:
        try:
            if path is None:
                directory = backup_directory()
                path = backup_encrypted(directory)
                if rotate:
                    plan = rotate_archives(directory)
                    self.stdout.write(f"Rotation: {len(plan.keep)} kept, {len(plan.remove)} removed")
            elif backup_recipients():
                with tempfile.TemporaryDirectory(prefix="veerkracht-backup-") as scratch:
                    encrypt_file(backup_database(Path(scratch) / "database.backup"), path, backup_recipients())
            else:
                backup_database(path)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Backup written to {path} ({path.stat().st_size:,} bytes)")
