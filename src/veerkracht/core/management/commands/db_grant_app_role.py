"""``veerkracht db_grant_app_role ROLE``: give the application's database role exactly what it needs.

Run it as the tables' owner after every ``migrate`` (new tables need their grants). The role
may then read and write the application's tables, only add to the audit tables, only read the
schema's bookkeeping, and change no schema (docs/adr/0017-row-level-security-everywhere.md).
"""

import re
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from veerkracht.core.dbroles import grants


class Command(BaseCommand):
    help = "Grant the application's PostgreSQL role its privileges (run as the owner, after migrate)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("role", help="the login role the web server and the task workers connect as")

    def handle(self, *args: Any, role: str, **options: Any) -> None:
        if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", role):
            raise CommandError("a role name of lower-case letters, digits and underscores")
        if connection.vendor != "postgresql":
            raise CommandError("database roles are a PostgreSQL matter; SQLite has none")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT r.rolsuper OR r.rolbypassrls, EXISTS (SELECT FROM pg_class c WHERE "
                "c.relnamespace = current_schema()::regnamespace AND pg_has_role(r.oid, c.relowner, 'MEMBER')) "
                "FROM pg_roles r WHERE r.rolname = %s",
                [role],
            )
            found = cursor.fetchone()
        if found is None:
            raise CommandError(f"no role {role!r}: create it first (CREATE ROLE … LOGIN NOSUPERUSER NOBYPASSRLS)")
        if found[0] or found[1]:
            raise CommandError(f"{role!r} bypasses row-level security or owns the tables: use a role of its own")
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT quote_ident(current_database())")
            cursor.execute(f'GRANT CONNECT ON DATABASE {cursor.fetchone()[0]} TO "{role}"')
            for statement in grants(role):
                cursor.execute(statement)
        self.stdout.write(f"granted {role} the application's privileges")
