"""The organisation a piece of work runs for, told to PostgreSQL for its row-level security.

The application scopes every query itself (``access.within_organisation``); on PostgreSQL every
table with an organisation's data also carries policies keyed on the session setting
``veerkracht.organisation`` (``core.dbroles``, docs/adr/0017-row-level-security-everywhere.md),
so a forgotten filter returns nothing instead of another organisation's rows. Requests of a
signed-in user, API calls with a token and background runs each set it; anonymous requests run
with it unset. A background process between runs sets ``ALL`` (``every_organisation``). Each
puts back what was there when it ends, because connections are reused.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import InterfaceError, OperationalError, connection
from django.db.backends.signals import connection_created
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

from veerkracht.core.dbroles import ALL, SETTING

Scope = int | str | None  # an organisation's id, ALL, or None (nothing set)
_process_scope: Scope = None  # what a new connection of this process starts with


@receiver(connection_created)
def _fresh_connection(sender: Any, connection: Any, **kwargs: Any) -> None:
    """A new connection starts without the setting, or with the process's (a background worker)."""
    connection.veerkracht_organisation = None
    if _process_scope is not None and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, %s, false)", [SETTING, str(_process_scope)])
        connection.veerkracht_organisation = _process_scope


def _current() -> Scope:
    if connection.connection is None:  # closed (or never opened): the next one starts with the process's
        return _process_scope
    return getattr(connection, "veerkracht_organisation", None)


def current_scope() -> Scope:
    """What this connection works for now (what a second connection, such as the replica's, must be told)."""
    return _current()


def organisation_set(organisation_id: Scope) -> None:
    """Set the organisation (an id, ``ALL``, or None for nothing) on this connection; nothing on SQLite."""
    if organisation_id not in (None, ALL) and not isinstance(organisation_id, int):
        raise ValueError("an organisation's id, ALL or None")
    if connection.vendor != "postgresql" or organisation_id == _current():
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, false)", [SETTING, str(organisation_id or "")])
    connection.veerkracht_organisation = organisation_id  # type: ignore[attr-defined]


def every_organisation_process() -> None:
    """This process works for every organisation between runs (the task worker): now and on new connections."""
    global _process_scope  # one value per process, set once at its start
    _process_scope = ALL
    if connection.connection is not None:
        # Set it whatever we remember: a rolled-back transaction takes its settings with it.
        connection.veerkracht_organisation = None  # type: ignore[attr-defined]
    organisation_set(ALL)


@contextmanager
def organisation_context(organisation_id: Scope) -> Iterator[None]:
    """Run a block for one organisation, then put back what was set before (a task inside a request)."""
    previous = _current()
    organisation_set(organisation_id)
    try:
        yield
    finally:
        organisation_set(previous)


@contextmanager
def as_anonymous() -> Iterator[None]:
    """Public work (registering by name and phone, a registration's or a survey's secret link) is
    the same for everyone: it runs as an anonymous request does, whoever is signed in, and then
    ``acting_for`` the organisation it concerns."""
    with organisation_context(None):
        yield


@contextmanager
def acting_for(organisation_id: int | None) -> Iterator[None]:
    """Anonymous work on one organisation's public object (a registration for its activity, its
    survey, a volunteer sign-up) is done for that organisation: what it writes is held to it, and
    it sees nothing of others. A signed-in request, a run or the worker keeps what it has."""
    if _current() is None and organisation_id is not None:
        with organisation_context(organisation_id):
            yield
    else:
        yield


class TenantMiddleware:
    """The signed-in user's organisation for the whole request (nothing for anonymous ones); put back at its end.

    API requests authenticate later, with a token: ``BearerToken`` sets it then. A request never
    runs with ``ALL``, also not in a test whose own code does.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        previous = _current()
        user = request.user
        try:
            organisation_set(getattr(user, "organisation_id", None) if user.is_authenticated else None)
        except (OperationalError, InterfaceError):
            connection.close()  # the database is away: the view meets it too and answers 503
        try:
            return self.get_response(request)
        finally:
            _restore(previous)


def _restore(previous: Scope) -> None:
    """Put the setting back; a connection that cannot even do that (the database went away) is closed.

    Closing it means the next request opens a fresh connection, without the setting, instead of
    failing on the dead one until the server is restarted.
    """
    try:
        organisation_set(previous)
    except (OperationalError, InterfaceError):
        connection.close()
