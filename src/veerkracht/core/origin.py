"""Where the work being done came from, as the audit records it: the request's id and the caller's address.

Services and selectors take the acting user, never the ``HttpRequest``: the audit reads the origin
of the work from this context instead. ``RequestLogMiddleware`` (core/logs.py) sets it for every
request, the API's included, and puts back what was there when the request ends. Background runs
and the CLI have no request, so the context is empty there and the audit records no address and
no request id; a run executed inside a request (the test settings run tasks at once) is emptied
explicitly by ``no_origin``, so it is recorded as the background work it is.
"""

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class Origin:
    """The request a piece of work serves: its id (as in the log lines and the X-Request-ID header)
    and the caller's address."""

    request_id: str
    client_ip: str | None


def client_ip(request: HttpRequest | None) -> str | None:
    """The caller's address as the server saw it (a trusted proxy sets REMOTE_ADDR)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def origin_of(request: HttpRequest, request_id: str) -> Origin:
    return Origin(request_id=request_id, client_ip=client_ip(request))


_origin: ContextVar[Origin | None] = ContextVar("veerkracht_origin", default=None)


def current_origin() -> Origin | None:
    """The request being served, or None in a background run, the CLI or a test that calls a service directly."""
    return _origin.get()


@contextmanager
def origin_set(origin: Origin | None) -> Iterator[None]:
    """Serve a block for ``origin`` (None: no request), then put back what was set before."""
    token = _origin.set(origin)
    try:
        yield
    finally:
        _origin.reset(token)


def no_origin() -> AbstractContextManager[None]:
    """A block that runs as background work even when a request started it."""
    return origin_set(None)
