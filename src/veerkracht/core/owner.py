"""The database role that owns the tables: migrations, backups and restores run as it.

With the two roles of docs/adr/0012 the server connects as the application role
(``DATABASE_URL``) and maintenance connects as the owner (``DATABASE_OWNER_URL``). Without an owner
URL (one role, SQLite, development) the application's own connection is the owner.
"""

import os
import subprocess
import sys
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

from veerkracht.envconfig import database_from_url, env_str


def owner_url() -> str:
    return env_str("DATABASE_OWNER_URL").strip()


def owner_settings() -> dict[str, Any]:
    """Django's connection settings for the owner role."""
    url = owner_url()
    if not url:
        return dict(connections[DEFAULT_DB_ALIAS].settings_dict)
    return database_from_url(url)


def run_as_owner(*arguments: str) -> None:
    """``veerkracht <arguments>`` in a process connected as the owner, with its output passed on.

    A separate process: Django's connection settings are fixed when it starts, and the serving
    settings must keep the application role.
    """
    environment = {**os.environ, "DATABASE_URL": owner_url()}
    command = [sys.executable, "-m", "veerkracht", *arguments]
    result = subprocess.run(command, env=environment, check=False)  # noqa: S603 (our own command, no shell)
    if result.returncode != 0:
        raise RuntimeError(f"`veerkracht {' '.join(arguments)}` as the owner role failed (exit {result.returncode})")
