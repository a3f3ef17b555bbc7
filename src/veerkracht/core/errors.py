"""The pages for "not found", "not allowed", "form expired" and "something went wrong".

Django's own are plain English pages without the site's frame; a resident who followed an old
link or a worker whose phone lay an hour on a form must get a page in their language that says
what happened and how to go on. The 500 page is drawn without the database (it may be why we
are here), as the outage page is (``shell_without_database``).
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.template import loader
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from veerkracht.core.exceptions import Conflict, NotFound
from veerkracht.core.middleware import STAFF_LANGUAGES
from veerkracht.core.roles import Role

FAVICON = (settings.BASE_DIR / "static" / "veerkracht" / "favicon.ico").read_bytes()


def _language(request: HttpRequest) -> None:
    """A public page's error follows the visitor's language, as that page does; staff keep theirs."""
    user = getattr(request, "user", None)
    resident = getattr(user, "is_authenticated", False) and getattr(user, "role", "") == Role.RESIDENT
    if getattr(request, "multilingual", False) or resident or _public_path(request):
        translation.activate(translation.get_language_from_request(request))


def _public_path(request: HttpRequest) -> bool:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return bool(getattr(match.func, "multilingual", False))


def shell_without_database(request: HttpRequest) -> dict[str, Any]:
    """What the page's frame needs, without the user or the menu (both would ask the database)."""
    languages = [(code, name) for code, name in settings.LANGUAGES if code in STAFF_LANGUAGES]
    return {"request": request, "demo_mode": settings.DEMO_MODE, "language_choices": languages}


def _page(request: HttpRequest, status: int, title: str, text: str, *, with_user: bool = True) -> HttpResponse:
    context: dict[str, Any] = {"status": status, "title": title, "text": text, "back": _back(request)}
    if with_user:
        body = loader.render_to_string("core/error.html", context, request)
    else:
        body = loader.render_to_string("core/error.html", context | shell_without_database(request))
    response = HttpResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _back(request: HttpRequest) -> str | None:
    """The page the visitor came from, when it is ours: "go back" then keeps what they were doing."""
    referer = request.headers.get("Referer", "")
    ours = url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()})
    return referer if referer and ours and referer != request.build_absolute_uri() else None


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404: the address does not exist, or is not for this person (outsiders get 404 on purpose)."""
    _language(request)
    return _page(
        request,
        404,
        _("Page not found"),
        _("This page does not exist (any more), or it is not available to you. Check the address or start again."),
    )


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403: signed in, but this is not for their role."""
    _language(request)
    return _page(request, 403, _("Not allowed"), _("You may not open this page with your account."))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """403 after a form was sent with an expired or missing security code (a phone left on a form)."""
    _language(request)
    return _page(
        request,
        403,
        _("This form has expired"),
        _(
            "For your safety a form is valid for a limited time. Go back, reload the page and send it again. "
            "Copy what you typed first if it is long."
        ),
    )


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """500, drawn without the database and without the user (either may be what failed).

    The language stays the one the page was in: the middleware chose it before the error.
    """
    return _page(
        request,
        500,
        _("Something went wrong"),
        _("Your request could not be completed. It has been logged. Try again later, or go back to the start page."),
        with_user=False,
    )


def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers ask for on every page whatever the page's <link rel="icon"> says."""
    response = HttpResponse(FAVICON, content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=604800"
    return response


class DomainErrorMiddleware:
    """Pages answer the errors of services and selectors (core/exceptions.py) as the API does.

    ``NotFound`` becomes Django's 404 (the page above); ``Conflict`` a 409 page with the
    service's message. Last in MIDDLEWARE, so it meets a view's exception first.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NotFound):
            raise Http404 from exception
        if isinstance(exception, Conflict):
            _language(request)
            return _page(request, 409, _("This cannot be done now"), str(exception))
        return None
