"""The organisation a piece of work runs for, told to PostgreSQL for its row-level security.

The application scopes every query itself (``access.within_organisation``); on PostgreSQL the
tables with residents' data also carry policies keyed on the session setting
``veerkracht.organisation`` (migration core 0009, docs/adr/0012-row-level-security.md), so a
forgotten filter returns nothing instead of another organisation's rows. Requests of a signed-in
user, API calls with a token and background runs each set it; it is cleared when they end,
because connections are reused.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import InterfaceError, OperationalError, connection
from django.db.backends.signals import connection_created
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

SETTING = "veerkracht.organisation"


@receiver(connection_created)
def _fresh_connection(sender: Any, connection: Any, **kwargs: Any) -> None:
    """A new connection starts without the setting: forget what the previous one had."""
    connection.veerkracht_organisation = None


def _current() -> int | None:
    if connection.connection is None:  # closed (or never opened): the next one starts without it
        return None
    return getattr(connection, "veerkracht_organisation", None)


def organisation_set(organisation_id: int | None) -> None:
    """Set (or, with None, clear) the organisation on this connection; nothing on SQLite."""
    if connection.vendor != "postgresql" or organisation_id == _current():
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, false)", [SETTING, str(organisation_id or "")])
    connection.veerkracht_organisation = organisation_id  # type: ignore[attr-defined]


@contextmanager
def organisation_context(organisation_id: int | None) -> Iterator[None]:
    """Run a block for one organisation, then put back what was set before (a task inside a request)."""
    previous = _current()
    organisation_set(organisation_id)
    try:
        yield
    finally:
        organisation_set(previous)


class TenantMiddleware:
    """The signed-in user's organisation for the whole request; cleared at its end.

    API requests authenticate later, with a token: ``BearerToken`` sets it then.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            organisation_set(getattr(user, "organisation_id", None))
        try:
            return self.get_response(request)
        finally:
            _clear()


def _clear() -> None:
    """Clear the setting; a connection that cannot even do that (the database went away) is closed.

    Closing it means the next request opens a fresh connection, without the setting, instead of
    failing on the dead one until the server is restarted.
    """
    try:
        organisation_set(None)
    except (OperationalError, InterfaceError):
        connection.close()
