"""Neighbour help (burenhulp): requests for help, offers of help, and the matches between them."""

from typing import ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from veerkracht.core.models import Neighbourhood, Organisation, TaskRun, User
from veerkracht.help.vocabulary import ALL_MOMENTS, HelpKind, PartOfDay
from veerkracht.people.models import Resident

MAX_RADIUS_M = 25_000
MAX_OPEN_TASKS = 20


class Recurrence(models.TextChoices):
    ONCE = "once", _("Once")
    WEEKLY = "weekly", _("Weekly")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PROPOSED = "proposed", _("Proposed to a volunteer")
    ACCEPTED = "accepted", _("Accepted")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")


ACTIVE_REQUEST = (RequestStatus.OPEN, RequestStatus.PROPOSED, RequestStatus.ACCEPTED)


class HelpRequest(models.Model):
    """What a resident needs help with, once within a date window or every week at one moment."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="help_requests")
    kind = models.CharField(_("kind of help"), max_length=12, choices=HelpKind.choices)
    recurrence = models.CharField(_("how often"), max_length=6, choices=Recurrence.choices, default=Recurrence.ONCE)
    first_day = models.DateField(_("from"))
    last_day = models.DateField(_("until"), null=True, blank=True)  # once: the window's end; weekly: none
    weekday = models.PositiveSmallIntegerField(_("weekday"), null=True, blank=True)  # weekly: Monday = 0
    part_of_day = models.PositiveSmallIntegerField(
        _("part of the day"), choices=PartOfDay.choices, null=True, blank=True
    )
    language = models.CharField(_("language preference"), max_length=3, blank=True)
    description = models.CharField(_("short description"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    status_changed_at = models.DateTimeField(default=timezone.now)
    times_helped = models.PositiveIntegerField(default=0)
    unmatched_reason = models.CharField(max_length=20, blank=True)  # from the last matching run

    class Meta:
        verbose_name = _("help request")
        ordering = ("created_at",)
        indexes: ClassVar = [models.Index(fields=["organisation", "status", "created_at"], name="helprequest_queue")]
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(kind__in=HelpKind.values), name="helprequest_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=RequestStatus.values), name="helprequest_status_valid"),
            models.CheckConstraint(
                condition=Q(recurrence=Recurrence.ONCE, last_day__gte=F("first_day"), weekday__isnull=True)
                | Q(recurrence=Recurrence.WEEKLY, last_day__isnull=True, weekday__gte=0, weekday__lte=6),
                name="helprequest_when_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"


class RequestEvent(models.Model):
    """The history of a request's status: who changed it, when, and why."""

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=10, choices=RequestStatus.choices)
    by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ("at", "pk")

    def __str__(self) -> str:
        return f"{self.status} {self.at:%Y-%m-%d %H:%M}"


class HelpOffer(models.Model):
    """What a volunteer, basisbaan worker or neighbour offers: kinds, moments, reach and load."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    helper = models.OneToOneField(User, on_delete=models.CASCADE, related_name="help_offer")
    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.PROTECT, related_name="+")
    kinds = models.JSONField(_("kinds of help offered"), default=list)
    availability = models.PositiveIntegerField(
        _("weekly availability"), default=ALL_MOMENTS, validators=[MaxValueValidator(ALL_MOMENTS)]
    )
    x = models.FloatField(_("home x (m)"))
    y = models.FloatField(_("home y (m)"))
    radius_m = models.PositiveIntegerField(
        _("maximum distance (m)"), validators=[MinValueValidator(1), MaxValueValidator(MAX_RADIUS_M)]
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    max_open_tasks = models.PositiveSmallIntegerField(
        _("maximum open tasks"), validators=[MinValueValidator(1), MaxValueValidator(MAX_OPEN_TASKS)]
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("help offer")
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(radius_m__gte=1), name="helpoffer_radius_positive"),
            models.CheckConstraint(condition=Q(max_open_tasks__gte=1), name="helpoffer_capacity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.helper} ({len(self.kinds)})"


class MatchStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_MATCH = (MatchStatus.PROPOSED, MatchStatus.ACCEPTED)


class Match(models.Model):
    """A request proposed to a helper, with the reasons for the choice; one helper at a time takes it."""

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="matches")
    offer = models.ForeignKey(HelpOffer, on_delete=models.CASCADE, related_name="matches")
    run = models.ForeignKey(TaskRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=10, choices=MatchStatus.choices, default=MatchStatus.PROPOSED)
    distance_m = models.PositiveIntegerField()
    same_language = models.BooleanField(null=True)  # None: the resident has no language preference
    continuity = models.BooleanField(default=False)  # the same helper as last time
    created_at = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("match")
        ordering = ("-created_at",)
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(status__in=MatchStatus.values), name="match_status_valid"),
            # A request may be proposed to several helpers; only one of them can take it.
            models.UniqueConstraint(
                fields=["request"], condition=Q(status=MatchStatus.ACCEPTED), name="match_one_accepted_per_request"
            ),
            models.UniqueConstraint(
                fields=["request", "offer"], condition=Q(status=MatchStatus.PROPOSED), name="match_one_proposal_each"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} → {self.offer_id} ({self.status})"


class HelpGiven(models.Model):
    """One time help was given on a match (once for a one-off request, every week for a weekly one)."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="occasions")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="help_given")
    kind = models.CharField(max_length=12, choices=HelpKind.choices)
    given_on = models.DateField(default=timezone.localdate)
    note = models.CharField(_("short note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-given_on", "-recorded_at")

    def __str__(self) -> str:
        return f"{self.kind} {self.given_on}"


class CheckIn(models.Model):
    """A task for the worker who entered a request: is the help going well? (after the 1st and every 10th time)."""

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="check_ins")
    worker = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    occasion = models.PositiveIntegerField()  # after how many times of help
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("how is it going?"), max_length=300, blank=True)

    class Meta:
        ordering = ("created_at",)
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["request", "occasion"], name="checkin_once_per_occasion"),
        ]

    def __str__(self) -> str:
        return f"check-in {self.request_id} #{self.occasion}"
