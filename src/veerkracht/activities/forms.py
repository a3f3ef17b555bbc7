"""Forms for planning activities, registering and ticking attendance."""

from datetime import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from veerkracht.activities.models import TRANSLATED_LANGUAGES, ActivityKind, Mode, TargetGroup
from veerkracht.activities.services import DESCRIPTION_MAX, TITLE_MAX, ActivityPlan, Translation
from veerkracht.core.formstyle import PeopleChoiceField, StyledForm
from veerkracht.core.models import User
from veerkracht.core.text_language import is_rtl_language
from veerkracht.people.vocabulary import LANGUAGES
from veerkracht.places.models import Place

MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TRANSLATION_LEGENDS = {"en": _("In English"), "tr": _("In Turkish"), "ar": _("In Arabic")}


def _typed_in(language: str) -> dict[str, str]:
    """Typed in the language itself: the browser's spelling check and a screen reader follow it."""
    return {"lang": language, "dir": "rtl" if is_rtl_language(language) else "ltr"}


def _title_in(language: str) -> forms.CharField:
    return forms.CharField(
        label=_("Title"), max_length=TITLE_MAX, required=False, widget=forms.TextInput(attrs=_typed_in(language))
    )


def _description_in(language: str) -> forms.CharField:
    return forms.CharField(
        label=_("Description"),
        max_length=DESCRIPTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, **_typed_in(language)}),
    )


class ActivityForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=150)
    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 4})
    )
    place = forms.ModelChoiceField(
        label=_("Place"),
        queryset=Place.objects.none(),
        required=False,
        help_text=_("Leave empty for an online-only activity."),
    )
    starts_at = forms.DateTimeField(label=_("Start"), widget=MOMENT)
    ends_at = forms.DateTimeField(label=_("End"), widget=MOMENT)
    weekly_until = forms.DateField(
        label=_("Repeat weekly until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    registration_required = forms.BooleanField(
        label=_("Registration required (otherwise walk-in)"), required=False, initial=True
    )
    max_participants = forms.IntegerField(
        label=_("Maximum participants on site"), min_value=1, max_value=10000, required=False
    )
    online_link = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    dial_in = forms.CharField(label=_("Dial-in number"), max_length=40, required=False)
    dial_in_pin = forms.CharField(label=_("Dial-in PIN"), max_length=20, required=False)
    max_online = forms.IntegerField(
        label=_("Maximum participants online"), min_value=1, max_value=10000, required=False
    )
    target_groups = forms.MultipleChoiceField(
        label=_("For"), choices=TargetGroup.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=LANGUAGES, required=False, widget=forms.CheckboxSelectMultiple
    )
    helpers = PeopleChoiceField(
        label=_("Helpers"), queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    # The title and description in the other languages (planning_fields leaves them to their fieldsets).
    title_en = _title_in("en")
    description_en = _description_in("en")
    title_tr = _title_in("tr")
    description_tr = _description_in("tr")
    title_ar = _title_in("ar")
    description_ar = _description_in("ar")

    def __init__(self, *args: Any, places: QuerySet[Place], helpers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places  # type: ignore[attr-defined]
        self.fields["place"].empty_label = _("Online only")  # type: ignore[attr-defined]
        self.fields["helpers"].queryset = helpers  # type: ignore[attr-defined]

    def planning_fields(self) -> list[forms.BoundField]:
        """The fields of the activity itself, in Dutch: all but the translations."""
        translated = {f"{name}_{language}" for language in TRANSLATED_LANGUAGES for name in ("title", "description")}
        return [self[name] for name in self.fields if name not in translated]

    def translation_fieldsets(self) -> list[tuple[str, list[forms.BoundField]]]:
        """(legend, fields) per language besides Dutch, each a fieldset of its own."""
        return [
            (str(TRANSLATION_LEGENDS[language]), [self[f"title_{language}"], self[f"description_{language}"]])
            for language in TRANSLATED_LANGUAGES
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for language in TRANSLATED_LANGUAGES:
            if data.get(f"description_{language}") and not data.get(f"title_{language}"):
                self.add_error(
                    f"title_{language}", _("Enter the title in this language too, or leave the description empty.")
                )
        return data

    def plan(self) -> ActivityPlan:
        data = self.cleaned_data
        starts_at: datetime = data["starts_at"]
        return ActivityPlan(
            title=data["title"],
            kind=data["kind"],
            starts_at=starts_at,
            ends_at=data["ends_at"],
            place_id=data["place"].pk if data["place"] else None,
            description=data["description"],
            max_participants=data["max_participants"],
            max_online=data["max_online"],
            online_link=data["online_link"],
            dial_in=data["dial_in"],
            dial_in_pin=data["dial_in_pin"],
            registration_required=data["registration_required"],
            target_groups=data["target_groups"],
            languages=data["languages"],
            helper_ids=[helper.pk for helper in data["helpers"]],
            weekly_until=data.get("weekly_until"),  # the form that changes one date has no such field
            translations={
                language: Translation(data[f"title_{language}"], data[f"description_{language}"])
                for language in TRANSLATED_LANGUAGES
                if data[f"title_{language}"] or data[f"description_{language}"]
            },
        )


class PublicRegistrationForm(StyledForm):
    name = forms.CharField(label=_("Your name"), max_length=150)
    phone = forms.CharField(
        label=_("Phone number"), max_length=20, widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"})
    )
    mode = forms.ChoiceField(
        label=_("How do you take part?"), choices=Mode.choices, initial=Mode.ONSITE, widget=forms.RadioSelect
    )
    consent = forms.BooleanField(
        label=_("I agree that the organisation keeps my name and phone number for this activity.")
    )

    def __init__(self, *args: Any, modes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mode"].choices = [choice for choice in Mode.choices if choice[0] in modes]  # type: ignore[attr-defined]
        self.fields["mode"].initial = modes[0]


class ResidentRegistrationForm(StyledForm):
    activity_id = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    resident_id = forms.IntegerField(label=_("Resident"), min_value=1, widget=forms.HiddenInput)
    mode = forms.ChoiceField(label=_("Taking part"), choices=Mode.choices, initial=Mode.ONSITE)


class CapacityRuleForm(StyledForm):
    distancing_rule = forms.BooleanField(label=_("A distancing rule is in force"), required=False)
    indoor_m2_per_person = forms.FloatField(label=_("Indoors: m² per person"), min_value=0.5, max_value=100)
    outdoor_m2_per_person = forms.FloatField(
        label=_("Outdoors: m² per person (unless a place says otherwise)"), min_value=0.5, max_value=100
    )
