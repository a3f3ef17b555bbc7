"""Response headers Django has no setting for: Permissions-Policy, and no-store on personal data."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


def carries_personal_data(request: HttpRequest) -> bool:
    """Answers to a signed-in user or an API token may hold residents' data; public pages say so themselves."""
    user = getattr(request, "user", None)
    return bool((user is not None and user.is_authenticated) or request.headers.get("Authorization"))


class PrivacyHeadersMiddleware:
    """Permissions-Policy on every answer; ``Cache-Control: no-store`` on every answer that may hold personal data.

    A shared computer in a community centre must not keep a resident's page in its browser cache,
    nor a proxy keep an API answer. Public pages with a registrant's details use ``@never_cache``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if carries_personal_data(request):
            patch_cache_control(response, no_store=True, private=True)
        return response
