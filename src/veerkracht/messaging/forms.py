"""Forms of messages and video calls."""

import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from veerkracht.activities.models import Activity
from veerkracht.core.formstyle import StyledForm
from veerkracht.core.models import Neighbourhood, Team
from veerkracht.messaging.audience import Segment
from veerkracht.messaging.models import MAX_TEXT, SendChannel
from veerkracht.messaging.services import Draft
from veerkracht.messaging.wording import TEMPLATES
from veerkracht.people.models import Building, Entrance
from veerkracht.people.vocabulary import MARKERS

_ADDRESS = re.compile(r"^\s*(\d{4})\s*([A-Za-z]{2})\s+(\d{1,5})\s*$")


class ComposeForm(StyledForm):
    """Who (one resident, or a segment), what (a template or own words) and by which channels."""

    neighbourhood = forms.ModelChoiceField(
        label=_("Neighbourhood"), queryset=Neighbourhood.objects.none(), required=False, empty_label="—"
    )
    building = forms.CharField(
        label=_("Building"), max_length=20, required=False, help_text=_("Postcode and house number, e.g. 1234 AB 12.")
    )
    entrance = forms.CharField(label=_("Entrance of that building"), max_length=20, required=False)
    marker = forms.ChoiceField(label=_("Target group"), choices=[("", "—"), *MARKERS.items()], required=False)
    activity = forms.ModelChoiceField(
        label=_("Activity"),
        queryset=Activity.objects.none(),
        required=False,
        empty_label="—",
        help_text=_("Its details can go into the text ({activity}, {when}, {where}, {link})."),
    )
    registrants = forms.BooleanField(label=_("Only those registered for this activity"), required=False)
    ask_yes_no = forms.BooleanField(
        label=_("Ask for JA or NEE by SMS"),
        required=False,
        help_text=_("A resident who replies JA is registered for the activity; NEE cancels their registration."),
    )
    template = forms.ChoiceField(
        label=_("Template"),
        choices=[("", _("My own words")), *((name, wording.label) for name, wording in TEMPLATES.items())],
        required=False,
    )
    subject = forms.CharField(label=_("Subject (e-mail and letter)"), max_length=150, required=False)
    text = forms.CharField(
        label=_("Text"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("{first_name} becomes the resident's first name. Leave empty to use the template."),
    )
    channels = forms.MultipleChoiceField(
        label=_("Channels, in this order"),
        choices=SendChannel.choices,
        initial=list(SendChannel.values),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each resident gets the first channel they consented to; the channel they prefer goes first."),
    )

    team = forms.ModelChoiceField(
        label=_("On behalf of"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=_("Myself (answers come to me)"),
        help_text=_("E-mail answers go to the team's address."),
    )

    def __init__(
        self,
        *args: Any,
        neighbourhoods: QuerySet[Neighbourhood],
        activities: Any,
        teams: QuerySet[Team] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = neighbourhoods  # type: ignore[attr-defined]
        self.fields["activity"].queryset = activities  # type: ignore[attr-defined]
        self.fields["team"].queryset = teams if teams is not None else Team.objects.none()  # type: ignore[attr-defined]

    def clean_building(self) -> Building | None:
        text = self.cleaned_data["building"]
        if not text.strip():
            return None
        match = _ADDRESS.match(text)
        if match is None:
            raise forms.ValidationError(_("Enter a postcode and house number, e.g. 1234 AB 12."))
        postcode = f"{match.group(1)} {match.group(2).upper()}"
        neighbourhoods = self.fields["neighbourhood"].queryset  # type: ignore[attr-defined]
        building = Building.objects.filter(
            neighbourhood__in=neighbourhoods, postcode=postcode, house_number=int(match.group(3))
        ).first()
        if building is None:
            raise forms.ValidationError(_("No building at this address in your neighbourhoods."))
        return building

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        building, label = cleaned.get("building"), (cleaned.get("entrance") or "").strip()
        cleaned["entrance_obj"] = None
        if label:
            entrance = Entrance.objects.filter(building=building, label__iexact=label).first() if building else None
            if entrance is None:
                self.add_error("entrance", _("Enter an entrance of the building above."))
            cleaned["entrance_obj"] = entrance
        if cleaned.get("registrants") and not cleaned.get("activity"):
            self.add_error("registrants", _("Choose the activity."))
        return cleaned

    def draft(self, resident_ids: tuple[int, ...] = ()) -> Draft:
        """The writer's choices as a draft for the services."""
        data = self.cleaned_data
        activity = data.get("activity")
        segment = Segment(
            neighbourhood_id=data["neighbourhood"].pk if data.get("neighbourhood") else None,
            building_id=data["building"].pk if data.get("building") else None,
            entrance_id=data["entrance_obj"].pk if data.get("entrance_obj") else None,
            marker=data.get("marker") or "",
            activity_id=activity.pk if activity and data.get("registrants") else None,
        )
        return Draft(
            text=data.get("text") or "",
            template=data.get("template") or "",
            subject=data.get("subject") or "",
            channels=tuple(data.get("channels") or ()),
            resident_ids=resident_ids,
            segment=None if resident_ids else segment,
            activity_id=activity.pk if activity else None,
            ask_yes_no=bool(data.get("ask_yes_no")),
            team_id=data["team"].pk if data.get("team") else None,
        )


class VideoCallForm(StyledForm):
    scheduled_at = forms.DateTimeField(
        label=_("When"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )


class VideoCallDoneForm(StyledForm):
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        min_value=1,
        max_value=1440,
        required=False,
        help_text=_("Leave empty to count from when you started the call."),
    )
