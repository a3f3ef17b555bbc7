"""Forms of neighbour help: a request, an offer, a matching run, help given."""

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from veerkracht.core.formstyle import DATE_INPUT, PersonChoiceField, StyledForm
from veerkracht.core.models import Neighbourhood
from veerkracht.help.models import MAX_OPEN_TASKS, MAX_RADIUS_M, HelpOffer, Recurrence
from veerkracht.help.vocabulary import ALL_MOMENTS, WEEKDAYS, HelpKind, PartOfDay, moment_choices
from veerkracht.people.vocabulary import LANGUAGES


class HelpRequestForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind of help"), choices=HelpKind.choices, widget=forms.RadioSelect)
    recurrence = forms.ChoiceField(
        label=_("How often"), choices=Recurrence.choices, widget=forms.RadioSelect, initial=Recurrence.ONCE
    )
    last_day = forms.DateField(
        label=_("Once: needed at the latest on"), required=False, widget=DATE_INPUT, help_text=_("Within three months.")
    )
    weekday = forms.TypedChoiceField(
        label=_("Weekly: on"), choices=[("", "—"), *enumerate(WEEKDAYS)], coerce=int, empty_value=None, required=False
    )
    part_of_day = forms.TypedChoiceField(
        label=_("Part of the day"),
        choices=[("", _("any time")), *PartOfDay.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    language = forms.ChoiceField(label=_("Language preference"), choices=[("", "—"), *LANGUAGES], required=False)
    description = forms.CharField(
        label=_("Short description"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only what the helper needs to know. No medical details."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["last_day"].initial = timezone.localdate() + timedelta(days=7)


class HelpOfferForm(StyledForm):
    kinds = forms.MultipleChoiceField(
        label=_("I can help with"), choices=HelpKind.choices, widget=forms.CheckboxSelectMultiple
    )
    moments = forms.TypedMultipleChoiceField(
        label=_("When I am available"), choices=moment_choices(), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    neighbourhood = forms.ModelChoiceField(label=_("Neighbourhood where I live"), queryset=Neighbourhood.objects.none())
    postcode = forms.CharField(
        label=_("Postcode"), max_length=7, required=False, help_text=_("To find tasks near your home.")
    )
    house_number = forms.IntegerField(label=_("House number"), min_value=1, max_value=99999, required=False)
    radius_m = forms.IntegerField(
        label=_("How far will you go (metres)"), min_value=1, max_value=MAX_RADIUS_M, initial=1500
    )
    max_open_tasks = forms.IntegerField(
        label=_("At most this many tasks at once"), min_value=1, max_value=MAX_OPEN_TASKS, initial=2
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages I speak"), choices=LANGUAGES, required=False, widget=forms.CheckboxSelectMultiple
    )
    active = forms.BooleanField(label=_("I am available for new tasks"), required=False, initial=True)

    def __init__(self, *args: Any, neighbourhoods: Any, offer: HelpOffer | None = None, **kwargs: Any) -> None:
        if offer is not None and not args:
            kwargs.setdefault("initial", {}).update(
                {
                    "kinds": offer.kinds,
                    "moments": [bit for bit in range(ALL_MOMENTS.bit_length()) if offer.availability >> bit & 1],
                    "neighbourhood": offer.neighbourhood_id,
                    "radius_m": offer.radius_m,
                    "max_open_tasks": offer.max_open_tasks,
                    "languages": offer.languages,
                    "active": offer.active,
                }
            )
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = neighbourhoods  # type: ignore[attr-defined]
        if offer is None and not args:
            self.fields["moments"].initial = [value for value, _label in moment_choices()]


class MatchForm(StyledForm):
    neighbourhood = forms.ModelChoiceField(
        label=_("Neighbourhood"),
        queryset=Neighbourhood.objects.none(),
        required=False,
        empty_label=_("All my neighbourhoods"),
    )

    def __init__(self, *args: Any, neighbourhoods: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = neighbourhoods  # type: ignore[attr-defined]


class DoneForm(StyledForm):
    note = forms.CharField(label=_("Short note (optional)"), max_length=300, required=False)


class NoteForm(StyledForm):
    note = forms.CharField(label=_("Note (optional)"), max_length=300, required=False)


class ProposeForm(StyledForm):
    # "Name · Team": two helpers of one name are told apart.
    offer = PersonChoiceField(
        label=_("Ask another helper"), queryset=HelpOffer.objects.none(), person_attribute="helper"
    )

    def __init__(self, *args: Any, offers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offer"].queryset = offers.select_related("helper")  # type: ignore[attr-defined]
