"""Forms of the contact log and concerns."""

from datetime import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from veerkracht.contacts.models import Concern, ConcernCategory, ConcernStatus, Initiative
from veerkracht.contacts.vocabulary import TOPICS
from veerkracht.core.channels import Channel
from veerkracht.core.formstyle import StyledForm
from veerkracht.core.models import Neighbourhood, User
from veerkracht.people.models import Resident
from veerkracht.people.vocabulary import LANGUAGES

DURATIONS = [(5, "5 min"), (10, "10 min"), (15, "15 min"), (30, "30 min"), (45, "45 min"), (60, "1 uur")]
# The channels a worker uses most come first, so the quick form fits a phone screen.
QUICK_CHANNELS = [
    Channel.PHONE,
    Channel.VIDEO_CALL,
    Channel.HOME_VISIT,
    Channel.FACE_TO_FACE,
    Channel.PORCH_TALK,
    Channel.INTERCOM,
    Channel.BALCONY,
    Channel.WALK,
    Channel.MESSAGING,
    Channel.EMAIL,
    Channel.WEBINAR,
    Channel.ACTIVITY,
]


class ContactQuickForm(StyledForm):
    """Three taps: a channel, a duration, save. Everything else has a sensible default."""

    past_dates = frozenset({"started_at"})

    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[(channel.value, channel.label) for channel in QUICK_CHANNELS],
        widget=forms.RadioSelect,
    )
    duration_minutes = forms.TypedChoiceField(
        label=_("Duration"), choices=DURATIONS, coerce=int, initial=15, widget=forms.RadioSelect
    )
    reached = forms.ChoiceField(
        label=_("Result"),
        choices=[("1", _("Contact made")), ("0", _("Attempt: no answer or nobody home"))],
        initial="1",
        required=False,
        widget=forms.RadioSelect,
    )
    started_at = forms.DateTimeField(
        label=_("Start"),
        required=False,
        help_text=_("Leave empty for now."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    initiative = forms.ChoiceField(
        label=_("Initiative"),
        choices=Initiative.choices,
        initial=Initiative.WORKER,
        required=False,
        widget=forms.RadioSelect,
    )
    language = forms.ChoiceField(label=_("Language used"), choices=[("", "—"), *LANGUAGES], required=False)
    interpreter = forms.BooleanField(label=_("An interpreter or key figure took part"), required=False)
    topics = forms.MultipleChoiceField(
        label=_("Topics"), choices=TOPICS, required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(
        label=_("Short note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    follow_up_on = forms.DateField(
        label=_("Follow up on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def start(self) -> datetime:
        value: datetime | None = self.cleaned_data.get("started_at")
        return value or timezone.now()


def fresh_quick_form(resident: Resident) -> dict[str, Any]:
    """The context of a resident's contact panel with a fresh form, made only if it is drawn.

    The panel draws a fresh form once per language and preferred channel (a cached fragment, see
    contact_panel.html). Making one copies all its fields and their choices: work wasted on every
    page that finds the drawing kept.
    """
    channel = resident.preferred_channel or None
    return {"contact_form": SimpleLazyObject(lambda: ContactQuickForm(initial={"channel": channel})), "fresh": True}


class ConcernForm(StyledForm):
    category = forms.ChoiceField(label=_("Category"), choices=ConcernCategory.choices)
    severity = forms.TypedChoiceField(
        label=_("Severity"),
        coerce=int,
        choices=[(1, _("1 · low")), (2, _("2 · medium")), (3, _("3 · high"))],
        initial=2,
        widget=forms.RadioSelect,
    )
    description = forms.CharField(
        label=_("Description"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    follow_up_by = forms.ModelChoiceField(label=_("Followed up by"), queryset=User.objects.none(), required=False)
    due_on = forms.DateField(label=_("Due on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    referral_target = forms.CharField(
        label=_("Referred to"),
        required=False,
        max_length=200,
        help_text=_("For example huisarts, wijkteam, schuldhulp."),
    )

    def __init__(self, *args: Any, workers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["follow_up_by"].queryset = workers  # type: ignore[attr-defined]
        self.fields["follow_up_by"].empty_label = _("Myself")  # type: ignore[attr-defined]


class ConcernUpdateForm(StyledForm):
    status = forms.ChoiceField(label=_("Status"), choices=ConcernStatus.choices)
    follow_up_by = forms.ModelChoiceField(label=_("Followed up by"), queryset=User.objects.none(), required=False)
    due_on = forms.DateField(label=_("Due on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    referral_target = forms.CharField(label=_("Referred to"), required=False, max_length=200)
    note = forms.CharField(
        label=_("Note on this step"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, workers: QuerySet[User], concern: Concern, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "status": concern.status,
                "follow_up_by": concern.follow_up_by,
                "due_on": concern.due_on,
                "referral_target": concern.referral_target,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["follow_up_by"].queryset = workers  # type: ignore[attr-defined]


class OutOfSightForm(StyledForm):
    neighbourhood = forms.ModelChoiceField(
        label=_("Neighbourhood"), queryset=Neighbourhood.objects.none(), required=False
    )
    days = forms.IntegerField(label=_("No contact for at least (days)"), min_value=1, max_value=730, required=False)
    order = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[("oldest", _("Longest out of sight first")), ("newest", _("Most recently reached first"))],
    )

    def __init__(self, *args: Any, neighbourhoods: QuerySet[Neighbourhood], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = neighbourhoods  # type: ignore[attr-defined]
        self.fields["neighbourhood"].empty_label = _("All my neighbourhoods")  # type: ignore[attr-defined]
