"""Forms of the core app."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from veerkracht.core.formstyle import StyledForm
from veerkracht.core.models import AuditAction

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
    }


class AuditFilterForm(StyledForm):
    """Filters on the audit log page."""

    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All actions")), *AuditAction.choices]
    )
    object_id = forms.CharField(
        label=_("Object id"), required=False, max_length=40, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
