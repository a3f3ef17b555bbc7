"""Prometheus metrics at ``/metrics``, for a Prometheus that sends ``Authorization: Bearer METRICS_TOKEN``.

Without ``METRICS_TOKEN`` the endpoint does not exist (404). It is answered before the host check
and the HTTPS redirect (core/probes.py), so Prometheus can scrape each server directly on its
private address; the reverse proxy refuses ``/metrics`` from outside (deploy/nginx.conf).

- Per request (core/logs.py measures them): ``veerkracht_http_requests_total`` by method, view
  and status, and ``veerkracht_http_request_duration_seconds``. Errors are the 5xx statuses.
- Read from the database at each scrape: the task queue's length and the age of its oldest job,
  the last successful backup and retention run, and the task worker's last heartbeat.

Labels are view names and status codes: never a path with an id in it, never anything personal.
Under gunicorn every worker process counts for itself; ``veerkracht serve`` sets
``PROMETHEUS_MULTIPROC_DIR`` so that a scrape adds them up (prometheus_client's multiprocess mode).
"""

import hmac
import os
from collections.abc import Iterator

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.db.models import Min
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from veerkracht.core.models import MaintenanceKind, MaintenanceRun

# The background worker's last sign of life (probes.worker_heartbeat_beat): /readyz and /metrics read it.
WORKER_HEARTBEAT_KEY = "veerkracht:worker-heartbeat"

REQUESTS = Counter(
    "veerkracht_http_requests", "HTTP requests answered, by method, view and status", ["method", "view", "status"]
)
LATENCY = Histogram(
    "veerkracht_http_request_duration_seconds",
    "Time to answer a request, by view",
    ["view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


def observe_request(method: str, view: str | None, status: int, seconds: float) -> None:
    view = view or "unmatched"
    REQUESTS.labels(method=method, view=view, status=str(status)).inc()
    LATENCY.labels(view=view).observe(seconds)


class DatabaseCollector(Collector):
    """Figures read at scrape time from the database every server shares."""

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("veerkracht_database_up", "1 when the database answered this scrape")
        try:
            queued = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
            oldest = queued.aggregate(oldest=Min("enqueued_at"))["oldest"]
            latest = {
                kind: MaintenanceRun.objects.filter(kind=kind).order_by("-finished_at").first()
                for kind in MaintenanceKind.values
            }
            count = queued.count()
        except DatabaseError:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield GaugeMetricFamily("veerkracht_task_queue_length", "Jobs waiting for a worker", value=count)
        age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
        yield GaugeMetricFamily("veerkracht_task_queue_oldest_age_seconds", "Age of the oldest waiting job", value=age)
        for kind, run in latest.items():
            yield GaugeMetricFamily(
                f"veerkracht_last_{kind}_timestamp_seconds",
                f"When the last successful {kind} finished (Unix time; 0: never)",
                value=run.finished_at.timestamp() if run else 0.0,
            )
        try:
            beat = cache.get(WORKER_HEARTBEAT_KEY)
        except DatabaseError:  # the cache table is missing: `veerkracht prepare` creates it
            return
        yield GaugeMetricFamily(
            "veerkracht_worker_heartbeat_timestamp_seconds",
            "When a task worker last reported (Unix time; 0: never)",
            value=float(beat) if beat is not None else 0.0,
        )


def _scrape_registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]  # every gunicorn worker's counters, added up
    else:
        registry.register(REQUESTS)  # this process's own counters
        registry.register(LATENCY)
    registry.register(DatabaseCollector())
    return registry


def metrics(request: HttpRequest) -> HttpResponse:
    token = settings.METRICS_TOKEN
    if not token:
        return HttpResponse("Not Found", status=404, content_type="text/plain")
    offered = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(offered.encode(), token.encode()):
        response = HttpResponse("Unauthorized", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    response = HttpResponse(generate_latest(_scrape_registry()), content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response
