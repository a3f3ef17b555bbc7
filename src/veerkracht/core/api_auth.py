"""Bearer-token authentication for the JSON API."""

from datetime import timedelta

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from veerkracht.core.account_policy import second_factor_required
from veerkracht.core.logs import note_user
from veerkracht.core.models import ApiToken, User
from veerkracht.core.services import token_digest
from veerkracht.core.tenancy import organisation_set

_TOUCH_EVERY = timedelta(minutes=1)


class BearerToken(HttpBearer):
    """Accepts an unexpired token of an active user and sets ``request.user``.

    A token of a role that must use a second factor counts only if it was issued after one: a
    token made before the rule was switched on (or the role changed) is refused.
    """

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = (
            ApiToken.objects.select_related("user", "user__organisation")
            .filter(digest=token_digest(token), expires_at__gt=timezone.now(), user__is_active=True)
            .first()
        )
        if found is None or (second_factor_required(found.user) and not found.after_second_factor):
            return None
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at > _TOUCH_EVERY:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        note_user(request)  # the log lines of this call carry the user's ids
        organisation_set(found.user.organisation_id)  # row-level security: cleared by TenantMiddleware
        return found


def optional_bearer_user(request: HttpRequest) -> User | None:
    """The user of a valid bearer token, or None: for endpoints the public may also call."""
    header = request.headers.get("Authorization", "")
    scheme, _space, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    found = BearerToken().authenticate(request, token.strip())
    return found.user if found else None
