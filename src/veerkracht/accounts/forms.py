"""Forms of the sign-in's second step and the account's security page."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from veerkracht.core.formstyle import StyledForm


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
