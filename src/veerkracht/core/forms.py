"""Forms of the core app."""

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from veerkracht.accounts.device_cookie import trusted_device
from veerkracht.core import throttle
from veerkracht.core.audit import client_ip
from veerkracht.core.formstyle import PersonChoiceField, StyledForm
from veerkracht.core.models import AuditAction, User

_TEXTBOX = "utrecht-textbox utrecht-textbox--html-input"


# A date box the browser fills: it reads and writes yyyy-mm-dd whatever the page's language.
ISO_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


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


class AuditFilterForm(StyledForm):
    """Filters on the audit log page."""

    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All actions")), *AuditAction.choices]
    )
    object_id = forms.CharField(
        label=_("Object id"), required=False, max_length=40, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    actor = PersonChoiceField(label=_("User"), required=False, queryset=User.objects.none())
    start = forms.DateField(label=_("From"), required=False, widget=ISO_DATE)
    end = forms.DateField(label=_("Until"), required=False, widget=ISO_DATE)
    resident = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, users: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["actor"]
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = users
            field.empty_label = _("Everyone")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end lies before the start."))
        return cleaned
