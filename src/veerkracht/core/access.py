"""The access policy: who may see and do what. Every view and API endpoint asks here.

Each role has a fixed set of capabilities; scoped look-ups (which neighbourhoods a user covers)
live beside them so that no view decides access on its own. Outside a user's scope the answer is
404, never 403, so that outsiders learn nothing about what exists.
"""

from enum import Enum, StrEnum
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest

from veerkracht.core.models import Neighbourhood, Team, User
from veerkracht.core.roles import Role


class Capability(StrEnum):
    VIEW_ORGANISATION = "view_organisation"  # teams, neighbourhoods, aggregate counts
    VIEW_RESIDENT_REGISTER = "view_resident_register"
    VIEW_AUDIT_LOG = "view_audit_log"
    VIEW_OWN_TASKS = "view_own_tasks"
    VIEW_OWN_PROFILE = "view_own_profile"
    VIEW_AGGREGATES = "view_aggregates"
    MANAGE_TEAMS = "manage_teams"  # volunteers' intake and activation, approving hours, members' absence
    ERASE_RESIDENTS = "erase_residents"
    PLAN_ACTIVITIES = "plan_activities"  # plan, register residents, tick attendance
    HELP_AT_ACTIVITIES = "help_at_activities"  # see own activities' registrations, tick attendance
    SET_CAPACITY_RULE = "set_capacity_rule"
    MATCH_HELP = "match_help"  # enter help requests for residents in scope, match, follow up
    OFFER_HELP = "offer_help"  # keep an offer of help, accept and finish the tasks proposed
    ASK_HELP = "ask_help"  # ask for help for oneself
    ANSWER_PULSE = "answer_pulse"  # the workers' weekly check-in
    PLAN_OUTREACH = "plan_outreach"  # plan outreach rounds in the neighbourhoods one covers, flag doors
    WALK_OUTREACH = "walk_outreach"  # walk one's own rounds and tick the doors
    SET_OUTREACH_PRIORITIES = "set_outreach_priorities"  # the organisation's priority weights
    REPORT_HOURS = "report_hours"  # keep one's own time sheet (basisbaan, volunteers)
    SEND_MESSAGES = "send_messages"  # SMS, e-mail and letters to residents in scope
    HOLD_VIDEO_CALLS = "hold_video_calls"  # video call appointments with residents in scope
    PRODUCE_INSPECTION = "produce_inspection"  # answer a resident's request for access (AVG art. 15)


_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.COORDINATOR: frozenset(
        {
            Capability.VIEW_ORGANISATION,
            Capability.VIEW_RESIDENT_REGISTER,
            Capability.VIEW_AUDIT_LOG,
            Capability.VIEW_AGGREGATES,
            Capability.MANAGE_TEAMS,
            Capability.ERASE_RESIDENTS,
            Capability.PLAN_ACTIVITIES,
            Capability.HELP_AT_ACTIVITIES,
            Capability.SET_CAPACITY_RULE,
            Capability.MATCH_HELP,
            Capability.ANSWER_PULSE,
            Capability.PLAN_OUTREACH,
            Capability.WALK_OUTREACH,
            Capability.SET_OUTREACH_PRIORITIES,
            Capability.SEND_MESSAGES,
            Capability.HOLD_VIDEO_CALLS,
            Capability.PRODUCE_INSPECTION,
        }
    ),
    Role.PROFESSIONAL: frozenset(
        {
            Capability.VIEW_ORGANISATION,
            Capability.VIEW_RESIDENT_REGISTER,
            Capability.VIEW_OWN_TASKS,
            Capability.PLAN_ACTIVITIES,
            Capability.HELP_AT_ACTIVITIES,
            Capability.MATCH_HELP,
            Capability.VIEW_AGGREGATES,  # their teams' neighbourhoods
            Capability.ANSWER_PULSE,
            Capability.PLAN_OUTREACH,
            Capability.WALK_OUTREACH,
            Capability.SEND_MESSAGES,
            Capability.HOLD_VIDEO_CALLS,
        }
    ),
    Role.BASISBAAN: frozenset(
        {
            Capability.VIEW_OWN_TASKS,
            Capability.PLAN_ACTIVITIES,
            Capability.HELP_AT_ACTIVITIES,
            Capability.OFFER_HELP,
            Capability.ANSWER_PULSE,
            Capability.WALK_OUTREACH,
            Capability.REPORT_HOURS,
        }
    ),
    Role.VOLUNTEER: frozenset(
        {
            Capability.VIEW_OWN_TASKS,
            Capability.HELP_AT_ACTIVITIES,
            Capability.OFFER_HELP,
            Capability.WALK_OUTREACH,
            Capability.REPORT_HOURS,
        }
    ),
    Role.RESIDENT: frozenset({Capability.VIEW_OWN_PROFILE, Capability.OFFER_HELP, Capability.ASK_HELP}),
    Role.PRIVACY_OFFICER: frozenset({Capability.VIEW_AUDIT_LOG, Capability.PRODUCE_INSPECTION}),
    Role.FUNDER: frozenset({Capability.VIEW_AGGREGATES}),
}


def is_active_member(user: User) -> bool:
    """Signed in, not disabled, and inside an organisation."""
    return bool(user.is_authenticated and user.is_active and user.organisation_id is not None)


M = TypeVar("M", bound=Model)


def within_organisation(queryset: QuerySet[M], user: User) -> QuerySet[M]:
    """Tenant isolation: only the records of the user's own organisation, nothing without one."""
    if user.organisation_id is None:
        return queryset.none()
    return queryset.filter(organisation_id=user.organisation_id)


def organisation_id_of(user: User) -> int:
    """The user's organisation; writes by a user outside every organisation are refused."""
    if user.organisation_id is None:
        raise PermissionDenied("no organisation")
    return user.organisation_id


def workers_of(user: User) -> QuerySet[User]:
    """The active professionals and coordinators of the user's organisation, to assign work to."""
    workers = within_organisation(User.objects.filter(is_active=True), user)
    return workers.filter(role__in=[Role.PROFESSIONAL, Role.COORDINATOR]).order_by("first_name", "last_name")


MANAGED_ACCOUNT_ROLES = (Role.VOLUNTEER, Role.BASISBAAN, Role.PROFESSIONAL)


def accounts_manageable_by(user: User) -> QuerySet[User]:
    """The worker accounts a coordinator may disable and enable: their organisation's volunteers,
    basisbaan workers and professionals (disabled ones too), never their own; nobody for other roles."""
    if not can(user, Capability.MANAGE_TEAMS) or user.role != Role.COORDINATOR:
        return User.objects.none()
    accounts = within_organisation(User.objects.filter(role__in=MANAGED_ACCOUNT_ROLES), user)
    return accounts.exclude(pk=user.pk)


def request_user(request: HttpRequest) -> User:
    """The signed-in user of a request that passed the sign-in gate; 404 otherwise."""
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user


def capabilities_of(user: User) -> frozenset[Capability]:
    """Everything the user's role allows; nothing for anonymous or disabled users."""
    if not is_active_member(user):
        return frozenset()
    return _CAPABILITIES.get(user.role, frozenset())


def can(user: User, capability: Capability) -> bool:
    """Whether the user's role grants the capability."""
    return capability in capabilities_of(user)


class RegisterScope(Enum):
    """How far a user sees into the resident register: it decides the shape of every scoped query."""

    NONE = "none"  # volunteers, basisbaan workers and every other role: only task-scoped data elsewhere
    ORGANISATION = "organisation"  # coordinators
    TEAMS = "teams"  # professionals: their teams' neighbourhoods


def register_scope(user: User) -> RegisterScope:
    """Decided on every request from the user as they are now (role, account, organisation)."""
    if user.organisation_id is None or not can(user, Capability.VIEW_RESIDENT_REGISTER):
        return RegisterScope.NONE
    return RegisterScope.ORGANISATION if user.role == Role.COORDINATOR else RegisterScope.TEAMS


def neighbourhoods_covered_by(user: User) -> QuerySet[Neighbourhood]:
    """The neighbourhoods whose residents the user may see in the register.

    Coordinators cover their whole organisation, professionals their teams' neighbourhoods, and
    every other role none: volunteers and basisbaan workers only ever see task-scoped data.
    """
    scope = register_scope(user)
    if scope is RegisterScope.NONE or user.organisation_id is None:
        return Neighbourhood.objects.none()
    return neighbourhoods_in(scope, organisation_id=user.organisation_id, user_id=user.pk)


def neighbourhoods_in(scope: RegisterScope, *, organisation_id: int, user_id: int | None) -> QuerySet[Neighbourhood]:
    """A scope's neighbourhoods from the user's ids alone."""
    neighbourhoods = Neighbourhood.objects.filter(organisation_id=organisation_id)
    if scope is RegisterScope.ORGANISATION:
        return neighbourhoods
    if scope is RegisterScope.TEAMS:
        return neighbourhoods.filter(teams__members=user_id).distinct()
    return neighbourhoods.none()


def teams_visible_to(user: User) -> QuerySet[Team]:
    """Coordinators see every team of their organisation; others the teams they belong to."""
    teams = within_organisation(Team.objects.all(), user)
    if not is_active_member(user):
        return teams.none()
    if user.role == Role.COORDINATOR:
        return teams
    return teams.filter(members=user)
