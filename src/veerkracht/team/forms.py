"""Forms of the team: the public sign-up, the intake, hours, absence, contracts."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from veerkracht.activities.models import Activity
from veerkracht.core.formstyle import _CLASSES, DATE_INPUT, PersonChoiceField, StyledForm
from veerkracht.core.models import District, Neighbourhood, Team, User
from veerkracht.help.models import Match
from veerkracht.help.vocabulary import moment_choices, moments_from
from veerkracht.people.vocabulary import LANGUAGES
from veerkracht.team.models import EntryKind
from veerkracht.team.services import Intake, SignUp
from veerkracht.team.timesheets import Entry
from veerkracht.team.vocabulary import INTERESTS

QUARTERS = [(minutes, f"{minutes // 60}:{minutes % 60:02d}") for minutes in range(15, 12 * 60 + 1, 15)]


class SignUpForm(StyledForm):
    first_name = forms.CharField(
        label=_("First name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Surname"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    email = forms.EmailField(
        label=_("E-mail"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    neighbourhood = forms.ModelChoiceField(
        label=_("Neighbourhood where you live"), queryset=Neighbourhood.objects.none(), required=False, empty_label="—"
    )
    interests = forms.MultipleChoiceField(
        label=_("What would you like to do?"), choices=INTERESTS, widget=forms.CheckboxSelectMultiple, required=False
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"), choices=LANGUAGES, widget=forms.CheckboxSelectMultiple, required=False
    )
    moments = forms.TypedMultipleChoiceField(
        label=_("When are you available?"),
        choices=moment_choices(),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    motivation = forms.CharField(
        label=_("Anything you would like us to know"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent = forms.BooleanField(label=_("I agree that the organisation keeps these details for the intake."))

    def __init__(self, *args: Any, neighbourhoods: QuerySet[Neighbourhood], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = neighbourhoods  # type: ignore[attr-defined]

    def sign_up(self) -> SignUp:
        data = self.cleaned_data
        neighbourhood = data["neighbourhood"]
        return SignUp(
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            phone=data["phone"],
            neighbourhood_id=neighbourhood.pk if neighbourhood else None,
            interests=data["interests"],
            languages=data["languages"],
            availability=moments_from(data["moments"]) if data["moments"] else 0,
            motivation=data["motivation"],
            consent=data["consent"],
        )


class IntakeForm(StyledForm):
    past_dates = frozenset({"conversation_on", "reference_checked_on", "vog_requested_on", "vog_received_on"})
    conversation_on = forms.DateField(label=_("Intake conversation held on"), required=False, widget=DATE_INPUT)
    reference_name = forms.CharField(label=_("Reference (name, phone)"), max_length=200, required=False)
    reference_checked_on = forms.DateField(label=_("Reference checked on"), required=False, widget=DATE_INPUT)
    vog_requested_on = forms.DateField(label=_("VOG requested on"), required=False, widget=DATE_INPUT)
    vog_received_on = forms.DateField(label=_("VOG received on"), required=False, widget=DATE_INPUT)
    intake_note = forms.CharField(
        label=_("Intake note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def intake(self) -> Intake:
        return Intake(**self.cleaned_data)


class ActivateForm(StyledForm):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False, empty_label="—")

    def __init__(self, *args: Any, teams: QuerySet[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]


class NoteForm(StyledForm):
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class HoursForm(StyledForm):
    """One line of hours on one's own day."""

    day = forms.DateField(label=_("Day"), widget=DATE_INPUT)
    kind = forms.ChoiceField(
        label=_("For"), choices=EntryKind.choices, widget=forms.RadioSelect, initial=EntryKind.ACTIVITY
    )
    activity = forms.ModelChoiceField(
        label=_("Activity"), queryset=Activity.objects.none(), required=False, empty_label="—"
    )
    match = forms.ModelChoiceField(label=_("Help task"), queryset=Match.objects.none(), required=False, empty_label="—")
    description = forms.CharField(label=_("What (outreach round or other)"), max_length=200, required=False)
    minutes = forms.TypedChoiceField(label=_("Hours"), choices=QUARTERS, coerce=int, initial=60)

    def __init__(self, *args: Any, activities: QuerySet[Activity], matches: QuerySet[Match], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["day"].initial = timezone.localdate()
        self.fields["activity"].queryset = activities  # type: ignore[attr-defined]
        self.fields["match"].queryset = matches  # type: ignore[attr-defined]
        self.fields["match"].label_from_instance = lambda match: (  # type: ignore[attr-defined]
            f"{match.request.get_kind_display()} ({match.created_at:%d-%m})"
        )

    def entry(self) -> Entry:
        data = self.cleaned_data
        return Entry(
            kind=data["kind"],
            minutes=data["minutes"],
            activity_id=data["activity"].pk if data["activity"] else None,
            match_id=data["match"].pk if data["match"] else None,
            description=data["description"],
        )


class AwayForm(StyledForm):
    starts_on = forms.DateField(label=_("Away from"), widget=DATE_INPUT)
    ends_on = forms.DateField(label=_("Until and including"), widget=DATE_INPUT)
    note = forms.CharField(label=_("Note (optional)"), max_length=100, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["starts_on"].initial = timezone.localdate()
        self.fields["ends_on"].initial = timezone.localdate() + timedelta(days=7)


class MemberAwayForm(AwayForm):
    user = PersonChoiceField(label=_("Who"), queryset=User.objects.none())  # "Name · Team"

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = members  # type: ignore[attr-defined]
        self.order_fields(["user", "starts_on", "ends_on", "note"])


class ContractForm(StyledForm):
    hours_per_week = forms.DecimalField(
        label=_("Contract hours per week"), min_value=0.5, max_value=40, decimal_places=1
    )


class MonthForm(StyledForm):
    maand = forms.DateField(input_formats=["%Y-%m"], required=False)


class StyledSetPasswordForm(SetPasswordForm):  # type: ignore[type-arg]
    """Django's set-password form with the NL Design System classes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", _CLASSES[-1][1])


@dataclass(frozen=True)
class DistrictGroup:
    """One wijk of the team page's neighbourhood choice: its checkboxes, and how many are ticked."""

    district: District
    choices: list[Any]  # the bound checkboxes (BoundWidget) of its neighbourhoods
    whole: Any  # the bound checkbox that chooses every neighbourhood of the wijk
    chosen: int


class TeamNeighbourhoodsForm(StyledForm):
    """A city has 500 or more neighbourhoods: they are offered per wijk (``groups``), and a wijk may be
    chosen whole. Every checkbox is in the page, so the form works without JavaScript; a script adds
    a filter box that narrows the list as one types (``veerkracht/coverage.js``)."""

    neighbourhoods = forms.ModelMultipleChoiceField(
        label=_("Neighbourhoods the team covers"),
        queryset=Neighbourhood.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    districts = forms.ModelMultipleChoiceField(
        label=_("Whole districts"),
        queryset=District.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, neighbourhoods: QuerySet[Neighbourhood], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ordered = neighbourhoods.select_related("district").order_by("district__code", "name")
        field = self.fields["neighbourhoods"]
        field.queryset = ordered  # type: ignore[attr-defined]
        field.widget.choices = field.choices  # type: ignore[attr-defined]
        whole = self.fields["districts"]
        whole.queryset = District.objects.filter(pk__in=neighbourhoods.values("district_id")).order_by("code")  # type: ignore[attr-defined]
        whole.widget.choices = whole.choices  # type: ignore[attr-defined]

    def chosen(self) -> list[int]:
        """The ids of the ticked neighbourhoods and of every neighbourhood of a wijk chosen whole."""
        picked = {neighbourhood.pk for neighbourhood in self.cleaned_data["neighbourhoods"]}
        whole = {district.pk for district in self.cleaned_data["districts"]}
        offered = self.fields["neighbourhoods"].queryset  # type: ignore[attr-defined]
        picked.update(offered.filter(district_id__in=whole).values_list("pk", flat=True))
        return sorted(picked)

    def groups(self) -> list[DistrictGroup]:
        """The checkboxes per wijk, in the order of the CBS codes."""
        by_district: dict[int, list[Any]] = {}
        for choice in self["neighbourhoods"]:
            by_district.setdefault(choice.data["value"].instance.district_id, []).append(choice)
        wholes = {choice.data["value"].instance.pk: choice for choice in self["districts"]}
        return [
            DistrictGroup(
                district=choices[0].data["value"].instance.district,
                choices=choices,
                whole=wholes[district_id],
                chosen=sum(1 for choice in choices if choice.data["selected"]),
            )
            for district_id, choices in by_district.items()
        ]
