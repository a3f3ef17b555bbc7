"""Activities at meeting places (or online), registrations with a waitlist, and attendance."""

import uuid
from dataclasses import dataclass
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from veerkracht.core.models import Organisation, User
from veerkracht.core.text_language import is_rtl_language
from veerkracht.people.models import Resident
from veerkracht.places.models import Place


class ActivityKind(models.TextChoices):
    BALKONBINGO = "balkonbingo", _("Balcony bingo")
    PLANTSOENBINGO = "plantsoenbingo", _("Green bingo (plantsoenbingo)")
    PARK_SPORTS = "park_sports", _("Park sports")
    WALK = "walk", _("Neighbourhood walk")
    SPEELSPOT = "speelspot", _("Play spot (speelspot)")
    COFFEE_MORNING = "coffee_morning", _("Coffee morning")
    LANGUAGE_CAFE = "language_cafe", _("Language café")
    WEBINAR = "webinar", _("Webinar")
    OTHER = "other", _("Other")


class TargetGroup(models.TextChoices):
    CHILDREN = "children", _("Children")
    YOUTH = "youth", _("Young people")
    ADULTS = "adults", _("Adults")
    SENIORS = "seniors", _("Seniors")
    OLDER_MIGRANTS = "older_migrants", _("Older migrants")
    EVERYONE = "everyone", _("Everyone")


class Mode(models.TextChoices):
    ONSITE = "onsite", _("On site")
    ONLINE = "online", _("Online")


class Activity(models.Model):
    """One occurrence of an activity; a weekly series is a row per week sharing a ``series`` id."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="activities")
    title = models.CharField(_("title"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    description = models.TextField(_("description"), max_length=3000, blank=True)
    place = models.ForeignKey(Place, on_delete=models.PROTECT, null=True, blank=True, related_name="activities")
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))
    series = models.UUIDField(null=True, blank=True, db_index=True)
    organiser = models.ForeignKey(User, on_delete=models.PROTECT, related_name="organised_activities")
    helpers = models.ManyToManyField(User, blank=True, related_name="helped_activities")
    target_groups = models.JSONField(_("target groups"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    registration_required = models.BooleanField(_("registration required"), default=True)
    max_participants = models.PositiveIntegerField(_("maximum participants on site"), null=True, blank=True)
    max_online = models.PositiveIntegerField(_("maximum participants online"), null=True, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    dial_in = models.CharField(_("dial-in number"), max_length=40, blank=True)
    # Given only to those registered for the online part, with the link (activities/online.py).
    dial_in_pin = models.CharField(_("dial-in PIN"), max_length=20, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ("starts_at", "id")
        indexes: ClassVar = [models.Index(fields=["organisation", "starts_at"], name="activity_org_start")]
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(kind__in=ActivityKind.values), name="activity_kind_valid"),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="activity_ends_after_start"),
            # Online-only activities have a link and no place; others have a place.
            models.CheckConstraint(
                condition=Q(place__isnull=False) | ~Q(online_link=""), name="activity_has_place_or_link"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def text_in(self, language: str, *, with_description: bool = True) -> "ActivityWords":
        """The title and description in ``language`` where the coordinator entered them, else in Dutch.

        Reads the prefetched ``texts`` when there are (``texts_prefetch`` in selectors.py), else asks for
        them. Without the description (a list shows none) the Dutch one is not read either."""
        dutch = settings.LANGUAGE_CODE
        text = None
        if language in TRANSLATED_LANGUAGES:
            text = next((text for text in self.texts.all() if text.language == language), None)
        if text is not None and text.description:
            return ActivityWords(text.title, text.description, language, language)
        description = self.description if with_description else ""
        if text is not None:  # a title alone: the Dutch description stays, marked as Dutch
            return ActivityWords(text.title, description, language, dutch)
        return ActivityWords(self.title, description, dutch, dutch)

    @property
    def online_only(self) -> bool:
        return self.place_id is None

    @property
    def hybrid(self) -> bool:
        return self.place_id is not None and bool(self.online_link or self.dial_in)


# The languages an activity's title and description may be entered in besides Dutch: the site's others.
TRANSLATED_LANGUAGES = ("en", "tr", "ar")


@dataclass(frozen=True)
class ActivityWords:
    """An activity's title and description as shown to someone, with the language each is in (for
    ``lang``, and ``dir`` for Arabic): a translation where there is one, else the Dutch."""

    title: str
    description: str
    title_language: str
    description_language: str

    @property
    def title_dir(self) -> str:
        return "rtl" if is_rtl_language(self.title_language) else "ltr"

    @property
    def description_dir(self) -> str:
        return "rtl" if is_rtl_language(self.description_language) else "ltr"


class ActivityText(models.Model):
    """An activity's title and description in another language than Dutch (the Dutch are on the activity)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=5, choices=[(code, code) for code in TRANSLATED_LANGUAGES])
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), max_length=3000, blank=True)

    class Meta:
        verbose_name = _("translation of an activity")
        verbose_name_plural = _("translations of activities")
        ordering = ("activity", "language")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["activity", "language"], name="activitytext_once_per_language"),
            models.CheckConstraint(condition=Q(language__in=TRANSLATED_LANGUAGES), name="activitytext_language_valid"),
            models.CheckConstraint(condition=~Q(title=""), name="activitytext_has_title"),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} · {self.language}"


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waitlist")
    CANCELLED = "cancelled", _("Cancelled")


def new_cancel_token() -> str:
    return uuid.uuid4().hex


class Registration(models.Model):
    """A place at an activity, for a known resident or a member of the public (name and phone)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="registrations")
    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, null=True, blank=True, related_name="registrations"
    )
    name = models.CharField(_("name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    mode = models.CharField(_("taking part"), max_length=10, choices=Mode.choices, default=Mode.ONSITE)
    # The language the registrant used, so a message about a freed place reaches them in it.
    language = models.CharField(max_length=5, default="nl")
    status = models.CharField(_("status"), max_length=12, choices=RegistrationStatus.choices)
    registered_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    consent_at = models.DateTimeField(null=True, blank=True)
    cancel_token = models.CharField(max_length=32, default=new_cancel_token, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # When the online details went out: on confirmation, and the reminder the day before (once each).
    online_sent_at = models.DateTimeField(null=True, blank=True)
    online_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ("created_at", "id")
        indexes: ClassVar = [models.Index(fields=["activity", "mode", "status"], name="registration_count")]
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(status__in=RegistrationStatus.values), name="registration_status_valid"),
            models.CheckConstraint(condition=Q(mode__in=Mode.values), name="registration_mode_valid"),
            models.CheckConstraint(
                condition=Q(resident__isnull=False) | (~Q(name="") & ~Q(phone="")),
                name="registration_identifies_someone",
            ),
            # The same phone or resident only once per activity, unless cancelled.
            models.UniqueConstraint(
                fields=["activity", "phone"],
                condition=~Q(status="cancelled") & ~Q(phone=""),
                name="registration_phone_once_per_activity",
            ),
            models.UniqueConstraint(
                fields=["activity", "resident"],
                condition=~Q(status="cancelled") & Q(resident__isnull=False),
                name="registration_resident_once_per_activity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} · {self.get_status_display()}"


class Attendance(models.Model):
    """Someone who came: a registration ticked off, or a walk-in."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendances")
    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, null=True, blank=True, related_name="attendance"
    )
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, null=True, blank=True, related_name="attendances")
    walk_in_name = models.CharField(_("name (walk-in)"), max_length=150, blank=True)
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.ONSITE)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["activity", "resident"], condition=Q(resident__isnull=False), name="attendance_resident_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} · {self.resident_id or self.walk_in_name}"
