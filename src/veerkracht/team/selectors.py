"""Reads of the team: sign-ups, time sheets, a month per worker, a team's members and their load."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from veerkracht.activities.models import Activity
from veerkracht.contacts.models import ConcernStatus
from veerkracht.core.access import Capability, accounts_manageable_by, can, teams_visible_to, within_organisation
from veerkracht.core.exceptions import NotFound
from veerkracht.core.models import Team, User
from veerkracht.core.roles import Role
from veerkracht.help.models import OPEN_MATCH, Match
from veerkracht.team.models import (
    ApplicationStatus,
    SheetStatus,
    TimeEntry,
    TimeSheet,
    Unavailability,
    VolunteerApplication,
)


def applications_visible_to(user: User) -> QuerySet[VolunteerApplication]:
    """Volunteers' sign-ups of the organisation, for coordinators."""
    if not can(user, Capability.MANAGE_TEAMS):
        return VolunteerApplication.objects.none()
    return within_organisation(VolunteerApplication.objects.select_related("neighbourhood", "user"), user)


def application_list(user: User, *, status: str = "") -> QuerySet[VolunteerApplication]:
    """Sign-ups waiting first (new, in intake), then the rest; optionally one status."""
    applications = applications_visible_to(user)
    if status in ApplicationStatus.values:
        return applications.filter(status=status).order_by("-created_at")
    return applications.order_by("status", "-created_at")


def application_detail(user: User, application_id: int) -> VolunteerApplication:
    application = applications_visible_to(user).filter(pk=application_id).first()
    if application is None:
        raise NotFound
    return application


def time_sheets_visible_to(user: User) -> QuerySet[TimeSheet]:
    """A coordinator sees the organisation's sheets; a worker their own."""
    sheets = within_organisation(TimeSheet.objects.select_related("worker"), user)
    if can(user, Capability.MANAGE_TEAMS):
        return sheets
    if can(user, Capability.REPORT_HOURS):
        return sheets.filter(worker=user)
    return sheets.none()


def time_sheets_in(user: User, *, month: date | None = None, worker_id: int | None = None) -> QuerySet[TimeSheet]:
    """Visible sheets of a month (and worker), newest day first, with their entries."""
    sheets = time_sheets_visible_to(user)
    if month is not None:
        sheets = sheets.filter(day__year=month.year, day__month=month.month)
    if worker_id is not None:
        sheets = sheets.filter(worker_id=worker_id)
    return sheets.prefetch_related("entries__activity", "entries__match__request").order_by("-day", "worker_id")


def awaiting_approval(user: User) -> QuerySet[TimeSheet]:
    """Days submitted and not yet approved, oldest first: the coordinator's queue."""
    return (
        time_sheets_visible_to(user)
        .filter(status=SheetStatus.SUBMITTED)
        .exclude(worker=user)
        .prefetch_related("entries__activity", "entries__match__request")
        .order_by("day", "worker_id")
    )


@dataclass(frozen=True)
class WorkerMonth:
    worker: User
    contract_hours_per_week: Decimal | None
    expected_hours: Decimal | None  # contract hours × the month's weekdays / 5
    approved_hours: Decimal
    waiting_hours: Decimal
    days: int


def _hours(minutes: int | None) -> Decimal:
    return (Decimal(minutes or 0) / 60).quantize(Decimal("0.01"))


def workdays_in(month: date) -> int:
    """Monday to Friday in the month: the measure of what the contract hours come to."""
    days = calendar.monthrange(month.year, month.month)[1]
    return sum(date(month.year, month.month, day).weekday() < 5 for day in range(1, days + 1))


def month_overview(user: User, month: date) -> list[WorkerMonth]:
    """Per worker with hours in the month (and every basisbaan worker): contract, approved, waiting."""
    sheets = time_sheets_visible_to(user).filter(day__year=month.year, day__month=month.month)
    totals = sheets.values("worker_id").annotate(
        approved=Sum("entries__minutes", filter=Q(status=SheetStatus.APPROVED)),
        waiting=Sum("entries__minutes", filter=~Q(status=SheetStatus.APPROVED)),
        days=Count("pk", distinct=True),
    )
    by_worker = {row["worker_id"]: row for row in totals}
    workers = within_organisation(User.objects.select_related("contract"), user).filter(
        Q(pk__in=by_worker) | Q(role=Role.BASISBAAN, is_active=True)
    )
    if not can(user, Capability.MANAGE_TEAMS):
        workers = workers.filter(pk=user.pk)
    return [_worker_month(worker, by_worker.get(worker.pk, {}), month) for worker in workers.order_by("last_name")]


def _worker_month(worker: User, row: dict[str, int], month: date) -> WorkerMonth:
    contract = getattr(worker, "contract", None)
    per_week = contract.hours_per_week if contract else None
    expected = (per_week * workdays_in(month) / 5).quantize(Decimal("0.1")) if per_week else None
    return WorkerMonth(
        worker, per_week, expected, _hours(row.get("approved")), _hours(row.get("waiting")), row.get("days", 0)
    )


def month_entries(user: User, month: date) -> QuerySet[TimeEntry]:
    """Every visible line of hours in the month, by worker and day, for the payroll export."""
    return (
        TimeEntry.objects.filter(sheet__in=time_sheets_visible_to(user), sheet__day__year=month.year)
        .filter(sheet__day__month=month.month)
        .select_related("sheet__worker", "activity", "match__request")
        .order_by("sheet__worker__last_name", "sheet__worker_id", "sheet__day", "pk")
    )


@dataclass(frozen=True)
class MemberLoad:
    member: User
    open_help_tasks: int
    concerns_to_follow: int
    away: Unavailability | None


def team_for(user: User, team_id: int) -> Team:
    team = teams_visible_to(user).prefetch_related("neighbourhoods").filter(pk=team_id).first()
    if team is None:
        raise NotFound
    return team


def managed_accounts(user: User) -> QuerySet[User]:
    """The worker accounts the user may block and unblock, in a team or not; by name."""
    return accounts_manageable_by(user).prefetch_related("teams").order_by("first_name", "last_name", "pk")


def managed_account(user: User, account_id: int) -> User:
    """One account the user may block and unblock; 404 otherwise."""
    account = accounts_manageable_by(user).filter(pk=account_id).first()
    if account is None:
        raise NotFound
    return account


def team_member_account(user: User, team_id: int, member_id: int) -> tuple[Team, User]:
    """A member of a visible team whose account the user may disable or enable; 404 otherwise."""
    team = team_for(user, team_id)
    member = accounts_manageable_by(user).filter(pk=member_id, teams=team).first()
    if member is None:
        raise NotFound
    return team, member


def team_members_load(team: Team, *, today: date | None = None, with_disabled: bool = False) -> list[MemberLoad]:
    """Members with their role, open help tasks, concerns to follow up, and whether they are away today.

    Disabled accounts are left out, unless ``with_disabled`` (for the coordinator, who can enable them again).
    """
    today = today or timezone.localdate()
    members = team.members.all() if with_disabled else team.members.filter(is_active=True)
    members = members.annotate(
        open_tasks=Count("help_offer__matches", filter=Q(help_offer__matches__status__in=OPEN_MATCH), distinct=True),
        concerns_open=Count(
            "concerns_to_follow", filter=~Q(concerns_to_follow__status=ConcernStatus.CLOSED), distinct=True
        ),
    )
    away = {
        period.user_id: period
        for period in Unavailability.objects.filter(user__in=members, starts_on__lte=today, ends_on__gte=today)
    }
    return [
        MemberLoad(member, member.open_tasks, member.concerns_open, away.get(member.pk))
        for member in members.order_by("role", "first_name", "last_name")
    ]


def upcoming_absence(team: Team, *, today: date | None = None) -> QuerySet[Unavailability]:
    """Periods of absence of the team's members from today on."""
    today = today or timezone.localdate()
    return Unavailability.objects.filter(user__in=team.members.all(), ends_on__gte=today).select_related("user")


@dataclass(frozen=True)
class MyWork:
    activities: list[Activity]
    help_tasks: list[Match]
    sheets: list[TimeSheet]
    away: list[Unavailability]


def my_work(user: User, month: date) -> MyWork:
    """A volunteer's or basisbaan worker's own page: activities, help tasks, this month's hours, absence."""
    now = timezone.now()
    activities = within_organisation(Activity.objects.filter(Q(helpers=user) | Q(organiser=user)), user)
    recent = activities.filter(ends_at__gte=now - timedelta(days=31), cancelled_at=None).distinct()
    tasks = Match.objects.filter(offer__helper=user).select_related("request").order_by("-created_at")
    return MyWork(
        activities=list(recent.order_by("starts_at")[:30]),
        help_tasks=list(tasks.filter(Q(status__in=OPEN_MATCH) | Q(closed_at__gte=now - timedelta(days=31)))[:30]),
        sheets=list(time_sheets_in(user, month=month, worker_id=user.pk)),
        away=list(Unavailability.objects.filter(user=user, ends_on__gte=timezone.localdate())),
    )
