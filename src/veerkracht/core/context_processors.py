"""What every page's shell needs: the demo banner and the menu."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html

from veerkracht.core.access import capabilities_of, is_active_member
from veerkracht.core.middleware import STAFF_LANGUAGES
from veerkracht.core.models import User
from veerkracht.core.navigation import current_item, menu_for, menu_groups
from veerkracht.version import installed_version


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    signed_in = isinstance(user, User) and is_active_member(user)
    menu = menu_for(user) if signed_in and isinstance(user, User) else []
    return {
        "demo_mode": settings.DEMO_MODE,
        "veerkracht_version": installed_version(),
        "menu": menu,
        "menu_groups": menu_groups(menu),
        "menu_current": current_item(menu, request.path),
        "capabilities": capabilities_of(user) if isinstance(user, User) else frozenset(),
        "language_choices": [
            (code, name)
            for code, name in settings.LANGUAGES
            if code in getattr(request, "offered_languages", STAFF_LANGUAGES)
        ],
    }


def page_csrf(request: HttpRequest) -> dict[str, Any]:
    """One masked CSRF token per page, as Django's template language gives: Jinja2's backend masks a
    new one for every form on the page (random characters drawn each time), and a page that uses
    both ``csrf_token`` and ``csrf_input`` gets the same one in each."""
    token = SimpleLazyObject(lambda: get_token(request))
    return {
        "csrf_token": token,
        "csrf_input": SimpleLazyObject(
            lambda: format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', str(token))
        ),
    }
