"""NUL characters are refused at the door of the API: PostgreSQL cannot store them in text.

A ``\\u0000`` in a JSON string or ``%00`` in a query reached the database driver, which refuses
it with an error that answered 500. Forms already refuse it (Django's ``CharField`` does, with a
Dutch message on the field); the API now answers 422 naming the field
(docs/adr/0019-input-held-at-the-door.md).
"""

import contextlib
import json
from collections.abc import Callable, Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse

NUL = "\x00"
MESSAGE = "NUL characters (\\u0000) are not allowed"


def _nul_paths(value: Any, path: tuple[Any, ...]) -> Iterator[tuple[Any, ...]]:
    """Where in a parsed JSON document a key or a string holds a NUL character."""
    if isinstance(value, str) and NUL in value:
        yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from ([(*path, key)] if NUL in key else _nul_paths(item, (*path, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nul_paths(item, (*path, index))


def nul_locations(request: HttpRequest) -> list[tuple[Any, ...]]:
    """The query parameters and body fields of a request that hold a NUL character."""
    found = [("query", name) for name, values in request.GET.lists() if NUL in name or any(NUL in v for v in values)]
    if request.content_type == "application/json" and request.body:
        with contextlib.suppress(ValueError):  # not JSON: the API's own parsing answers that
            found += list(_nul_paths(json.loads(request.body), ("body",)))
    return found


class NulCharacterMiddleware:
    """API requests with a NUL character in a query parameter or a JSON field answer 422."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            found = nul_locations(request)
            if found:
                detail = [{"loc": list(loc), "msg": MESSAGE, "type": "value_error"} for loc in found]
                return JsonResponse({"detail": detail}, status=422)
        return self.get_response(request)
