"""The contact log (contactmomenten) and concerns (zorgsignalen) with their follow-up."""

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from veerkracht.core.channels import Channel
from veerkracht.core.models import Organisation, User
from veerkracht.people.models import Resident

MAX_DURATION_MINUTES = 24 * 60


class Initiative(models.TextChoices):
    WORKER = "worker", _("Worker")
    RESIDENT = "resident", _("Resident")


class Contact(models.Model):
    """One contact moment with one or more residents over one channel; an attempt counts too."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    worker = models.ForeignKey(User, on_delete=models.PROTECT, related_name="contacts", verbose_name=_("worker"))
    residents: "models.ManyToManyField[Resident, ContactResident]" = models.ManyToManyField(
        Resident, through="ContactResident", related_name="contacts"
    )
    started_at = models.DateTimeField(_("start"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    reached = models.BooleanField(
        _("contact made"), default=True, help_text=_("No for an attempt: nobody home, no answer.")
    )
    language = models.CharField(_("language used"), max_length=3, blank=True)
    interpreter = models.BooleanField(_("interpreter or key figure took part"), default=False)
    initiative = models.CharField(_("initiative"), max_length=10, choices=Initiative.choices, default=Initiative.WORKER)
    topics = models.JSONField(_("topics"), default=list, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes: ClassVar = [
            models.Index(fields=["organisation", "started_at"], name="contact_org_started"),
            models.Index(fields=["worker", "started_at"], name="contact_worker_started"),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="contact_channel_valid"),
            models.CheckConstraint(condition=Q(initiative__in=Initiative.values), name="contact_initiative_valid"),
            models.CheckConstraint(
                condition=Q(duration_minutes__lte=MAX_DURATION_MINUTES), name="contact_duration_at_most_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.started_at:%Y-%m-%d %H:%M}"


class ContactResident(models.Model):
    """A resident taking part in a contact; the contact's time is copied for the timeline index."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="participants")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="contact_links")
    started_at = models.DateTimeField()

    class Meta:
        indexes: ClassVar = [models.Index(fields=["resident", "-started_at"], name="contactresident_timeline")]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["contact", "resident"], name="contactresident_once"),
        ]

    def __str__(self) -> str:
        return f"contact {self.contact_id} with resident {self.resident_id}"


class ConcernCategory(models.TextChoices):
    LONELINESS = "loneliness", _("Loneliness")
    MONEY = "money", _("Money")
    HEALTH = "health", _("Health")
    HOUSING = "housing", _("Housing")
    SAFETY = "safety", _("Safety")
    FOOD = "food", _("Food")
    DIGITAL_EXCLUSION = "digital_exclusion", _("Digital exclusion")
    CARE_FOR_OTHERS = "care_for_others", _("Care for others")
    OTHER = "other", _("Other")


class ConcernStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    REFERRED = "referred", _("Referred")
    CLOSED = "closed", _("Closed")


class Concern(models.Model):
    """A zorgsignaal about a resident, followed up by a worker until it is closed."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="concerns")
    category = models.CharField(_("category"), max_length=20, choices=ConcernCategory.choices)
    severity = models.PositiveSmallIntegerField(
        _("severity"), choices=[(1, _("1 · low")), (2, _("2 · medium")), (3, _("3 · high"))]
    )
    status = models.CharField(_("status"), max_length=12, choices=ConcernStatus.choices, default=ConcernStatus.OPEN)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    raised_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="concerns_raised")
    follow_up_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="concerns_to_follow",
        verbose_name=_("followed up by"),
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    referral_target = models.CharField(_("referred to"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("concern")
        verbose_name_plural = _("concerns")
        indexes: ClassVar = [
            models.Index(fields=["organisation", "status", "-severity", "due_on"], name="concern_worklist"),
            models.Index(fields=["follow_up_by", "status"], name="concern_follow_up"),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(category__in=ConcernCategory.values), name="concern_category_valid"),
            models.CheckConstraint(condition=Q(status__in=ConcernStatus.values), name="concern_status_valid"),
            models.CheckConstraint(condition=Q(severity__gte=1) & Q(severity__lte=3), name="concern_severity_1_to_3"),
            models.CheckConstraint(
                condition=Q(status=ConcernStatus.CLOSED, closed_at__isnull=False)
                | (~Q(status=ConcernStatus.CLOSED) & Q(closed_at__isnull=True)),
                name="concern_closed_at_iff_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} ({self.get_status_display()})"


class ConcernEvent(models.Model):
    """One step in a concern's history: raised, a status change, a new follower."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="history")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    status_from = models.CharField(max_length=12, choices=ConcernStatus.choices, blank=True)
    status_to = models.CharField(max_length=12, choices=ConcernStatus.choices)
    note = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ("at", "id")

    def __str__(self) -> str:
        return f"{self.status_from or '-'} → {self.status_to}"


class CallTask(models.Model):
    """A phone call a worker must make: a planned call, not one that happened (that is a Contact).

    Made where a message cannot reach the resident: a resident reachable only by letter is phoned
    about a video call instead of being sent its link. It stays on the worker's follow-up list
    until the worker ticks it off.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    worker = models.ForeignKey(User, on_delete=models.CASCADE, related_name="call_tasks", verbose_name=_("worker"))
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="call_tasks")
    due_on = models.DateField(_("call on"))
    reason = models.CharField(_("reason"), max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("phone call to make")
        verbose_name_plural = _("phone calls to make")
        indexes: ClassVar = [models.Index(fields=["worker", "done_at", "due_on"], name="calltask_open")]

    def __str__(self) -> str:
        return f"call task {self.pk} on {self.due_on}"
