"""Log lines as JSON, one per line, each carrying the request it belongs to.

``RequestLogMiddleware`` gives every request an id (the proxy's ``X-Request-ID`` when it is a
plain token, a fresh one otherwise), returns it in the response header, and writes one line per
request: method, the route *pattern* (``bewoners/<int:pk>/``, never the query string), status,
duration, user id and organisation id. ``JsonFormatter`` (core/logformat.py) adds the request id,
user id and organisation id of the request being served to every other line logged meanwhile.

What is never logged: request bodies, query strings, SQL parameters (``django.db.backends`` is
kept at WARNING in settings), exception messages of database errors (they may quote SQL). Log
calls elsewhere pass ids and class names only; tests/core/test_log_privacy.py sends a marker
through every write of the API and finds it in no line.
"""

import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse

from veerkracht.core.logformat import log_context
from veerkracht.core.metrics import observe_request
from veerkracht.core.origin import origin_of, origin_set

logger = logging.getLogger("veerkracht.request")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def _user_ids(request: HttpRequest) -> tuple[int | None, int | None]:
    try:
        user = getattr(request, "user", None)
        if user is None or not getattr(user, "is_authenticated", False):
            return None, None
    except DatabaseError:  # the user was never read (the database is down): the request is logged all the same
        return None, None
    return user.pk, getattr(user, "organisation_id", None)


class RequestLogMiddleware:
    """Second in MIDDLEWARE (after the health probes): times the whole request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        offered = request.headers.get("X-Request-ID", "")
        request_id = offered if _REQUEST_ID.match(offered) else uuid.uuid4().hex
        context: dict[str, Any] = {"request_id": request_id}
        token = log_context.set(context)
        started = time.perf_counter()
        try:
            # The audit records the same id, and the caller's address, from here (core/origin.py).
            with origin_set(origin_of(request, request_id)):
                response = self.get_response(request)
        finally:
            log_context.reset(token)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        # As noted when the user became known (never read here: that could reach a database that is down).
        user_id, organisation_id = context.get("user_id"), context.get("organisation_id")
        match = getattr(request, "resolver_match", None)
        route = f"/{match.route}" if match else "(no route)"
        logger.info(
            "%s %s %s %sms",
            request.method,
            route,
            response.status_code,
            duration_ms,
            extra={
                "request_id": request_id,
                "user_id": user_id,
                "organisation_id": organisation_id,
                "method": request.method,
                "route": match.route if match else None,
                "view": match.view_name if match else None,
                "status": response.status_code,
                "duration_ms": duration_ms,
            },
        )
        response["X-Request-ID"] = request_id
        view = match.view_name if match else None
        observe_request(request.method or "", view, response.status_code, duration_ms / 1000)
        return response


def note_user(request: HttpRequest) -> None:
    """Called once the user is known, so lines logged during the view carry the user's ids."""
    context = log_context.get()
    if context is not None:
        context["user_id"], context["organisation_id"] = _user_ids(request)


class UserContextMiddleware:
    """After authentication: puts the signed-in user's ids into the log context of this request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        note_user(request)
        return self.get_response(request)
