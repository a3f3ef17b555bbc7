"""Every table is either held to an organisation by row-level security or on the short list of global ones.

The registry is ``veerkracht.core.dbroles``; a new model's table needs one line there. The first
tests run on SQLite too, so a branch that adds a table learns it before PostgreSQL does.
"""

from typing import Any

import pytest
from django.apps import apps
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from tests.conftest import Cast
from tests.factories import PASSWORD
from veerkracht.core.dbroles import GLOBAL, ISOLATED, SESSION_KEYS, Isolated

ISOLATED_TABLES = {entry.table: entry for entry in ISOLATED}
ON_POSTGRESQL = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row-level security is a PostgreSQL feature"
)


def _model_tables() -> dict[str, str]:
    tables = {MigrationRecorder.Migration._meta.db_table: "migrations.Migration"}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            tables[model._meta.db_table] = model._meta.label
    return tables


def _related_table(field: Any) -> str:
    return str(field.related_model._meta.db_table)


def _suggestion(table: str, label: str) -> str:
    model = next(m for m in apps.get_models(include_auto_created=True) if m._meta.db_table == table)
    columns = {field.column: field for field in model._meta.concrete_fields}
    if "organisation_id" in columns:
        line = f'Isolated("{table}"),'
    else:
        parents = [f'("{field.column}", "{_related_table(field)}")' for field in columns.values() if field.is_relation]
        line = f'Isolated("{table}", via=[{parents[0] if parents else "(fk_column, parent_table)"}]),'
    return (
        f"{label} ({table}) is neither held to an organisation nor global. Add to ISOLATED in "
        f"src/veerkracht/core/dbroles.py:\n    {line}\n(via: the foreign key towards the table with the "
        "organisation_id column), or, only if it holds no organisation's data, to GLOBAL with the reason; "
        "then run migrate (the policies are applied after every migrate)."
    )


def test_every_models_table_is_isolated_or_global():
    missing = [
        _suggestion(table, label) for table, label in _model_tables().items() if table not in ISOLATED_TABLES | GLOBAL
    ]
    assert not missing, "\n\n".join(missing)


def test_no_table_is_both_isolated_and_global_nor_listed_twice():
    assert not set(ISOLATED_TABLES) & set(GLOBAL)
    assert len(ISOLATED_TABLES) == len(ISOLATED)


def test_every_registered_table_exists_and_its_way_to_the_organisation_is_real():
    by_table = {model._meta.db_table: model for model in apps.get_models(include_auto_created=True)}
    for entry in ISOLATED:
        assert entry.table in by_table, f"{entry.table} is in ISOLATED but no model has that table: remove the line"
        if entry.path:
            continue
        table = entry.table
        for column, parent in entry.via:
            field = next((f for f in by_table[table]._meta.concrete_fields if f.column == column), None)
            assert field is not None, f"{table} has no column {column}"
            assert field.is_relation, f"{table}.{column} is not a foreign key"
            assert _related_table(field) == parent, f"{table}.{column} does not point at {parent}"
            table = parent
        columns = {f.column for f in by_table[table]._meta.concrete_fields}
        assert "organisation_id" in columns, f"{table} has no organisation_id: extend the via of {entry.table}"


@ON_POSTGRESQL
def test_every_isolated_table_has_its_policies_forced_on_the_owner_too(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relkind = 'r' AND relrowsecurity AND relforcerowsecurity "
            "AND relnamespace = current_schema()::regnamespace"
        )
        forced = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT tablename FROM pg_policies WHERE policyname = 'tenant'")
        tenant = {row[0] for row in cursor.fetchall()}
    unprotected = sorted(set(ISOLATED_TABLES) - (forced & tenant))
    assert not unprotected, f"without policies (run migrate: core.dbroles.policies_apply): {unprotected}"
    assert not forced & set(GLOBAL)


@ON_POSTGRESQL
def test_no_table_in_the_database_is_left_out_of_the_registry(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relkind = 'r' AND relnamespace = current_schema()::regnamespace"
        )
        tables = {row[0] for row in cursor.fetchall()}
    assert not sorted(tables - set(ISOLATED_TABLES) - set(GLOBAL))


def test_the_entries_build_a_way_to_the_organisation():
    assert Isolated("a").organisation() == "a.organisation_id"
    assert Isolated("c", via=[("b_id", "b"), ("a_id", "a")]).organisation() == (
        "(SELECT p1.organisation_id FROM b p0 JOIN a p1 ON p1.id = p0.a_id WHERE p0.id = c.b_id)"
    )


def test_a_session_holds_nothing_but_the_sign_in(cast: Cast, client):
    """Sessions are global (looked up by their secret key before anyone is known): they may hold the
    user's id and the state of signing in, never a name or a text about a resident."""
    client.post("/inloggen/", {"username": cast.volunteer.username, "password": PASSWORD})
    client.force_login(cast.coordinator)
    client.get(f"/bewoners/{cast.resident_north.pk}/")
    client.post(f"/bewoners/{cast.resident_north.pk}/contact/", {"channel": "phone", "minutes": 5})
    stored = [SessionStore().decode(session.session_data) for session in Session.objects.all()]
    assert stored
    assert all(set(data) <= SESSION_KEYS for data in stored), [sorted(data) for data in stored]


def _app_role_may(privilege: str, table: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT has_table_privilege(current_user, %s, %s)", [table, privilege])
        return bool(cursor.fetchone()[0])


@ON_POSTGRESQL
def test_the_application_role_may_only_append_to_the_audit_tables_and_change_no_schema(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.rolsuper OR r.rolbypassrls, pg_has_role(current_user, c.relowner, 'USAGE') "
            "FROM pg_roles r, pg_class c WHERE r.rolname = current_user AND c.relname = 'people_resident'"
        )
        bypasses, owns = cursor.fetchone()
        cursor.execute("SELECT has_schema_privilege(current_user, current_schema(), 'CREATE')")
        may_create = cursor.fetchone()[0]
    if owns:
        pytest.skip("the tests connect as the tables' owner: set DATABASE_OWNER_URL to run them as the app's role")
    assert not bypasses
    assert not may_create  # no DDL
    for table in ("core_auditevent", "core_auditseal"):
        assert _app_role_may("SELECT", table)
        assert _app_role_may("INSERT", table)
        assert not _app_role_may("UPDATE", table)
        assert not _app_role_may("DELETE", table)
    assert _app_role_may("UPDATE", "people_resident")
    assert not _app_role_may("INSERT", "django_migrations")


@ON_POSTGRESQL
def test_the_grant_command_refuses_the_owner_itself(db):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with connection.cursor() as cursor:
        cursor.execute("SELECT tableowner FROM pg_tables WHERE tablename = 'people_resident'")
        owner = cursor.fetchone()[0]
    with pytest.raises(CommandError, match="own"):
        call_command("db_grant_app_role", owner)
    with pytest.raises(CommandError, match="lower-case"):
        call_command("db_grant_app_role", 'x"; DROP TABLE people_resident; --')
