"""The load test's database: a scratch PostgreSQL database with the demo city and the load users.

Built by ``bench/load.py`` (which then serves it to its users) and by ``bench/load_pages.py`` when
it is given no database to measure. As CI does (``.ci/run``), a login role that is not a superuser
owns the tables, so row-level security binds it once a request sets its organisation; a second
role (``APP``) that is neither superuser nor owner is production's set-up (docs/adr/0012). With
``SINGLE_ROLE`` on (the smoke runs) everything happens as the maintenance connection's role: no
roles are created, so CREATEDB is all it needs.
"""

import json
import os
import subprocess
import sys
import time
from typing import Any

import psycopg
from common import MAINTENANCE_URL, ROOT, VEERKRACHT

OWNER, APP = "vk_load_owner", "vk_load_app"
SINGLE_ROLE = {"on": False}  # the smoke runs: everything as the maintenance connection's role, none created
ROLE_PASSWORD = "vk-load-bench"  # noqa: S105 - a scratch database on 127.0.0.1
RESIDENTS, USERS = 20_000, 200  # the load test's city and users
SMOKE_RESIDENTS, SMOKE_USERS = 300, 6  # the smoke runs': one user of each kind at least
# The share of each kind of user in the stress mix (load.py's and load_pages.py's): most are
# workers in the field, then residents, a few coordinators.
MIX = {"worker": 0.5, "resident": 0.35, "coordinator": 0.15}


def user_counts(mix: dict[str, float], users: int) -> dict[str, int]:
    return {kind: round(users * share) for kind, share in mix.items()}


SERVER_ENV = {
    "DEMO_MODE": "1",  # production settings over plain HTTP on 127.0.0.1
    "DEBUG": "0",
    "VEERKRACHT_TESTING": "0",
    "TWO_FACTOR_REQUIRED": "1",  # as in production: workers and coordinators sign in with a code
    "SECRET_KEY": "load-bench-secret-key-only-for-a-scratch-database",
    "LOG_LEVEL": "WARNING",
    # Every load user signs in from 127.0.0.1: the lockout per address would count them as one.
    "LOGIN_FAILURE_LIMIT": "100000",
    # ... and the public registrations of load.py's burst would all come from one address.
    "PUBLIC_REGISTRATIONS_PER_HOUR": "100000",
    "VEERKRACHT_VAR_DIR": "/tmp/vk-bench-load-var",  # noqa: S108 - collected static files, the outbox
}


def admin(*statements: str) -> None:
    """Statements on the maintenance connection (creating and dropping databases)."""
    with psycopg.connect(MAINTENANCE_URL, autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def admin_on(database: str, statement: str) -> None:
    """A statement on the benchmark's database, as the maintenance connection's role."""
    with psycopg.connect(MAINTENANCE_URL.rsplit("/", 1)[0] + f"/{database}", autocommit=True) as connection:
        connection.execute(statement)


def url_for(role: str, database: str) -> str:
    """The database's URL as ``role`` (as the maintenance connection's role when ``SINGLE_ROLE`` is on)."""
    if SINGLE_ROLE["on"]:
        return MAINTENANCE_URL.rsplit("/", 1)[0] + f"/{database}"
    host = MAINTENANCE_URL.split("@", 1)[-1].rsplit("/", 1)[0]
    return f"postgres://{role}:{ROLE_PASSWORD}@{host}/{database}"


def _roles() -> None:
    """The owner (migrations, the demo) and the server's role: no superuser, no owner, no BYPASSRLS."""
    for role, extra in ((OWNER, ""), (APP, " NOBYPASSRLS")):
        admin(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') "
            f"THEN CREATE ROLE {role} LOGIN; END IF; END $$",
            f"ALTER ROLE {role} WITH LOGIN NOSUPERUSER NOCREATEROLE{extra} PASSWORD '{ROLE_PASSWORD}'",
        )


def _grant(database: str) -> None:
    with psycopg.connect(url_for(OWNER, database), autocommit=True) as connection:
        connection.execute(f"GRANT CONNECT ON DATABASE {database} TO {APP}")
        connection.execute(f"GRANT USAGE ON SCHEMA public TO {APP}")
        connection.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {APP}")
        connection.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {APP}")


def _run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(args, env={**os.environ, **env}, check=True, capture_output=True, text=True)  # noqa: S603
    return done.stdout


def build(database: str, residents: int, counts: dict[str, int], *, static: bool = True) -> dict[str, Any]:
    """A fresh database with the demo city and ``counts`` load users of each kind; returns their credentials.

    ``static``: also collect the static files the server's manifest names (``static=False`` for a
    measurement in one process that renders plain static URLs: compressing them takes minutes on
    a busy machine).
    """
    owner = "" if SINGLE_ROLE["on"] else f" OWNER {OWNER}"
    if not SINGLE_ROLE["on"]:
        _roles()
    admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)', f'CREATE DATABASE "{database}"{owner}')
    env = {**SERVER_ENV, "DATABASE_URL": url_for(OWNER, database)}
    started = time.perf_counter()
    commands = [["migrate", "--no-input"], ["createcachetable"]] + ([["collectstatic", "--no-input"]] if static else [])
    for command in (*commands, ["demo", "--residents", str(residents)]):
        _run([VEERKRACHT, *command, "-v0"], env)
    kinds = [str(counts[kind]) for kind in ("worker", "resident", "coordinator")]
    made: dict[str, Any] = json.loads(_run([sys.executable, str(ROOT / "bench" / "load_users.py"), *kinds], env))
    if not SINGLE_ROLE["on"]:
        _grant(database)
    admin_on(database, "VACUUM ANALYZE")  # what autovacuum does to a database in use: fresh statistics
    seconds = time.perf_counter() - started
    users = sum(counts.values())
    print(f"database {database}: demo city of {residents:,} residents, {users} load users in {seconds:.0f} s")
    return made
