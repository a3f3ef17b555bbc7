"""What every page's shell needs: the demo banner and the menu."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from veerkracht.core.access import is_active_member
from veerkracht.core.navigation import menu_for


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    signed_in = user is not None and is_active_member(user)  # type: ignore[arg-type]
    return {
        "demo_mode": settings.DEMO_MODE,
        "menu": menu_for(user) if signed_in else [],  # type: ignore[arg-type]
    }
