"""Insights: the daily contact aggregate the dashboards read, the workers' pulse and the neighbourhood survey."""

import uuid
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from veerkracht.core.channels import Channel
from veerkracht.core.models import Neighbourhood, Organisation, User


class ContactCounts(models.Model):
    """Contacts, their minutes and how many reached someone, per neighbourhood and channel."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.CASCADE, null=True, related_name="+")
    channel = models.CharField(max_length=20, choices=Channel.choices)
    contacts = models.PositiveIntegerField(default=0)
    minutes = models.PositiveBigIntegerField(default=0)
    reached = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class ContactDaily(ContactCounts):
    """Contacts per day: the source the monthly table is summed from, and the finest grain kept.

    Kept up to date by ``insights.aggregates`` whenever a contact is logged, and rebuilt from the
    contacts by ``veerkracht insights_rebuild``. Its size grows with days, not with contacts.
    """

    day = models.DateField()

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["organisation", "neighbourhood", "day", "channel"], name="contactdaily_unique"
            ),
            models.UniqueConstraint(
                fields=["organisation", "day", "channel"],
                condition=Q(neighbourhood__isnull=True),
                name="contactdaily_unique_without_neighbourhood",
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["organisation", "day"], name="contactdaily_org_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.channel} {self.contacts}"


class ContactMonthly(ContactCounts):
    """The daily table summed per month, what the channel mix reads: a year is twelve rows per
    channel and neighbourhood, however many contacts there were. Kept and rebuilt with the daily one."""

    month = models.DateField()  # its 1st

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["organisation", "neighbourhood", "month", "channel"], name="contactmonthly_unique"
            ),
            models.UniqueConstraint(
                fields=["organisation", "month", "channel"],
                condition=Q(neighbourhood__isnull=True),
                name="contactmonthly_unique_without_nbh",
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["neighbourhood", "month"], name="contactmonthly_nbh_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.channel} {self.contacts}"


# The bridging dashboard's groups: four age bands (age in the year of the activity), each with
# and without a migration background. One column per group, so a dashboard sums them per kind or
# per activity in a single pass over this table.
AGE_BANDS = ("under_30", "30_54", "55_74", "75_plus")
MIX_GROUPS = tuple(f"age_{band}_{background}" for band in AGE_BANDS for background in ("native", "migration"))


def mix_group(age: int, migration_background: bool) -> str:
    """The column of an attendee of this age (in the activity's year) and background."""
    band = AGE_BANDS[0] if age < 30 else AGE_BANDS[1] if age < 55 else AGE_BANDS[2] if age < 75 else AGE_BANDS[3]
    return f"age_{band}_{'migration' if migration_background else 'native'}"


class AttendanceMix(models.Model):
    """The known attendees of one activity who live in one neighbourhood, counted per group.

    Kept with every attendance (``insights.aggregates.attendance_counted``) and rebuilt by
    ``veerkracht insights_rebuild``; the bridging dashboard reads only this table.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey("activities.Activity", on_delete=models.CASCADE, related_name="+")
    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)  # the activity's, so kinds are summed without a join
    starts_on = models.DateField()  # the activity's day, for the period
    age_under_30_native = models.PositiveIntegerField(default=0)
    age_under_30_migration = models.PositiveIntegerField(default=0)
    age_30_54_native = models.PositiveIntegerField(default=0)
    age_30_54_migration = models.PositiveIntegerField(default=0)
    age_55_74_native = models.PositiveIntegerField(default=0)
    age_55_74_migration = models.PositiveIntegerField(default=0)
    age_75_plus_native = models.PositiveIntegerField(default=0)
    age_75_plus_migration = models.PositiveIntegerField(default=0)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["activity", "neighbourhood"], name="attendancemix_unique"),
        ]
        indexes: ClassVar = [
            models.Index(fields=["neighbourhood", "starts_on"], name="attendancemix_nbh_day"),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} {self.neighbourhood_id}"


class ReachDaily(models.Model):
    """Residents of a neighbourhood in a target group, and how many were reached in a window, today.

    Counted at the first read of the day and kept up to date after that (``insights.reach``);
    rows of earlier days are dropped then.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    window = models.PositiveSmallIntegerField()  # days
    group = models.CharField(max_length=20)  # a marker, "everyone" or "marked"
    residents = models.IntegerField(default=0)
    reached = models.IntegerField(default=0)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["neighbourhood", "day", "window", "group"], name="reachdaily_unique"),
        ]
        indexes: ClassVar = [models.Index(fields=["organisation", "day", "window"], name="reachdaily_org_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.neighbourhood_id} {self.group} {self.reached}/{self.residents}"


class PulseResponse(models.Model):
    """A worker's short check-in for one week: can they carry out their assignment, and how."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    worker = models.ForeignKey(User, on_delete=models.CASCADE, related_name="pulse_responses")
    week = models.DateField(_("week (Monday)"))
    can_carry_out = models.BooleanField(_("I can carry out my assignment"))
    worried_about_clients = models.BooleanField(_("I am worried about clients"))
    working_channels = models.JSONField(_("channels that work"), default=list, blank=True)
    # When the answer was given (or last changed): the monthly figures count it in that month, so
    # a week that began in the previous month still counts in the month its answers came in.
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [models.UniqueConstraint(fields=["worker", "week"], name="pulse_once_a_week")]

    def __str__(self) -> str:
        return f"{self.worker_id} {self.week}"


class Relations(models.TextChoices):
    IMPROVED = "improved", _("Improved")
    SAME = "same", _("Stayed the same")
    WORSE = "worse", _("Got worse")


class AgeGroup(models.TextChoices):
    UNDER_30 = "under_30", _("Under 30")
    FROM_30 = "30_54", _("30 to 54")
    FROM_55 = "55_74", _("55 to 74")
    FROM_75 = "75_plus", _("75 or older")


class Survey(models.Model):
    """A neighbourhood survey (buurtpeiling): one public link, answers on the web or from paper."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=150)
    since = models.DateField(_("relations compared with"))
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    is_open = models.BooleanField(_("open for answers"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.title


class SurveyResponse(models.Model):
    """One anonymous answer: no name, no address; only the neighbourhood and an age group."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.CASCADE, related_name="+")
    age_group = models.CharField(_("age"), max_length=10, choices=AgeGroup.choices)
    relations = models.CharField(_("relations in the neighbourhood"), max_length=10, choices=Relations.choices)
    on_paper = models.BooleanField(default=False)
    entered_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(relations__in=Relations.values), name="survey_relations_valid"),
            models.CheckConstraint(condition=Q(age_group__in=AgeGroup.values), name="survey_age_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id} {self.relations}"
