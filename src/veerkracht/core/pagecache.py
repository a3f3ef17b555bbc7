"""Pages that are expensive to draw and the same for a while: kept briefly per session.

Only for pages without reads of a resident (nothing to audit) and without personal data beyond
what the same session already saw: the copy is keyed on the session, so no one else gets it.
"""

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils import translation

CACHE = "pages"


def _key(request: HttpRequest, name: str) -> str | None:
    session_key = getattr(request, "session", None) and request.session.session_key
    if not session_key or not request.user.is_authenticated:
        return None
    raw = "|".join([name, str(request.user.pk), session_key, translation.get_language() or "", request.get_full_path()])
    return "page:" + hashlib.sha256(raw.encode()).hexdigest()


def cached_per_session(seconds: int) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Serve a GET page from a copy drawn for the same session less than ``seconds`` ago.

    A page with messages to show (a flash after a post) is always drawn afresh, and never kept.
    """

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            key = _key(request, view.__qualname__) if request.method == "GET" else None
            if key is None or len(messages.get_messages(request)):
                return view(request, *args, **kwargs)
            kept = caches[CACHE].get(key)
            if kept is not None:
                content, content_type = kept
                return HttpResponse(content, content_type=content_type)
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming:
                caches[CACHE].set(key, (response.content, response["Content-Type"]), seconds)
            return response

        return wrapped

    return decorate
