"""The team around the professionals: volunteers' sign-up and intake, time sheets, absence.

Basisbaan workers (paid for useful neighbourhood work) and volunteers keep a time sheet per day;
a coordinator approves it. Contract hours per week belong to basisbaan workers.
"""

from typing import ClassVar

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from veerkracht.activities.models import Activity
from veerkracht.core.models import Neighbourhood, Organisation, User
from veerkracht.help.models import Match

MINUTES_PER_DAY = 24 * 60


class ApplicationStatus(models.TextChoices):
    NEW = "new", _("New")
    INTAKE = "intake", _("In intake")
    ACTIVE = "active", _("Active")
    DECLINED = "declined", _("Declined")


class VolunteerApplication(models.Model):
    """A volunteer's sign-up on the public page, and the coordinator's intake checklist."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("neighbourhood"),
    )
    # The volunteer's id in the organisation's previous system: a re-import updates the same volunteer.
    extern_id = models.CharField(_("external id"), max_length=50, blank=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("surname"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    interests = models.JSONField(_("would like to do"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    availability = models.PositiveIntegerField(_("weekly availability"), default=0)  # help.vocabulary moments
    motivation = models.TextField(_("anything else"), max_length=1000, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ApplicationStatus.choices, default="new")
    created_at = models.DateTimeField(default=timezone.now)
    # The intake checklist.
    conversation_on = models.DateField(_("intake conversation held on"), null=True, blank=True)
    reference_name = models.CharField(_("reference"), max_length=200, blank=True)
    reference_checked_on = models.DateField(_("reference checked on"), null=True, blank=True)
    vog_requested_on = models.DateField(_("VOG requested on"), null=True, blank=True)
    vog_received_on = models.DateField(_("VOG received on"), null=True, blank=True)
    intake_note = models.TextField(_("intake note"), max_length=2000, blank=True)
    user = models.OneToOneField(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="application")
    activated_at = models.DateTimeField(null=True, blank=True)
    activated_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("volunteer sign-up")
        ordering = ("-created_at",)
        indexes: ClassVar = [models.Index(fields=["organisation", "status"], name="application_queue")]
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(status__in=ApplicationStatus.values), name="application_status_valid"),
            models.CheckConstraint(condition=~Q(email="") | ~Q(phone=""), name="application_reachable"),
            models.UniqueConstraint(
                fields=["organisation", "extern_id"], condition=~Q(extern_id=""), name="application_extern_id_once"
            ),
            # A certificate of conduct (VOG) is received only after it was requested.
            models.CheckConstraint(
                condition=Q(vog_received_on__isnull=True)
                | Q(vog_requested_on__isnull=False, vog_received_on__gte=F("vog_requested_on")),
                name="application_vog_after_request",
            ),
            models.CheckConstraint(
                condition=~Q(status=ApplicationStatus.ACTIVE) | Q(user__isnull=False), name="application_active_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def intake_complete(self) -> bool:
        return bool(self.conversation_on and self.reference_checked_on and self.vog_received_on)


class Contract(models.Model):
    """A basisbaan worker's contract hours per week, the measure of their monthly overview."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="contract")
    hours_per_week = models.DecimalField(_("contract hours per week"), max_digits=4, decimal_places=1)

    class Meta:
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(hours_per_week__gt=0) & Q(hours_per_week__lte=40), name="contract_hours_in_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.hours_per_week} h/week"


class SheetStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for a change")


class TimeSheet(models.Model):
    """One worker's hours on one day; approved by a coordinator, after which it no longer changes."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    worker = models.ForeignKey(User, on_delete=models.PROTECT, related_name="time_sheets")
    day = models.DateField(_("day"))
    status = models.CharField(_("status"), max_length=10, choices=SheetStatus.choices, default=SheetStatus.SUBMITTED)
    reviewed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(_("note"), max_length=300, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("time sheet")
        ordering = ("-day",)
        indexes: ClassVar = [models.Index(fields=["organisation", "status", "day"], name="timesheet_queue")]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["worker", "day"], name="timesheet_one_per_worker_day"),
            models.CheckConstraint(condition=Q(status__in=SheetStatus.values), name="timesheet_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.worker_id} {self.day}"


class EntryKind(models.TextChoices):
    ACTIVITY = "activity", _("Activity")
    HELP_TASK = "help_task", _("Help task")
    OUTREACH = "outreach", _("Outreach round")
    OTHER = "other", _("Other")


class TimeEntry(models.Model):
    """Hours on one thing: an activity, a help task, an outreach round, or something described."""

    sheet = models.ForeignKey(TimeSheet, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("for"), max_length=10, choices=EntryKind.choices)
    activity = models.ForeignKey(Activity, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    match = models.ForeignKey(Match, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    description = models.CharField(_("what"), max_length=200, blank=True)
    minutes = models.PositiveSmallIntegerField(_("minutes"))

    class Meta:
        ordering = ("pk",)
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(kind__in=EntryKind.values), name="timeentry_kind_valid"),
            models.CheckConstraint(
                condition=Q(minutes__gte=1) & Q(minutes__lte=MINUTES_PER_DAY), name="timeentry_minutes_in_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.minutes} min"


class Unavailability(models.Model):
    """A period a team member is away (holiday, ill, a break); the team page shows who is away."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="unavailability")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    note = models.CharField(_("note"), max_length=100, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ("starts_on",)
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="unavailability_ends_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.starts_on}–{self.ends_on}"
