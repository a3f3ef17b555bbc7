"""Sign-ins, failed sign-ins and sign-outs go to the audit log; a changed user or organisation is
forgotten by the user cache (core/usercache.py).

The request Django's signals pass is not needed: the audit reads the request's id and address
from the origin the middleware set (core/origin.py).
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest

from veerkracht.core.audit import audit_record
from veerkracht.core.models import AuditAction, AuditResult, Organisation, User
from veerkracht.core.usercache import forget_organisation, forget_users


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


@receiver(post_save, sender=User, dispatch_uid="veerkracht_user_cache_saved")
@receiver(post_delete, sender=User, dispatch_uid="veerkracht_user_cache_deleted")
def forget_changed_user(sender: Any, instance: User, created: bool = False, **kwargs: Any) -> None:
    if not created:  # a new account has nothing cached yet
        forget_users([instance.pk])


@receiver(post_save, sender=Organisation, dispatch_uid="veerkracht_organisation_cache_saved")
@receiver(post_delete, sender=Organisation, dispatch_uid="veerkracht_organisation_cache_deleted")
def forget_organisation_users(sender: Any, instance: Organisation, created: bool = False, **kwargs: Any) -> None:
    """Each cached user carries their organisation (its settings too): all of its users are forgotten,
    and the organisation's own entry (the public pages')."""
    if not created:
        forget_organisation(instance.pk)
        forget_users(User._default_manager.filter(organisation_id=instance.pk).values_list("pk", flat=True))
