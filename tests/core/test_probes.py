"""/healthz and /readyz: for load balancers, before every guard, without personal data."""

import json
import time

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from veerkracht.core import probes
from veerkracht.core.models import AuditEvent
from veerkracht.core.startup import check_database, migration_state


@pytest.fixture(autouse=True)
def _fresh_migration_memo():
    probes._migrations_ok_until = 0.0


def _ready(client, **extra):
    response = client.get("/readyz", **extra)
    return response.status_code, json.loads(response.content)


def test_healthz_answers_without_touching_the_database(db, client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok")
    assert response["Cache-Control"] == "no-store"


def test_readyz_is_ready_on_a_migrated_database_without_a_worker(db, client):
    assert _ready(client) == (200, {"status": "ok", "checks": {"database": "ok", "migrations": "ok", "worker": "none"}})


def test_readyz_follows_the_worker_heartbeat(db, client):
    probes.worker_heartbeat_beat()
    assert _ready(client)[1]["checks"]["worker"] == "ok"
    probes.worker_heartbeat_beat(now=time.time() - probes.WORKER_STALE_AFTER_S - 1)
    status, body = _ready(client)
    assert (status, body["status"], body["checks"]["worker"]) == (503, "unavailable", "stale")


def test_readyz_refuses_a_database_migrated_by_a_newer_release(db, client):
    MigrationRecorder(connection).record_applied("core", "9999_from_the_future")
    assert migration_state().unknown == [("core", "9999_from_the_future")]
    status, body = _ready(client)
    assert (status, body["checks"]["migrations"]) == (503, "newer_than_code")
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match=r"newer than this release.*core\.9999_from_the_future"):
        check_database()


def test_readyz_reports_unapplied_migrations(db, client):
    MigrationRecorder(connection).migration_qs.filter(app="core").latest("id").delete()
    status, body = _ready(client)
    assert (status, body["checks"]["migrations"]) == (503, "unapplied")


def test_probes_pass_the_host_check_the_https_redirect_and_the_second_factor(db, client, cast, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.TWO_FACTOR_REQUIRED = True
    client.force_login(cast.professional)  # no second factor set up: pages would redirect to its set-up
    for path in ("/healthz", "/readyz"):
        response = client.get(path, HTTP_HOST="10.0.0.7:8000")  # a balancer's own Host, not in ALLOWED_HOSTS
        assert response.status_code == 200, path
    assert client.get("/inloggen/", HTTP_HOST="testserver").status_code == 301  # the redirect is on


def test_probes_write_no_audit_event_and_set_no_cookie(db, client):
    before = AuditEvent.objects.count()
    response = client.get("/readyz")
    assert AuditEvent.objects.count() == before
    assert not response.cookies
