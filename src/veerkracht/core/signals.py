"""Sign-ins, failed sign-ins and sign-outs go to the audit log.

The request Django's signals pass is not needed: the audit reads the request's id and address
from the origin the middleware set (core/origin.py).
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from veerkracht.core.audit import audit_record
from veerkracht.core.models import AuditAction, AuditResult, User


@receiver(user_logged_in)
def audit_login(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    audit_record(action=AuditAction.LOGIN, actor=user)


@receiver(user_logged_out)
def audit_logout(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        audit_record(action=AuditAction.LOGOUT, actor=user)


@receiver(user_login_failed)
def audit_login_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kw: Any) -> None:
    # The attempted username is not stored (it may be a mistyped password); the account's id is.
    account = get_user_model().objects.filter(username=credentials.get("username", "")).first()
    audit_record(
        action=AuditAction.LOGIN_FAILED,
        actor=None,
        result=AuditResult.FAILED,
        object_type="core.user" if account else "",
        object_id=account.pk if account else "",
        organisation=account.organisation if account else None,
    )
