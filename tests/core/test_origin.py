"""Where an audited action came from: the request's id and address from the middleware, none for background work.

Services and selectors take the acting user, never the HttpRequest (docs/architecture.md,
"Architecture"); the audit reads the origin that core/logs.py's middleware sets per request.
"""

import importlib
import inspect
import pkgutil
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

import veerkracht
from tests.conftest import Cast
from veerkracht.contacts.services import contact_log
from veerkracht.core import tasks
from veerkracht.core.audit import audit_record
from veerkracht.core.models import AuditAction, AuditEvent, TaskRun, TaskStatus
from veerkracht.core.origin import Origin, current_origin, origin_set

# The edge, which may take the request: pages, API operations, middleware, forms.
EDGE = ("views", "api", "urls", "middleware", "forms", "feeds", "reset", "context_processors", "jinja")
EXEMPT = {
    "veerkracht.core.origin",  # makes the origin of a request
    "veerkracht.core.signals",  # Django's sign-in signals hand a request over; it is not passed on
    "veerkracht.core.gate",  # the edge's own check of a page's capability
}


def _events_since(before: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(pk__gt=before).order_by("pk"))


def _last_pk() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_an_audited_write_through_a_page_records_the_address_and_the_request_id(cast: Cast, client):
    client.force_login(cast.professional)
    before = _last_pk()
    response = client.post(
        reverse("contacts:log", args=[cast.resident_north.pk]),
        {"channel": "phone", "duration_minutes": "5", "idempotency_key": "origin-1"},
        headers={"X-Request-ID": "proxy-origin-12345", "HX-Request": "true"},
        REMOTE_ADDR="192.0.2.44",
    )
    assert response.status_code == 200
    events = _events_since(before)
    written = [event for event in events if event.action == AuditAction.UPDATE]
    assert written, "logging a contact is audited"
    assert {(event.request_id, event.address()) for event in events} == {("proxy-origin-12345", "192.0.2.44")}
    assert current_origin() is None  # put back when the request ended


def test_an_audited_write_through_the_api_records_its_request_id(cast: Cast, api_as):
    api = api_as("professional")
    before = _last_pk()
    response = api.client.post(
        "/api/v1/contacts",
        {
            "resident_ids": [cast.resident_north.pk],
            "channel": "phone",
            "duration_minutes": 5,
            "started_at": timezone.now().isoformat(),
        },
        content_type="application/json",
        headers={**api.headers, "X-Request-ID": "api-origin-12345"},
        REMOTE_ADDR="192.0.2.45",
    )
    assert response.status_code == 201, response.content
    events = _events_since(before)
    assert events
    assert {(event.request_id, event.address()) for event in events} == {("api-origin-12345", "192.0.2.45")}


def test_a_service_called_without_a_request_records_no_origin(cast: Cast):
    """The CLI and background runs call services directly: no address, no request id."""
    before = _last_pk()
    contact_log(
        by=cast.professional,
        resident_ids=[cast.resident_north.pk],
        channel="phone",
        duration_minutes=5,
        started_at=timezone.now(),
    )
    events = _events_since(before)
    assert events
    assert {(event.request_id, event.ip_digest, event.address()) for event in events} == {("", "", None)}


def test_a_background_run_queued_inside_a_request_records_no_origin(cast: Cast):
    """Tests run tasks at once, inside the request that queues them; the run is background work all the same."""

    def body(run: TaskRun, report: Any) -> dict[str, Any]:
        audit_record(action=AuditAction.UPDATE, actor=None, organisation=run.organisation, object_type="tests.run")
        return {}

    before = _last_pk()
    with (
        tasks.bodies.overriding({"tests.origin": body}),
        origin_set(Origin(request_id="queued-by-12345", client_ip="192.0.2.46")),
    ):
        run = tasks.task_run_queue(kind="tests.origin", organisation=cast.organisation, by=None, params={})
        assert current_origin() is not None  # the request's own origin is back after the run
    assert run.status == TaskStatus.DONE
    [event] = [event for event in _events_since(before) if event.object_type == "tests.run"]
    assert (event.request_id, event.ip_digest) == ("", "")


def _service_like_modules() -> list[str]:
    """Every services and selectors module, and every other module outside the edge that audits or acts for a user."""
    names = []
    for info in pkgutil.walk_packages(veerkracht.__path__, "veerkracht."):
        parts = info.name.split(".")
        last = parts[-1]
        if info.ispkg or len(parts) < 3 or "migrations" in parts or info.name in EXEMPT:
            continue
        if last in EDGE or last.endswith(("_views", "_api")) or last.startswith("api_"):
            continue
        source = inspect.getsource(importlib.import_module(info.name))
        writes = "veerkracht.core.audit import" in source or "by: User" in source  # audits, or acts for a user
        if last in ("services", "selectors") or writes:
            names.append(info.name)
    return names


def test_no_service_or_selector_takes_the_http_request():
    """Every function outside the edge takes the acting user: the request stays in views, the API and middleware."""
    offenders = []
    modules = _service_like_modules()
    assert {"veerkracht.contacts.services", "veerkracht.people.selectors", "veerkracht.messaging.videocalls"} <= set(
        modules
    )
    for name in modules:
        module = importlib.import_module(name)
        for function_name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != name:
                continue
            for parameter in inspect.signature(function).parameters.values():
                annotation = str(parameter.annotation)
                if parameter.name == "request" or "HttpRequest" in annotation or parameter.annotation is HttpRequest:
                    offenders.append(f"{name}.{function_name}({parameter.name})")
    assert offenders == [], "\n".join(offenders)
