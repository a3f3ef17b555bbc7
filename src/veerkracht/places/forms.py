"""The filter of the public list of meeting places."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from veerkracht.core.formstyle import StyledForm
from veerkracht.places.models import Place, PlaceKind
from veerkracht.places.presentation import TRANSIT_NEAR_M, transit_near_label

ACCESS: dict[str, Q] = {
    "step_free": Q(step_free=True),
    "accessible_toilet": Q(accessible_toilet=True),
    "hearing_loop": Q(hearing_loop=True),
    "seating": Q(seating=True),
    "near_transit": Q(transit_distance_m__lte=TRANSIT_NEAR_M),
}
SETTINGS = {"indoor": Q(indoor=True), "outdoor": Q(indoor=False)}


class PlaceFilterForm(StyledForm):
    """Which places to show: of one organisation, of a kind, indoors or out, with what accessibility."""

    organisatie = forms.ChoiceField(label=_("Organisation"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind of place"), required=False, choices=[("", _("All kinds")), *PlaceKind.choices]
    )
    setting = forms.ChoiceField(
        label=_("Indoors or outdoors"),
        required=False,
        choices=[("", _("Indoors and outdoors")), ("indoor", _("Indoors")), ("outdoor", _("Outdoors"))],
    )
    access = forms.MultipleChoiceField(
        label=_("Accessibility"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, organisations: Sequence[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisatie"].choices = [("", _("All organisations")), *organisations]  # type: ignore[attr-defined]
        self.fields["access"].choices = [  # type: ignore[attr-defined]
            ("step_free", _("Step-free access")),
            ("accessible_toilet", _("Accessible toilet")),
            ("hearing_loop", _("Hearing loop")),
            ("seating", _("Seating")),
            ("near_transit", transit_near_label()),
        ]

    def filter(self, places: QuerySet[Place]) -> QuerySet[Place]:
        """The places that match the (valid) form; all of them for an invalid one."""
        if not self.is_valid():
            return places
        data = self.cleaned_data
        if data["organisatie"]:
            places = places.filter(organisation__slug=data["organisatie"])
        if data["kind"]:
            places = places.filter(kind=data["kind"])
        if data["setting"]:
            places = places.filter(SETTINGS[data["setting"]])
        for key in data["access"]:
            places = places.filter(ACCESS[key])
        return places
