"""Health probes for load balancers and orchestrators: ``/healthz`` (alive) and ``/readyz`` (ready);
``/metrics`` for Prometheus (core/metrics.py) is answered at the same place.

They are answered by the first middleware, before sessions, host validation, the HTTPS redirect and
the second-factor guard: a load balancer asks over plain HTTP with its own Host header, and a probe
must neither touch a session nor write an audit event. They say nothing about people, only whether
the parts this server needs answer.

- ``/healthz``: the process answers requests. It never touches the database, so a database outage
  does not make an orchestrator restart healthy processes.
- ``/readyz``: this server can do its work: the database answers, every migration the code knows is
  applied and none it does not know, and, once a task worker has ever reported, a worker reported
  recently. 503 otherwise, with the failing check named.
"""

import time
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse

from veerkracht.core.metrics import WORKER_HEARTBEAT_KEY, metrics
from veerkracht.core.startup import migration_state

WORKER_HEARTBEAT_EVERY_S = 30
# Three missed beats: a worker busy in one long task still beats (the beat is its own thread).
WORKER_STALE_AFTER_S = 3 * WORKER_HEARTBEAT_EVERY_S + 10
_MIGRATIONS_OK_FOR_S = 60.0  # reading the migration files costs ~0.1 s: a good answer is kept a minute
_migrations_ok_until = 0.0


def worker_heartbeat_beat(now: float | None = None) -> None:
    """Note that a task worker is alive, in the shared cache (every server reads the same)."""
    cache.set(WORKER_HEARTBEAT_KEY, time.time() if now is None else now, timeout=None)


def _database() -> str:
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def _migrations() -> str:
    global _migrations_ok_until  # one process-wide memo
    if time.monotonic() < _migrations_ok_until:
        return "ok"
    state = migration_state()
    if state.unapplied:
        return "unapplied"
    if state.unknown:
        return "newer_than_code"
    _migrations_ok_until = time.monotonic() + _MIGRATIONS_OK_FOR_S
    return "ok"


def _worker() -> str:
    beat = cache.get(WORKER_HEARTBEAT_KEY)
    if beat is None:
        return "none"  # no worker has ever reported (e.g. a web-only test set-up): not a failure
    return "ok" if time.time() - float(beat) <= WORKER_STALE_AFTER_S else "stale"


def readiness() -> dict[str, str]:
    """Each check's answer; "ok" (or "none" for the worker) means ready."""
    checks: dict[str, str] = {}
    try:
        checks["database"] = _database()
        checks["migrations"] = _migrations()
    except DatabaseError as error:  # the class only: the message may quote SQL
        checks.setdefault("database", f"unavailable ({type(error).__name__})")
        checks.setdefault("migrations", "unknown")
        for connection in connections.all(initialized_only=True):
            connection.close_if_unusable_or_obsolete()
    try:
        checks["worker"] = _worker()
    except DatabaseError as error:  # the database cache's table is missing or unreachable
        checks["worker"] = f"unknown ({type(error).__name__})"
    return checks


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def healthz(request: HttpRequest) -> HttpResponse:
    """Alive: the process answers. Nothing else is checked."""
    return _no_store(HttpResponse("ok", content_type="text/plain"))


def readyz(request: HttpRequest) -> HttpResponse:
    checks = readiness()
    ready = all(value in ("ok", "none") for value in checks.values())
    body: dict[str, Any] = {"status": "ok" if ready else "unavailable", "checks": checks}
    return _no_store(JsonResponse(body, status=200 if ready else 503))


class HealthProbeMiddleware:
    """First in MIDDLEWARE: answers the probes before anything needs a host, a session or HTTPS."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("GET", "HEAD"):
            if request.path_info == "/healthz":
                return healthz(request)
            if request.path_info == "/readyz":
                return readyz(request)
            if request.path_info == "/metrics":
                return metrics(request)
        return self.get_response(request)
