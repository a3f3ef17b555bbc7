"""Outreach rounds (portiekrondes): the priority weights, flagged doors, rounds, their walkers, stops and visits."""

from typing import Any, ClassVar

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from veerkracht.contacts.models import Concern, Contact
from veerkracht.core.models import Neighbourhood, Organisation, TaskRun, User
from veerkracht.engines.priority import Weights
from veerkracht.outreach.vocabulary import Outcome, VisitKind
from veerkracht.people.models import Resident
from veerkracht.places.models import Place

MAX_WEIGHT = 1000
DEFAULTS = Weights()


def _weight(label: Any, default: int, help_text: Any = "") -> models.PositiveSmallIntegerField[int, int]:
    """A weight field; ``label`` and ``help_text`` are lazy translations."""
    return models.PositiveSmallIntegerField(
        label, default=default, validators=[MaxValueValidator(MAX_WEIGHT)], help_text=help_text
    )


class PriorityWeights(models.Model):
    """An organisation's weights for the priority formula (``engines.priority``); the defaults until saved."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="+")
    concern = _weight(_("per point of severity of an open concern"), DEFAULTS.concern)
    overdue = _weight(_("per concern past its due date"), DEFAULTS.overdue)
    unseen = _weight(_("per week without contact"), DEFAULTS.unseen)
    max_weeks = _weight(_("count weeks without contact up to"), DEFAULTS.max_weeks, _("Never reached counts as this."))
    marker = _weight(_("per vulnerability marker"), DEFAULTS.marker)
    flag = _weight(_("when a worker asked for a visit"), DEFAULTS.flag)
    not_home = _weight(_("per time not home in the last two weeks (at most 3)"), DEFAULTS.not_home)
    refused_rest_days = _weight(_("leave alone after a refusal (days)"), DEFAULTS.refused_rest_days)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    FIELDS = ("concern", "overdue", "unseen", "max_weeks", "marker", "flag", "not_home", "refused_rest_days")

    class Meta:
        verbose_name = _("priority weights")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(concern__lte=MAX_WEIGHT)
                & Q(overdue__lte=MAX_WEIGHT)
                & Q(unseen__lte=MAX_WEIGHT)
                & Q(max_weeks__lte=MAX_WEIGHT)
                & Q(marker__lte=MAX_WEIGHT)
                & Q(flag__lte=MAX_WEIGHT)
                & Q(not_home__lte=MAX_WEIGHT)
                & Q(refused_rest_days__lte=MAX_WEIGHT),
                name="priorityweights_at_most_1000",
            ),
        ]

    def __str__(self) -> str:
        return f"priority weights of {self.organisation_id}"

    def as_engine(self) -> Weights:
        return Weights(**{name: getattr(self, name) for name in self.FIELDS})


class DoorFlag(models.Model):
    """A worker's request to visit a resident's door on the next round; cleared once someone talked with them."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="door_flags")
    flagged_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    note = models.CharField(_("why"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    cleared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["resident"], condition=Q(cleared_at__isnull=True), name="doorflag_one_open_per_resident"
            ),
        ]

    def __str__(self) -> str:
        return f"flag on resident {self.resident_id}"


class RoundStatus(models.TextChoices):
    PLANNING = "planning", _("Planning")
    PLANNED = "planned", _("Planned")
    FAILED = "failed", _("Could not be planned")


class RoundProblem(models.TextChoices):
    NO_CANDIDATES = "no_candidates", _("There are no residents to visit in this neighbourhood.")
    TOO_SHORT = "too_short", _("The walkers' hours are too short for even one door.")
    ERROR = "error", _("Planning failed. Please try again; if it fails again, contact the administrator.")


class OutreachRound(models.Model):
    """A portiekronde or buurtronde: a day, a neighbourhood, the kinds of visit and the walkers."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    kinds = models.JSONField(_("kinds of visit"), default=list)
    planned_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    run = models.OneToOneField(TaskRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=10, choices=RoundStatus.choices, default=RoundStatus.PLANNING)
    problem = models.CharField(max_length=20, choices=RoundProblem.choices, blank=True)
    candidates = models.PositiveIntegerField(default=0)  # residents with a priority when it was planned
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("outreach round")
        ordering = ("-date", "-created_at")
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(status__in=RoundStatus.values), name="outreachround_status_valid"),
        ]

    def __str__(self) -> str:
        return f"round {self.date} in {self.neighbourhood_id}"


class RoundWalker(models.Model):
    """A worker on a round: their hours and where they start (and end) walking."""

    round = models.ForeignKey(OutreachRound, on_delete=models.CASCADE, related_name="walkers")
    worker = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    place = models.ForeignKey(Place, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    start_label = models.CharField(max_length=200)  # the place's name or the address
    x = models.FloatField()
    y = models.FloatField()

    class Meta:
        ordering = ("pk",)
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["round", "worker"], name="roundwalker_once_per_round"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="roundwalker_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.worker_id} on round {self.round_id}"

    @property
    def budget_s(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds())


class RoundStop(models.Model):
    """A door on a walker's list: in which order, when, which visit, and why this door."""

    round = models.ForeignKey(OutreachRound, on_delete=models.CASCADE, related_name="stops")
    walker = models.ForeignKey(RoundWalker, on_delete=models.CASCADE, related_name="stops")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField()  # 1, 2, 3, ... on the walker's list
    kind = models.CharField(max_length=20, choices=VisitKind.choices)
    priority = models.PositiveIntegerField()
    reasons = models.JSONField(default=list)  # [{"code", "count", "points"}] from engines.priority
    expected_at = models.DateTimeField()
    x = models.FloatField()
    y = models.FloatField()

    class Meta:
        ordering = ("walker", "position")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["round", "resident"], name="roundstop_resident_once_per_round"),
            models.UniqueConstraint(fields=["walker", "position"], name="roundstop_position_once"),
            models.CheckConstraint(condition=Q(kind__in=VisitKind.values), name="roundstop_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"stop {self.position} of walker {self.walker_id}"


class Visit(models.Model):
    """What happened at a door. One per stop: a second device or a double tap cannot log it twice."""

    stop = models.OneToOneField(RoundStop, on_delete=models.CASCADE, related_name="visit")
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=VisitKind.choices)
    note = models.CharField(_("short note"), max_length=500, blank=True)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    contact = models.ForeignKey(Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    concern = models.ForeignKey(Concern, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(outcome__in=Outcome.values), name="visit_outcome_valid"),
            models.CheckConstraint(condition=Q(channel__in=VisitKind.values), name="visit_channel_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.outcome} at stop {self.stop_id}"
