"""Backup and restore of the whole database: pg_dump/pg_restore on PostgreSQL, SQLite's backup API.

Both produce one file. A restore replaces everything in the target database. Both run as the owner
role (``DATABASE_OWNER_URL`` when set, core/owner.py): only the owner may read every organisation's
rows under row-level security. Encryption, the rotation and the scheduled backups are in
core/backup_archive.py.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.db import connections

from veerkracht.core.owner import owner_settings, owner_url


class BackupError(RuntimeError):
    """A backup or restore could not be made; the message says why in one line."""


def _postgres_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    mapping = {"HOST": "PGHOST", "PORT": "PGPORT", "USER": "PGUSER", "PASSWORD": "PGPASSWORD"}
    for key, variable in mapping.items():
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} not found: install the PostgreSQL client tools")
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        first = (result.stderr.strip().splitlines() or ["no output"])[0]
        raise BackupError(f"{command[0]} failed: {first}")


def backup_database(target: Path, alias: str = "default") -> Path:
    """Write a consistent copy of the database to ``target``."""
    settings_dict = owner_settings() if alias == "default" else connections[alias].settings_dict
    target.parent.mkdir(parents=True, exist_ok=True)
    if settings_dict["ENGINE"] == "django.db.backends.sqlite3":
        with sqlite3.connect(settings_dict["NAME"]) as source, sqlite3.connect(target) as copy:
            source.backup(copy)  # consistent even while the server writes
        return target
    # The owner is bound by row-level security (FORCE): without --enable-row-security pg_dump
    # refuses; with it, the maintenance policy gives the owner every row (no organisation is set).
    command = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--enable-row-security"]
    command += [f"--file={target}", settings_dict["NAME"]]
    _run(command, _postgres_env(settings_dict))
    return target


def restore_database(source: Path, alias: str = "default") -> None:
    """Replace the database's contents with the backup in ``source``."""
    if not source.is_file():
        raise BackupError(f"no backup file at {source}")
    connection = connections[alias]
    settings_dict = owner_settings() if alias == "default" and owner_url() else connection.settings_dict
    connection.close()
    if settings_dict["ENGINE"] == "django.db.backends.sqlite3":
        with sqlite3.connect(source) as backup, sqlite3.connect(settings_dict["NAME"]) as database:
            backup.backup(database)
        return
    command = [
        "pg_restore",
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        f"--dbname={settings_dict['NAME']}",
        str(source),
    ]
    _run(command, _postgres_env(settings_dict))
