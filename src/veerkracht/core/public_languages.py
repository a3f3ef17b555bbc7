"""Which languages public pages offer: each organisation chooses its own set, Dutch always among them."""

from typing import TYPE_CHECKING

from django.apps import apps
from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

if TYPE_CHECKING:  # the middleware imports this module before the models are ready (core.unavailable)
    from veerkracht.core.models import Organisation


def site_languages() -> tuple[str, ...]:
    return tuple(code for code, _name in settings.LANGUAGES)


def offered_by(organisation: "Organisation") -> tuple[str, ...]:
    """The organisation's public languages in the site's order, Dutch first and always."""
    chosen = set(organisation.public_languages or ()) | {settings.LANGUAGE_CODE}
    return tuple(code for code in site_languages() if code in chosen)


def offered_anywhere() -> tuple[str, ...]:
    """On a public page of no single organisation (the start page, the lists): every language some
    organisation offers, so that no organisation's visitors lose their language there (all of the
    site's before there is any organisation)."""
    organisations = apps.get_model("core", "Organisation").objects
    offered = list(organisations.values_list("public_languages", flat=True))
    if not offered:
        return site_languages()
    chosen = {settings.LANGUAGE_CODE}.union(*(languages or () for languages in offered))
    return tuple(code for code in site_languages() if code in chosen)


def activate_public_language(request: HttpRequest, offered: tuple[str, ...], saved: str = "") -> None:
    """The visitor's language (their choice with the switch, else the one saved on their account, else
    their browser's) if offered, else Dutch."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    wanted = saved if saved and not chosen else translation.get_language_from_request(request)
    language = wanted if wanted in offered else settings.LANGUAGE_CODE
    translation.activate(language)
    request.LANGUAGE_CODE = language
    request.offered_languages = offered  # type: ignore[attr-defined]


def narrow_to(request: HttpRequest, organisation: "Organisation") -> None:
    """A public page of one organisation (a place, an activity): only that organisation's languages."""
    if getattr(request, "multilingual", False):
        activate_public_language(request, offered_by(organisation))
