"""Forms of the core app."""

from django import forms
from django.utils.translation import gettext_lazy as _

from veerkracht.core.formstyle import StyledForm
from veerkracht.core.models import AuditAction


class AuditFilterForm(StyledForm):
    """Filters on the audit log page."""

    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All actions")), *AuditAction.choices]
    )
    object_id = forms.CharField(
        label=_("Object id"), required=False, max_length=40, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )


class TeamCreateForm(StyledForm):
    name = forms.CharField(label=_("Name of the new team"), max_length=100)
