"""Forms of the resident register."""

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from veerkracht.core.channels import Channel
from veerkracht.core.formstyle import PersonChoiceField, StyledForm
from veerkracht.core.models import Neighbourhood, User
from veerkracht.people.models import Resident
from veerkracht.people.services import EDITABLE, Address
from veerkracht.people.vocabulary import LANGUAGES, MARKERS


class ResidentSearchForm(StyledForm):
    q = forms.CharField(label=_("Name, address or postcode"), required=False, max_length=100)
    neighbourhood = forms.ModelChoiceField(
        label=_("Neighbourhood"), queryset=Neighbourhood.objects.none(), required=False
    )
    marker = forms.ChoiceField(label=_("Marker"), required=False, choices=[("", _("All residents")), *MARKERS.items()])

    def __init__(self, *args: Any, neighbourhoods: QuerySet[Neighbourhood], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = neighbourhoods  # type: ignore[attr-defined]
        self.fields["neighbourhood"].empty_label = _("All my neighbourhoods")  # type: ignore[attr-defined]


class InspectionSearchForm(StyledForm):
    """Find the resident who asked to see their data: at least two letters, so no one lists everyone."""

    q = forms.CharField(label=_("Name, address or postcode"), min_length=2, max_length=100)


class ResidentForm(StyledForm):
    past_dates = frozenset({"consent_given_on"})
    """Register or change a resident: identity, address, contact details, markers, consent."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    surname_prefix = forms.CharField(label=_("Surname prefix"), max_length=20, required=False)
    last_name = forms.CharField(label=_("Surname"), max_length=100)
    birth_year = forms.IntegerField(label=_("Year of birth"), min_value=1900)
    neighbourhood = forms.ModelChoiceField(label=_("Neighbourhood"), queryset=Neighbourhood.objects.none())
    street = forms.CharField(label=_("Street"), max_length=100)
    house_number = forms.IntegerField(label=_("House number"), min_value=1, max_value=99999)
    house_number_suffix = forms.CharField(label=_("Addition"), max_length=10, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=7)
    floor = forms.IntegerField(label=_("Floor"), required=False, min_value=-2, max_value=60)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"), choices=LANGUAGES, required=False, widget=forms.CheckboxSelectMultiple
    )
    preferred_channel = forms.ChoiceField(
        label=_("Preferred channel"), choices=[("", _("No preference")), *Channel.choices], required=False
    )
    interpreter_needed = forms.BooleanField(label=_("Needs an interpreter"), required=False)
    key_figure_needed = forms.BooleanField(label=_("Needs a key figure (sleutelpersoon)"), required=False)
    key_figure = forms.CharField(
        label=_("Key figure"), max_length=200, required=False, help_text=_("Name and how to reach them.")
    )
    migration_background = forms.BooleanField(label=_("Migration background"), required=False)
    lives_alone = forms.BooleanField(label=_("Lives alone"), required=False)
    older_migrant = forms.BooleanField(label=_("Older migrant"), required=False)
    low_digital_skills = forms.BooleanField(label=_("Low digital skills"), required=False)
    limited_mobility = forms.BooleanField(label=_("Limited mobility"), required=False)
    informal_carer = forms.BooleanField(label=_("Informal carer"), required=False)
    consent_given_on = forms.DateField(
        label=_("Consent given on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    consent_contact = forms.BooleanField(label=_("Contact by the organisation"), required=False)
    consent_sms = forms.BooleanField(label=_("SMS"), required=False)
    consent_email = forms.BooleanField(label=_("E-mail"), required=False)
    consent_app = forms.BooleanField(label=_("WhatsApp"), required=False)
    consent_help_exchange = forms.BooleanField(label=_("Neighbour help"), required=False)
    consent_activities = forms.BooleanField(label=_("Invitations to activities"), required=False)
    assigned_worker = PersonChoiceField(
        label=_("Assigned worker"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("With an assigned worker the resident is a client."),
    )

    def __init__(
        self, *args: Any, neighbourhoods: QuerySet[Neighbourhood], workers: QuerySet[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = neighbourhoods  # type: ignore[attr-defined]
        self.fields["assigned_worker"].queryset = workers  # type: ignore[attr-defined]
        # The year changes while the process runs, so the upper bound is set per form.
        this_year = timezone.localdate().year
        self.fields["birth_year"].validators.append(MaxValueValidator(this_year))
        self.fields["birth_year"].widget.attrs["max"] = this_year

    def attributes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in EDITABLE}

    def address(self) -> Address:
        data = self.cleaned_data
        return Address(
            street=data["street"],
            house_number=data["house_number"],
            postcode=data["postcode"],
            city="",
            house_number_suffix=data["house_number_suffix"],
            floor=data["floor"],
        )

    @staticmethod
    def initial_for(resident: Resident) -> dict[str, Any]:
        initial: dict[str, Any] = {name: getattr(resident, name) for name in EDITABLE}
        initial["neighbourhood"] = resident.neighbourhood
        household = resident.household
        if household is not None:
            initial |= {
                "street": household.street,
                "house_number": household.house_number,
                "house_number_suffix": household.house_number_suffix,
                "postcode": household.postcode,
                "floor": household.floor,
            }
        return initial
