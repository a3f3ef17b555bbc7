"""Forms of the core app."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from veerkracht.core.formstyle import DATE_INPUT, PersonChoiceField, StyledForm
from veerkracht.core.models import AuditAction, User


class AuditFilterForm(StyledForm):
    """Filters on the audit log page."""

    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All actions")), *AuditAction.choices]
    )
    object_id = forms.CharField(
        label=_("Object id"), required=False, max_length=40, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    actor = PersonChoiceField(label=_("User"), required=False, queryset=User.objects.none())
    start = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    end = forms.DateField(label=_("Until"), required=False, widget=DATE_INPUT)
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


class TeamEmailForm(StyledForm):
    email = forms.EmailField(
        label=_("Team e-mail address"),
        required=False,
        help_text=_("Answers to e-mail sent on behalf of the team go here (Reply-To)."),
    )


class TeamCreateForm(StyledForm):
    name = forms.CharField(label=_("Name of the new team"), max_length=100)
