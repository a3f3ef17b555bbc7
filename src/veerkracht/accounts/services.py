"""Writes about accounts: second factors, recovery codes, e-mail, signing out everywhere, disabling and enabling.

Every change is audited; none stores a secret in the audit log (ids and field names only).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from veerkracht.accounts.models import AuthenticatorApp, RecoveryCodes, recovery_code_new
from veerkracht.core.audit import audit_record
from veerkracht.core.models import ApiToken, AuditAction, User

StrOrPromise = str | Promise
RECOVERY_CODES = 10
_TOTP_NAME = "authenticator app"
_RECOVERY_NAME = "recovery codes"
_REPLACED_SUBJECT = gettext_lazy("Your authenticator app was replaced")
_REPLACED_TEXT = gettext_lazy(
    "Someone signed in to your Veerkracht account with your password and your current code, and set up a new "
    "authenticator app. The old app no longer works. If this was not you, tell your coordinator or privacy "
    "officer at once."
)
_REMOVED_SUBJECT = gettext_lazy("Two-step verification was switched off")
_REMOVED_TEXT = gettext_lazy(
    "Two-step verification was switched off for your Veerkracht account: you now sign in with your password "
    "alone. If this was not you, change your password and tell your coordinator at once."
)


@transaction.atomic
def totp_device_start(*, user: User) -> AuthenticatorApp:
    """An unconfirmed authenticator-app device for the user to scan (the one already waiting, if any)."""
    waiting: AuthenticatorApp | None = AuthenticatorApp.objects.filter(user=user, confirmed=False).first()
    if waiting is None:
        waiting = AuthenticatorApp.objects.create(user=user, name=_TOTP_NAME, confirmed=False)
    return waiting


@transaction.atomic
def totp_device_confirm(*, user: User, code: str, replace: bool = False) -> tuple[AuthenticatorApp, list[str]]:
    """Confirm the waiting device with a code from the app. Returns new recovery codes.

    A confirmed app is replaced only with ``replace``: the caller has checked the current second
    factor and the password just before (the security page does; a half-finished sign-in never
    can). A replacement is audited and the user is told by e-mail.
    """
    User.objects.select_for_update().filter(pk=user.pk).first()  # one confirmation at a time per user
    confirmed = AuthenticatorApp.objects.filter(user=user, confirmed=True)
    replacing = confirmed.exists()
    if replacing and not replace:
        raise ValidationError(
            {"code": _("You already use an authenticator app. Replace it from the security page of your account.")}
        )
    device = AuthenticatorApp.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(code.strip()):
        raise ValidationError({"code": _("The code is not correct. Check the time on your phone and try again.")})
    confirmed.delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _recovery_codes_replace(user)
    audit_record(
        action=AuditAction.UPDATE if replacing else AuditAction.CREATE,
        actor=user,
        object_type="core.user",
        object_id=user.pk,
        fields=["second_factor"],
    )
    if replacing:
        _tell_user(user, _REPLACED_SUBJECT, _REPLACED_TEXT)
    return device, codes


def _tell_user(user: User, subject: StrOrPromise, text: StrOrPromise) -> None:
    """A security notice by e-mail to the user (in Dutch), after the change has been committed."""
    if not user.email:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject, text = str(subject), str(text)
    transaction.on_commit(lambda: send_mail(subject, text, None, [user.email], fail_silently=True))


def _recovery_codes_replace(user: User) -> list[str]:
    device, _created = RecoveryCodes.objects.get_or_create(user=user, name=_RECOVERY_NAME)
    codes = [recovery_code_new() for _ in range(RECOVERY_CODES)]
    device.replace_codes(codes)
    return codes


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    """New recovery codes for a user with an authenticator app; the old ones stop working."""
    if not AuthenticatorApp.objects.filter(user=user, confirmed=True).exists():
        raise ValidationError(_("Set up an authenticator app first."))
    codes = _recovery_codes_replace(user)
    audit_record(
        action=AuditAction.UPDATE,
        actor=user,
        object_type="core.user",
        object_id=user.pk,
        fields=["recovery_codes"],
    )
    return codes


@transaction.atomic
def second_factor_remove(*, user: User) -> None:
    """Remove the app and the recovery codes (roles that must use a second factor enrol again at sign-in)."""
    AuthenticatorApp.objects.filter(user=user).delete()
    RecoveryCodes.objects.filter(user=user).delete()
    audit_record(
        action=AuditAction.DELETE,
        actor=user,
        object_type="core.user",
        object_id=user.pk,
        fields=["second_factor"],
    )
    _tell_user(user, _REMOVED_SUBJECT, _REMOVED_TEXT)


@transaction.atomic
def email_change(*, user: User, email: str) -> None:
    """Change the user's e-mail address (the view asks for the password again first)."""
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None
    User.objects.filter(pk=user.pk).update(email=email)
    user.email = email
    audit_record(
        action=AuditAction.UPDATE,
        actor=user,
        object_type="core.user",
        object_id=user.pk,
        fields=["email"],
    )


def _end_sessions_and_tokens(user: User) -> int:
    """Every session's stored hash stops matching (see User.session_epoch); every API token goes."""
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])
    deleted, _details = ApiToken.objects.filter(user=user).delete()
    return deleted


@transaction.atomic
def sign_out_everywhere(*, user: User) -> int:
    """End all the user's sessions (this one too) and revoke all their API tokens; returns the tokens revoked."""
    tokens = _end_sessions_and_tokens(user)
    audit_record(
        action=AuditAction.LOGOUT,
        actor=user,
        object_type="core.user",
        object_id=user.pk,
        fields=["all_sessions", "api_tokens"],
    )
    return tokens


def _active_switch(user: User, *, active: bool) -> bool:
    """Set ``is_active`` by a conditional update; False when it already was, so a second submit does nothing."""
    changed = User.objects.filter(pk=user.pk).exclude(is_active=active).update(is_active=active)
    user.is_active = active
    return changed == 1


def _audit_active(user: User, by: User | None, fields: list[str]) -> None:
    audit_record(
        action=AuditAction.UPDATE,
        actor=by,
        organisation=user.organisation,
        object_type="core.user",
        object_id=user.pk,
        fields=fields,
    )


@transaction.atomic
def user_disable(*, user: User, by: User | None = None) -> bool:
    """Disable an account: it can no longer sign in, and its open sessions and API tokens end now.

    Returns False (and changes nothing) when the account was already disabled: a disabled account
    has no session that still works and no token left.
    """
    if not _active_switch(user, active=False):
        return False
    _end_sessions_and_tokens(user)
    _audit_active(user, by, ["all_sessions", "api_tokens", "is_active"])
    return True


@transaction.atomic
def user_enable(*, user: User, by: User | None = None) -> bool:
    """Let a disabled account sign in again (old sessions and tokens stay ended); False when it was active."""
    if not _active_switch(user, active=True):
        return False
    _audit_active(user, by, ["is_active"])
    return True


@transaction.atomic
def password_change(*, user: User, password: str) -> None:
    """Set a new (already validated) password; every session ends (the view keeps its own, see
    ``update_session_auth_hash``)."""
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(
        action=AuditAction.UPDATE,
        actor=user,
        object_type="core.user",
        object_id=user.pk,
        fields=["password"],
    )


@transaction.atomic
def password_reset(*, user: User, password: str) -> None:
    """Set a new (already validated) password from a reset link; every session and API token ends.

    Nobody is signed in by it: the next sign-in asks for the second factor as always, so a stolen
    mailbox alone does not open the account.
    """
    user.set_password(password)
    user.save(update_fields=["password"])
    _end_sessions_and_tokens(user)
    audit_record(
        action=AuditAction.UPDATE,
        actor=None,
        organisation=user.organisation,
        object_type="core.user",
        object_id=user.pk,
        fields=["password", "all_sessions", "api_tokens"],
    )
