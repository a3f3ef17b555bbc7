"""A backup restores into an emptied database with every row back."""

import os
import shutil
from datetime import timedelta
from io import StringIO

import pyrage  # type: ignore[import-untyped]  # no type information shipped
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from tests.conftest import Cast, app_role_grant
from veerkracht.contacts.services import concern_raise
from veerkracht.core.auditchain import audit_seal, audit_verify
from veerkracht.core.backup_archive import archive_name, rotate
from veerkracht.core.models import MaintenanceKind, MaintenanceRun

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


def _empty_the_database() -> None:
    """Drop every table (and on PostgreSQL our functions): what a freshly created database holds."""
    tables = connection.introspection.table_names()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA foreign_keys=OFF")
            for table in tables:
                cursor.execute(f"DROP TABLE {connection.ops.quote_name(table)}")
            cursor.execute("PRAGMA foreign_keys=ON")
        else:
            for table in tables:
                cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)} CASCADE")
            cursor.execute(
                "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                "WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) = current_user"
            )
            for (function,) in cursor.fetchall():
                cursor.execute(f"DROP FUNCTION IF EXISTS {function} CASCADE")
    assert connection.introspection.table_names() == []


@pytest.fixture
def age_key(tmp_path, monkeypatch):
    """A fresh age key pair: the public half in the environment, the private half in a file."""
    identity = pyrage.x25519.Identity.generate()
    identity_file = tmp_path / "backup-key.txt"
    identity_file.write_text(f"# the private key, kept away from the server\n{identity}\n")
    monkeypatch.setenv("BACKUP_AGE_RECIPIENTS", str(identity.to_public()))
    monkeypatch.setenv("BACKUP_DIR", str(tmp_path / "backups"))
    return identity_file


def test_an_encrypted_backup_restores_into_an_empty_database_with_every_row_and_the_audit_chain(
    cast: Cast, tmp_path, age_key
):
    if connection.vendor == "postgresql" and not shutil.which("pg_dump"):
        pytest.fail("pg_dump is needed for backups on PostgreSQL")
    concern_raise(by=cast.professional, resident_id=cast.resident_north.pk, category="food", severity=2)
    assert audit_seal(now=timezone.now() + timedelta(days=1)) > 0  # a sealed chain to verify afterwards
    before = _row_counts()
    assert before["core_auditseal"] > 0

    out = StringIO()
    call_command("backup", stdout=out)
    archives = list((tmp_path / "backups").glob("veerkracht-*.backup.age"))
    assert len(archives) == 1
    assert str(archives[0]) in out.getvalue()
    content = archives[0].read_bytes()
    assert content.startswith(b"age-encryption.org/v1")
    assert cast.resident_north.last_name.encode() not in content  # unreadable without the private key
    last = MaintenanceRun.objects.get(kind=MaintenanceKind.BACKUP)
    assert last.detail == archives[0].name

    _empty_the_database()
    with pytest.raises(CommandError, match="--identity"):
        call_command("restore", str(archives[0]), "--yes")
    call_command("restore", str(archives[0]), "--yes", "--identity", str(age_key), stdout=StringIO())

    assert _row_counts() == before
    assert audit_verify() == []


def test_a_backup_does_not_restore_with_another_key(cast: Cast, tmp_path, age_key):
    path = tmp_path / "one.backup"
    call_command("backup", str(path), stdout=StringIO())  # a key is set: encrypted at PATH too
    stranger = tmp_path / "stranger.txt"
    stranger.write_text(f"{pyrage.x25519.Identity.generate()}\n")
    with pytest.raises(CommandError, match="cannot be decrypted"):
        call_command("restore", str(path), "--yes", "--identity", str(stranger))
    assert _row_counts()["people_resident"] == 3  # untouched


def test_a_scheduled_backup_needs_a_public_key(db, monkeypatch, tmp_path):
    monkeypatch.delenv("BACKUP_AGE_RECIPIENTS", raising=False)
    monkeypatch.setenv("BACKUP_DIR", str(tmp_path))
    with pytest.raises(CommandError, match="BACKUP_AGE_RECIPIENTS"):
        call_command("backup", stdout=StringIO())
    assert list(tmp_path.iterdir()) == []


def test_the_rotation_keeps_7_daily_4_weekly_and_12_monthly(tmp_path):
    now = timezone.now()
    made = []
    for days in range(400):  # a nightly backup for more than a year
        path = tmp_path / archive_name(now - timedelta(days=days))
        path.touch()
        made.append(path)
    other = tmp_path / "notes.txt"
    other.touch()

    plan = rotate(tmp_path)

    kept = set(plan.keep)
    assert kept == {path for path in made if path.exists()}
    assert other.exists()  # not an archive: never removed
    assert set(made[:7]) <= kept  # the last seven days
    dates = [now - timedelta(days=days) for days in range(400)]
    weeks = sorted({date.isocalendar()[:2] for date in dates}, reverse=True)[:4]
    months = sorted({(date.year, date.month) for date in dates}, reverse=True)[:12]
    for week in weeks:
        assert any(date.isocalendar()[:2] == week for date, path in zip(dates, made, strict=True) if path in kept)
    for month in months:
        assert any((date.year, date.month) == month for date, path in zip(dates, made, strict=True) if path in kept)
    assert len(kept) <= 7 + 4 + 12
    assert not made[-1].exists()  # more than a year old
    assert rotate(tmp_path).remove == []  # a second run removes nothing more


def test_a_retention_run_is_recorded(db):
    call_command("retention", "--dry-run", stdout=StringIO())
    assert not MaintenanceRun.objects.exists()
    call_command("retention", stdout=StringIO())
    assert MaintenanceRun.objects.get().kind == MaintenanceKind.RETENTION
