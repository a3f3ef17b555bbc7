"""``veerkracht prepare``: one command that readies or upgrades an installation."""

import os
import sqlite3
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

VEERKRACHT = str(Path(sys.executable).with_name("veerkracht"))
PRODUCTION = {
    "SECRET_KEY": "a-long-production-secret-with-enough-different-characters-0123456789",
    "ALLOWED_HOSTS": "veerkracht.example.nl",
}


def _production(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    test_only = {"DEBUG", "VEERKRACHT_TESTING", "SECRET_KEY", "DEMO_MODE", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}
    clean = {key: value for key, value in os.environ.items() if key not in test_only}
    return subprocess.run(  # noqa: S603 (our own command, fixed arguments)
        [VEERKRACHT, *args],
        env={**clean, **PRODUCTION, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(autouse=True)
def _without_the_browser_checks_variable(settings) -> None:
    """The deployment checks in this process, as on a server: not failed by DJANGO_ALLOW_ASYNC_UNSAFE,
    which tests/browser/conftest.py sets for the rest of its process (Playwright keeps an event loop
    running in the test's thread) and which a server never has. The processes here run without it."""
    if os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE"):
        settings.SILENCED_SYSTEM_CHECKS = [*settings.SILENCED_SYSTEM_CHECKS, "async.E001"]


def _applied(path: Path) -> int:
    with sqlite3.connect(path) as database:
        tables = {row[0] for row in database.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "django_migrations" not in tables:
            return 0
        return int(database.execute("SELECT COUNT(*) FROM django_migrations").fetchone()[0])


def test_prepare_on_a_migrated_database_runs_every_step(db, settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    out = StringIO()
    call_command("prepare", stdout=out)
    text = out.getvalue()
    for step in ("not newer", "Applying migrations", "Collecting static", "check --deploy", "as the server will"):
        assert step in text
    assert "Ready" in text
    assert (tmp_path / "static" / "veerkracht" / "site.css").is_file()


def test_prepare_refuses_a_database_newer_than_the_code(db, settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    MigrationRecorder(connection).record_applied("contacts", "9999_from_a_newer_release")
    with pytest.raises(CommandError, match=r"newer than this release.*contacts\.9999_from_a_newer_release"):
        call_command("prepare", stdout=StringIO())
    assert not (tmp_path / "static").exists(), "nothing is changed on a database that is too new"


def test_prepare_fails_on_a_deployment_warning_in_production(db, settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.LOCAL_HTTP = False
    settings.SECURE_HSTS_SECONDS = 0  # what a careless production configuration would give
    with pytest.raises(CommandError, match=r"security\.W004"):
        call_command("prepare", "--skip-static", stdout=StringIO())


@pytest.mark.real_clock
def test_prepare_migrates_as_the_owner_role_and_the_result_serves(tmp_path):
    """Production settings, in a process of its own. The application's URL and the owner's URL
    point at different databases, so where the migrations land shows which role ran them."""
    application, owner = tmp_path / "application.sqlite3", tmp_path / "owner.sqlite3"
    env = {"VEERKRACHT_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{application}"}
    split = _production("prepare", "--skip-static", **env, DATABASE_OWNER_URL=f"sqlite:///{owner}")
    assert _applied(owner) > 50, split.stdout + split.stderr
    assert _applied(application) == 0
    assert split.returncode != 0
    assert "not up to date: run `veerkracht prepare`" in split.stderr  # the application role's database

    # One role (no owner URL): the same command readies the database, static files included.
    env["DATABASE_URL"] = f"sqlite:///{owner}"
    ready = _production("prepare", **env)
    assert ready.returncode == 0, ready.stdout + ready.stderr
    assert "Ready" in ready.stdout
    assert (tmp_path / "static" / "staticfiles.json").is_file()  # the manifest whitenoise serves from
    again = _production("prepare", "--skip-static", **env)
    assert again.returncode == 0, again.stdout + again.stderr
