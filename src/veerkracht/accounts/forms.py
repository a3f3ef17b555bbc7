"""Forms of the sign-in (password, then second factor) and the account's security page."""

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from veerkracht.accounts.device_cookie import trusted_device
from veerkracht.core import throttle
from veerkracht.core.formstyle import StyledForm
from veerkracht.core.origin import client_ip

_TEXTBOX = "utrecht-textbox utrecht-textbox--html-input"


class LoginForm(AuthenticationForm):
    """Username and password, styled with NL Design System text boxes."""

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "class": _TEXTBOX}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "class": _TEXTBOX}),
    )

    error_messages = {  # noqa: RUF012 (Django's own pattern)
        "invalid_login": _("The username or password is not correct. Check them and try again."),
        "inactive": _("This account has been disabled."),
        "too_many": _("Too many failed attempts. Wait a few minutes and try again."),
    }

    def clean(self) -> dict[str, Any]:
        """Refuse while the account or the address is locked out; count each failure towards it.

        A browser with the account's device cookie is judged by its own count alone.
        """
        username = self.cleaned_data.get("username") or ""
        ip = client_ip(self.request)
        device = trusted_device(self.request, username)
        if username and throttle.too_many_failures(username, ip, device):
            raise ValidationError(self.error_messages["too_many"], code="too_many")
        try:
            return super().clean()
        except ValidationError:
            if username:
                throttle.note_failure(username, ip, device)
            raise


class CodeForm(StyledForm):
    """A six-digit code from the authenticator app, or one of the recovery codes."""

    code = forms.CharField(
        label=_("Code"),
        max_length=16,
        help_text=_("The six digits your authenticator app shows now, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "autofocus": True}),
    )

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).replace(" ", "").lower()


class ConfirmCodeForm(StyledForm):
    """The first code from a newly scanned app, which proves it works."""

    code = forms.CharField(
        label=_("Code from the app"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class ReauthenticateForm(StyledForm):
    """The password again (and the code, for a user with a second factor) before a sensitive change."""

    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class ReauthenticateWithCodeForm(ReauthenticateForm):
    code = CodeForm.base_fields["code"]


class EmailForm(StyledForm):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)


class PasswordForm(StyledForm):
    """A new password, twice, held to the password rules (at least 12 characters, not a common one)."""

    new_password = forms.CharField(
        label=_("New password"),
        strip=False,
        help_text=_("At least 12 characters. A sentence you remember works well."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    repeat_password = forms.CharField(
        label=_("New password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args: object, user: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        new, repeat = cleaned.get("new_password"), cleaned.get("repeat_password")
        if new and repeat and new != repeat:
            self.add_error("repeat_password", _("The two passwords are not the same."))
        elif new:
            try:
                password_validation.validate_password(str(new), self.user)  # type: ignore[arg-type]
            except forms.ValidationError as error:
                self.add_error("new_password", error)
        return cleaned


class ResetRequestForm(StyledForm, PasswordResetForm):
    """The e-mail address to send a reset link to (Django's form: no error when nobody has it)."""


class NewPasswordForm(StyledForm, SetPasswordForm):  # type: ignore[type-arg]
    """A new password, twice, checked against AUTH_PASSWORD_VALIDATORS (length, common passwords)."""
