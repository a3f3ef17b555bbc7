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


def reauthenticated(request: HttpRequest) -> None:
    """Note that the user just gave their password (and code) again."""
    request.session[_KEY] = time.time()


def recently_reauthenticated(request: HttpRequest) -> bool:
    """Whether the user confirmed their password within ``REAUTHENTICATE_AFTER_S``."""
    return time.time() - float(request.session.get(_KEY, 0)) <= settings.REAUTHENTICATE_AFTER_S


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
