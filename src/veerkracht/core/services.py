"""Writes of the core app: API tokens."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from veerkracht.core.audit import audit_record
from veerkracht.core.models import ApiToken, AuditAction, User


def token_digest(raw: str) -> str:
    """The stored form of a token: tokens are random, so a plain SHA-256 suffices."""
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_issue(*, user: User, after_second_factor: bool = False) -> tuple[str, ApiToken]:
    """Create a bearer token for the user; the raw value is returned once and never stored.

    ``after_second_factor``: the caller checked a code from the user's app or a recovery code.
    """
    raw = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        after_second_factor=after_second_factor,
        digest=token_digest(raw),
        expires_at=timezone.now() + timedelta(hours=settings.API_TOKEN_LIFETIME_HOURS),
    )
    audit_record(action=AuditAction.TOKEN_ISSUED, actor=user, object_type="core.apitoken", object_id=token.pk)
    return raw, token


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> None:
    """Delete the token so it no longer authenticates."""
    audit_record(
        action=AuditAction.TOKEN_REVOKED,
        actor=token.user,
        object_type="core.apitoken",
        object_id=token.pk,
    )
    token.delete()
