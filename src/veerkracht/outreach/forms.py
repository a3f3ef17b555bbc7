"""Forms of outreach rounds: a round with its walkers, a door's outcome, the priority weights."""

from typing import Any

from django import forms
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from veerkracht.contacts.models import ConcernCategory
from veerkracht.core.formstyle import PersonChoiceField, StyledForm
from veerkracht.core.models import Neighbourhood, User
from veerkracht.outreach.models import MAX_WEIGHT, PriorityWeights
from veerkracht.outreach.services import WalkerPlan
from veerkracht.outreach.vocabulary import Outcome, VisitKind
from veerkracht.places.models import Place

MAX_WALKERS = 8


class RoundForm(StyledForm):
    neighbourhood = forms.ModelChoiceField(label=_("Neighbourhood"), queryset=Neighbourhood.objects.none())
    date = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    kinds = forms.MultipleChoiceField(
        label=_("Kinds of visit"),
        choices=VisitKind.choices,
        initial=[VisitKind.PORCH_TALK, VisitKind.INTERCOM],
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, neighbourhoods: QuerySet[Neighbourhood], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = neighbourhoods  # type: ignore[attr-defined]
        self.fields["date"].initial = timezone.localdate()


class WalkerForm(StyledForm):
    """One walker; a row without a worker is left out."""

    worker = PersonChoiceField(label=_("Walker"), queryset=User.objects.none(), required=False)
    starts = forms.TimeField(label=_("From"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(label=_("Until"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.ModelChoiceField(
        label=_("Start at a place"), queryset=Place.objects.none(), required=False, empty_label="—"
    )
    postcode = forms.CharField(label=_("or at postcode"), max_length=7, required=False)
    house_number = forms.IntegerField(label=_("house number"), min_value=1, max_value=99999, required=False)

    def __init__(self, *args: Any, workers: QuerySet[User], places: QuerySet[Place], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers  # type: ignore[attr-defined]
        self.fields["place"].queryset = places  # type: ignore[attr-defined]

    def plan(self) -> WalkerPlan | None:
        data = self.cleaned_data
        if not data.get("worker"):
            return None
        place = data.get("place")
        return WalkerPlan(
            worker_id=data["worker"].pk,
            starts=data.get("starts"),
            ends=data.get("ends"),
            place_id=place.pk if place else None,
            postcode=data.get("postcode") or "",
            house_number=data.get("house_number"),
        )


WalkerFormSet = forms.formset_factory(WalkerForm, extra=3, max_num=MAX_WALKERS, validate_max=True)


class VisitForm(StyledForm):
    outcome = forms.ChoiceField(label=_("What happened?"), choices=Outcome.choices, widget=forms.RadioSelect)
    channel = forms.ChoiceField(
        label=_("How did you talk?"), choices=VisitKind.choices, required=False, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Short note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    category = forms.ChoiceField(
        label=_("Concern about"), choices=[("", "—"), *ConcernCategory.choices], required=False
    )
    severity = forms.TypedChoiceField(
        label=_("Severity"),
        choices=[(1, _("1 · low")), (2, _("2 · medium")), (3, _("3 · high"))],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


class WeightsForm(StyledForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in PriorityWeights.FIELDS:
            model_field = PriorityWeights._meta.get_field(name)
            if not isinstance(model_field, models.Field):
                continue
            self.fields[name] = forms.IntegerField(
                label=model_field.verbose_name,
                help_text=model_field.help_text,
                min_value=0,
                max_value=MAX_WEIGHT,
                widget=forms.NumberInput(attrs={"class": "utrecht-textbox utrecht-textbox--html-input"}),
            )


class FlagForm(StyledForm):
    note = forms.CharField(label=_("Why"), max_length=200, required=False)
