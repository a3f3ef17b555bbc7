"""Asking for the password again before a sensitive change (e-mail, password, second factor, disabling)."""

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

_KEY = "accounts.reauthenticated_at"
# Set only when the confirmation included a code from the app or a recovery code: replacing the
# app asks for the current second factor, not the password alone.
_WITH_FACTOR_KEY = "accounts.reauthenticated_with_factor_at"


def reauthenticated(request: HttpRequest, *, with_second_factor: bool = False) -> None:
    """Note that the user just gave their password (and, ``with_second_factor``, a good code) again."""
    now = time.time()
    request.session[_KEY] = now
    if with_second_factor:
        request.session[_WITH_FACTOR_KEY] = now
    else:
        request.session.pop(_WITH_FACTOR_KEY, None)


def recently_reauthenticated(request: HttpRequest, *, with_second_factor: bool = False) -> bool:
    """Whether the user confirmed their password (and a code) within ``REAUTHENTICATE_AFTER_S``."""
    key = _WITH_FACTOR_KEY if with_second_factor else _KEY
    return time.time() - float(request.session.get(key, 0)) <= settings.REAUTHENTICATE_AFTER_S


def reauthenticate_then(next_url: str) -> HttpResponse:
    """Send the user to confirm their password, then on to ``next_url`` (a page that answers GET)."""
    return redirect(reverse("accounts:reauthenticate") + "?" + urlencode({"next": next_url}))


def reauthentication_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Send the user to confirm their password first, then back here."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not recently_reauthenticated(request):
            return reauthenticate_then(request.path)
        return view(request, *args, **kwargs)

    return wrapped
