"""The database the application connects to."""

import os

import pytest
from django.db import connection


@pytest.mark.skipif(connection.vendor != "postgresql", reason="roles exist on PostgreSQL")
@pytest.mark.skipif(not os.environ.get("CI"), reason="a developer may test as a superuser; CI must not")
def test_the_application_role_is_not_a_superuser(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
        assert cursor.fetchone() == (False, False)


def test_sqlite_enforces_foreign_keys(db):
    if connection.vendor != "sqlite":
        pytest.skip("only SQLite needs the pragma")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone() == (1,)
