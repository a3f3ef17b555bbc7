"""Reads that may lag go to the replica when DATABASE_REPLICA_URL is set; everything else to default."""

import os
import subprocess
import sys
from typing import Any, ClassVar

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.test import override_settings

from tests.conftest import Cast
from veerkracht.contacts.models import Contact
from veerkracht.core.models import User
from veerkracht.core.replica import REPLICA, ReplicaRouter, lagging_reads

# Never opened: the recording router below lets the test database answer; on SQLite there is no
# row-level security to tell the replica, so lagging_reads() does not connect to it either.
WITH_REPLICA = {
    **settings.DATABASES,
    REPLICA: {**settings.DATABASES["default"], "ENGINE": "django.db.backends.sqlite3", "NAME": "replica-not-opened"},
}


def test_without_a_replica_every_read_goes_to_default() -> None:
    router = ReplicaRouter()
    with lagging_reads():
        assert router.db_for_read(Contact) == DEFAULT_DB_ALIAS
    assert router.db_for_read(Contact) == DEFAULT_DB_ALIAS


@override_settings(DATABASES=WITH_REPLICA)
def test_with_a_replica_only_lagging_reads_go_there() -> None:
    router = ReplicaRouter()
    assert router.db_for_read(Contact) == DEFAULT_DB_ALIAS
    with lagging_reads():
        assert router.db_for_read(Contact) == REPLICA
        assert router.db_for_read(User) == REPLICA
        # Writes never: a standby is read-only, and the user must see what they saved.
        assert router.db_for_write(Contact) == DEFAULT_DB_ALIAS
        with lagging_reads():  # nested blocks keep the outer one's choice
            assert router.db_for_read(Contact) == REPLICA
        assert router.db_for_read(Contact) == REPLICA
    assert router.db_for_read(Contact) == DEFAULT_DB_ALIAS
    assert router.allow_migrate(REPLICA, "contacts") is False
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "contacts") is True


class _Recording(ReplicaRouter):
    """Notes where the replica router would send each read, and lets this test database answer them all."""

    seen: ClassVar[list[tuple[str, str]]] = []

    def db_for_read(self, model: type[Any], **hints: Any) -> str:
        self.seen.append((model._meta.label, super().db_for_read(model, **hints)))
        return DEFAULT_DB_ALIAS


@pytest.mark.django_db
def test_the_dashboard_and_its_export_read_their_figures_from_the_replica(cast: Cast, client: Any) -> None:
    client.force_login(cast.coordinator)
    _Recording.seen.clear()
    with override_settings(DATABASES=WITH_REPLICA, DATABASE_ROUTERS=[f"{__name__}._Recording"]):
        assert client.get("/inzicht/").status_code == 200
        assert client.get("/inzicht/export/channel_mix.csv").status_code == 200
    replica_reads = {label for label, alias in _Recording.seen if alias == REPLICA}
    default_reads = {label for label, alias in _Recording.seen if alias == DEFAULT_DB_ALIAS}
    assert {"insights.ContactMonthly", "help.HelpRequest"} <= replica_reads  # the figures
    # The signed-in user is read before the figures, from the primary (sign-in never lags).
    assert "core.User" in default_reads


def _settings_of(**env: str) -> str:
    without_replica = {k: v for k, v in os.environ.items() if k != "DATABASE_REPLICA_URL"}
    code = "from django.conf import settings as s; print(sorted(s.DATABASES), s.DATABASE_ROUTERS)"
    run = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", "import django; django.setup(); " + code],
        env={**without_replica, "DJANGO_SETTINGS_MODULE": "veerkracht.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return run.stdout.strip()


def test_the_variable_adds_the_replica_and_its_router() -> None:
    assert _settings_of() == "['default'] []"
    with_replica = _settings_of(DATABASE_REPLICA_URL="postgres://reader@10.0.0.2:5433/veerkracht")
    assert with_replica == "['default', 'replica'] ['veerkracht.core.replica.ReplicaRouter']"
