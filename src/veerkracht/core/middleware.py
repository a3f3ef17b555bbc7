"""Dutch unless the user chose otherwise; public pages also follow the browser."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from veerkracht.core.public_languages import activate_public_language, offered_anywhere, offered_by, site_languages
from veerkracht.core.roles import Role

# The staff application is Dutch with English; public pages are also in Turkish and Arabic, so
# key figures can share them with older migrants.
STAFF_LANGUAGES = ("nl", "en")


def multilingual(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a public view whose language follows the visitor's browser among all site languages."""
    view.multilingual = True  # type: ignore[attr-defined]
    return view


def _is_resident(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and getattr(user, "role", "") == Role.RESIDENT)


class ChosenLanguageMiddleware:
    """Activate the language chosen with the language switch (a cookie), else Dutch.

    Staff pages ignore the browser's Accept-Language: many Dutch professionals use an
    English-language browser and still expect the Dutch application. Views marked
    ``@multilingual`` follow the browser among every language of the site.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        self._activate(request, chosen if chosen in STAFF_LANGUAGES else settings.LANGUAGE_CODE)
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        response.headers.setdefault("Content-Language", translation.get_language() or settings.LANGUAGE_CODE)
        # The language is per thread: leave the next piece of work in this thread in Dutch.
        translation.activate(settings.LANGUAGE_CODE)
        return response

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> None:
        # A signed-in resident keeps every language of the public pages on their own pages too.
        resident = _is_resident(request)
        if getattr(view, "multilingual", False) or resident:
            # A resident's pages offer their organisation's languages; a page of no single organisation
            # every language some organisation offers (a place's or activity's page narrows it, narrow_to).
            organisation = getattr(request.user, "organisation", None) if resident else None
            try:
                offered = offered_by(organisation) if organisation else offered_anywhere()
            except (OperationalError, InterfaceError):  # the view meets the outage too, and answers 503
                offered = site_languages()
            # A resident's account keeps the language their invitation set, on every device.
            saved = getattr(request.user, "language", "") if resident else ""
            activate_public_language(request, offered, saved)
            request.multilingual = True  # type: ignore[attr-defined]

    @staticmethod
    def _activate(request: HttpRequest, language: str) -> None:
        translation.activate(language)
        request.LANGUAGE_CODE = language
