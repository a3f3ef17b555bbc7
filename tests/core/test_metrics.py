"""/metrics for Prometheus: behind a token, with requests, latencies, errors, the queue and maintenance."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from prometheus_client.parser import text_string_to_metric_families

from veerkracht.core.models import MaintenanceKind, MaintenanceRun
from veerkracht.core.probes import worker_heartbeat_beat

TOKEN = "a-long-metrics-token-for-the-test"


@pytest.fixture
def scrape(client, settings):
    settings.METRICS_TOKEN = TOKEN

    def read() -> dict[str, list]:
        response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 200
        samples: dict[str, list] = {}
        for family in text_string_to_metric_families(response.content.decode()):
            for sample in family.samples:
                samples.setdefault(sample.name, []).append(sample)
        return samples

    return read


def _value(samples: dict[str, list], name: str, **labels: str) -> float:
    return sum(sample.value for sample in samples.get(name, []) if labels.items() <= sample.labels.items())


def test_without_a_token_configured_there_are_no_metrics(db, client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404


def test_a_wrong_or_missing_token_is_refused(db, client, settings):
    settings.METRICS_TOKEN = TOKEN
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer guess"}).status_code == 401


def test_requests_latencies_and_errors_are_counted_by_view(db, client, scrape, settings):
    before = scrape()
    client.get("/inloggen/")
    client.get("/bestaat-niet/")
    after = scrape()
    counted = "veerkracht_http_requests_total"
    assert _value(after, counted, view="login", status="200") - _value(before, counted, view="login", status="200") == 1
    assert _value(after, counted, status="404") > _value(before, counted, status="404")
    latency = "veerkracht_http_request_duration_seconds_count"
    assert _value(after, latency, view="login") > _value(before, latency, view="login")
    assert all("/" not in sample.labels.get("view", "") for sample in after[counted])  # names, not paths


def test_the_queue_backups_retention_and_worker_are_reported(db, scrape):
    empty = scrape()
    assert _value(empty, "veerkracht_database_up") == 1
    assert _value(empty, "veerkracht_task_queue_length") == 0
    assert _value(empty, "veerkracht_last_backup_timestamp_seconds") == 0

    now = timezone.now()
    for minutes in (30, 5):
        result = DBTaskResult.objects.create(
            args_kwargs={"args": [], "kwargs": {}},
            task_path="veerkracht.core.tasks.execute",
            backend_name="default",
            run_after=now,
        )
        DBTaskResult.objects.filter(pk=result.pk).update(enqueued_at=now - timedelta(minutes=minutes))
    MaintenanceRun.objects.create(kind=MaintenanceKind.BACKUP, finished_at=now - timedelta(hours=3))
    MaintenanceRun.objects.create(kind=MaintenanceKind.BACKUP, finished_at=now - timedelta(hours=1))
    MaintenanceRun.objects.create(kind=MaintenanceKind.RETENTION, finished_at=now - timedelta(hours=2))
    worker_heartbeat_beat()

    samples = scrape()
    assert _value(samples, "veerkracht_task_queue_length") == 2
    assert _value(samples, "veerkracht_task_queue_oldest_age_seconds") == pytest.approx(30 * 60, abs=5)
    backup = _value(samples, "veerkracht_last_backup_timestamp_seconds")
    assert backup == pytest.approx((now - timedelta(hours=1)).timestamp(), abs=1)
    retention = _value(samples, "veerkracht_last_retention_timestamp_seconds")
    assert retention == pytest.approx((now - timedelta(hours=2)).timestamp(), abs=1)
    assert _value(samples, "veerkracht_worker_heartbeat_timestamp_seconds") > 0


def test_the_metrics_pass_the_host_check_and_the_https_redirect(db, client, settings):
    settings.METRICS_TOKEN = TOKEN
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/metrics", HTTP_HOST="10.0.0.7:8000", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200


def _database_url() -> str:
    from django.db import connection

    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings_dict['NAME']}"
    user, password = settings_dict["USER"], settings_dict["PASSWORD"]
    host, port = settings_dict["HOST"] or "127.0.0.1", settings_dict["PORT"] or 5432
    return f"postgres://{user}:{password}@{host}:{port}/{settings_dict['NAME']}"


@pytest.mark.real_clock
def test_a_scrape_adds_up_the_counters_of_every_gunicorn_worker(transactional_db, tmp_path):
    """The real server with two worker processes: requests answered by either are counted once."""
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request
    from pathlib import Path

    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    env = {
        **{key: value for key, value in os.environ.items() if key not in ("VEERKRACHT_TESTING", "DATABASE_URL")},
        "DEBUG": "1",  # static files from the apps: no collectstatic needed for this test
        "METRICS_TOKEN": TOKEN,
        "VEERKRACHT_VAR_DIR": str(tmp_path),
        "DATABASE_URL": _database_url(),
    }
    veerkracht = str(Path(sys.executable).with_name("veerkracht"))
    server = subprocess.Popen(  # noqa: S603 (our own command)
        [veerkracht, "serve", "--no-task-worker", "--workers", "2", "--threads", "1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)  # noqa: S310 (our own local server)
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.5)
        for _ in range(12):
            urllib.request.urlopen(f"{base}/inloggen/", timeout=10)  # noqa: S310
        request = urllib.request.Request(f"{base}/metrics", headers={"Authorization": f"Bearer {TOKEN}"})  # noqa: S310
        body = urllib.request.urlopen(request, timeout=10).read().decode()  # noqa: S310
    finally:
        server.terminate()
        server.wait(timeout=30)
    samples: dict[str, list] = {}
    for family in text_string_to_metric_families(body):
        for sample in family.samples:
            samples.setdefault(sample.name, []).append(sample)
    assert _value(samples, "veerkracht_http_requests_total", view="login", status="200") == 12
    assert len(list((tmp_path / "metrics").glob("counter_*.db"))) >= 1
