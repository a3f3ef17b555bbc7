"""Forms of the dashboards: the filter, the workers' pulse, the survey (on the web and from paper)."""

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from veerkracht.core.channels import Channel
from veerkracht.core.formstyle import StyledForm
from veerkracht.core.models import Neighbourhood, Team
from veerkracht.insights.models import AgeGroup, Relations
from veerkracht.insights.periods import default_period, month_end
from veerkracht.people.vocabulary import MARKERS

MONTH = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")


class MonthField(forms.DateField):
    """A month as YYYY-MM (the browser's month picker), read as its first day."""

    widget = MONTH

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(input_formats=["%Y-%m", "%Y-%m-%d"], **kwargs)


class FilterForm(StyledForm):
    start = MonthField(label=_("From (month)"), required=False)
    end = MonthField(label=_("Until (month)"), required=False)
    compare_at = MonthField(label=_("Compare before and from (month)"), required=False)
    neighbourhood = forms.ModelChoiceField[Neighbourhood](
        label=_("Neighbourhood"), queryset=Neighbourhood.objects.none(), required=False, empty_label=_("All")
    )
    team = forms.ModelChoiceField[Team](
        label=_("Team"), queryset=Team.objects.none(), required=False, empty_label=_("All")
    )
    days = forms.TypedChoiceField(
        label=_("Reached in the last"),
        choices=[(30, _("30 days")), (90, _("90 days"))],
        coerce=int,
        initial=30,
        required=False,
    )

    group = forms.ChoiceField(
        label=_("Target group"),
        choices=[("", _("All")), *MARKERS.items(), ("everyone", _("Everyone"))],
        required=False,
    )

    def __init__(self, *args: Any, neighbourhoods: Any, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = neighbourhoods  # type: ignore[attr-defined]
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]

    def period(self) -> tuple[date, date]:
        first, last = default_period()
        data = self.cleaned_data if self.is_valid() else {}
        start, end = data.get("start") or first, data.get("end") or last
        return start.replace(day=1), month_end(end)


class PulseForm(StyledForm):
    can_carry_out = forms.TypedChoiceField(
        label=_("Can you carry out your assignment this week?"),
        choices=[("1", _("Yes")), ("0", _("No"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    worried_about_clients = forms.TypedChoiceField(
        label=_("Are you worried about clients?"),
        choices=[("1", _("Yes")), ("0", _("No"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    working_channels = forms.MultipleChoiceField(
        label=_("Which channels work?"), choices=Channel.choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class SurveyForm(StyledForm):
    relations = forms.ChoiceField(widget=forms.RadioSelect, choices=Relations.choices)
    age_group = forms.ChoiceField(label=_("Your age"), widget=forms.RadioSelect, choices=AgeGroup.choices)
    neighbourhood = forms.ModelChoiceField[Neighbourhood](
        label=_("Your neighbourhood"), queryset=Neighbourhood.objects.none()
    )

    def __init__(self, *args: Any, neighbourhoods: Any, since: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = neighbourhoods  # type: ignore[attr-defined]
        self.fields["relations"].label = _("How have relations in your neighbourhood changed since %(date)s?") % {
            "date": since.strftime("%d-%m-%Y")
        }


class NewSurveyForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=150, initial=_("Neighbourhood survey"))
    since = forms.DateField(label=_("Relations compared with"), widget=forms.DateInput(attrs={"type": "date"}))
