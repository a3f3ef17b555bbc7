"""A database outage answers 503 "try again shortly", and the next request finds the database again.

While PostgreSQL restarts (or its connection is cut) every query raises ``OperationalError`` or
``InterfaceError``. Instead of a 500 with a traceback we answer 503 with ``Retry-After``: a short
Dutch page, or ``{"detail": ...}`` under /api/. The broken connection is closed at once, so the
same server process opens a fresh one on its next request; no restart is needed. Writes run in
transactions, so a write cut off by the outage leaves nothing behind.

Errors can surface in a view (``DatabaseUnavailableMiddleware.process_exception``), in a
middleware that reads the session or the user before any view runs (Django turns those into its
500 handler: ``server_error``), or inside the API (``api_database_unavailable``).
"""

import logging
import sys
from collections.abc import Callable

from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from veerkracht.core.errors import server_error as styled_server_error
from veerkracht.core.errors import shell_without_database

logger = logging.getLogger(__name__)

OUTAGE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_S = 5  # a restart of PostgreSQL takes a few seconds


def is_outage(error: BaseException) -> bool:
    """True for errors that mean "the database cannot be reached", not "this query is wrong"."""
    return isinstance(error, OUTAGE_ERRORS)


def discard_broken_connections() -> None:
    """Close every connection that saw an error, so the next query connects afresh."""
    for connection in connections.all(initialized_only=True):
        if connection.errors_occurred:
            try:
                connection.close()
            except DatabaseError:  # closing a dead socket may complain; it is closed all the same
                connection.connection = None


def unavailable_response(request: HttpRequest, error: BaseException) -> HttpResponse:
    """503 with Retry-After: JSON for the API, a page (rendered without touching the database) else."""
    discard_broken_connections()
    # The exception's text may quote SQL: only its class goes to the log.
    logger.warning("database unavailable: %s on %s %s", type(error).__name__, request.method, request.path)
    response: HttpResponse
    if request.path.startswith("/api/"):
        message = _("The service is briefly unavailable. Try again in a few seconds.")
        response = JsonResponse({"detail": message}, status=503)
    else:
        response = HttpResponse(
            loader.render_to_string("core/unavailable.html", shell_without_database(request)), status=503
        )
    response["Retry-After"] = str(RETRY_AFTER_S)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Turns a database outage raised by a view into a clean 503."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return unavailable_response(request, exception) if is_outage(exception) else None


class OutageLogFilter(logging.Filter):
    """Drops Django's "Service Unavailable" error with its traceback: ``unavailable_response`` logged one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        return getattr(record, "status_code", None) != 503


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """Django's 500 handler, except that a database outage (often met in a middleware) answers 503."""
    error = sys.exc_info()[1]
    if error is not None and is_outage(error):
        return unavailable_response(request, error)
    return styled_server_error(request)
