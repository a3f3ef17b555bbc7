"""A backup restores into an emptied database with every row back."""

import os
import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.conftest import Cast, app_role_grant
from veerkracht.contacts.services import concern_raise

pytestmark = pytest.mark.django_db(transaction=True)


def _row_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 (names from the schema)
            counts[table] = cursor.fetchone()[0]
    return counts


def test_backup_and_restore_bring_every_row_back(cast: Cast, tmp_path, owner_connection):
    if connection.vendor == "postgresql" and not shutil.which("pg_dump"):
        pytest.fail("pg_dump is needed for backups on PostgreSQL")
    concern_raise(by=cast.professional, resident_id=cast.resident_north.pk, category="food", severity=2)
    before = _row_counts()
    assert before["people_resident"] == 3
    path = tmp_path / "veerkracht.backup"
    call_command("backup", str(path), stdout=StringIO())
    call_command("flush", "--no-input")
    assert _row_counts()["people_resident"] == 0
    call_command("restore", str(path), "--yes", stdout=StringIO())
    if os.environ.get("DATABASE_OWNER_URL"):
        app_role_grant()  # a backup holds no privileges: grant them again, as after a migrate
    assert _row_counts() == before


def test_restore_asks_for_confirmation_and_a_real_file(tmp_path, owner_connection):
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(tmp_path / "x"))
    with pytest.raises(CommandError, match="no backup file"):
        call_command("restore", str(tmp_path / "missing.backup"), "--yes")
