"""API of teams and accounts, to read: the teams one sees with their load, the accounts a coordinator manages."""

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from veerkracht.core.access import Capability, can
from veerkracht.core.gate import require_capability
from veerkracht.core.models import Team, User
from veerkracht.core.pagination import PageQuery, listing, page_of
from veerkracht.core.selectors import teams_with_coverage
from veerkracht.team import selectors

router = Router(tags=["teams and users"])


class NeighbourhoodRef(Schema):
    id: int
    code: str
    name: str


class TeamOut(Schema):
    id: int
    name: str
    neighbourhoods: list[NeighbourhoodRef]
    member_count: int


class TeamPage(Schema):
    items: list[TeamOut]
    count: int


class MemberOut(Schema):
    id: int
    name: str
    role: str
    is_active: bool
    open_help_tasks: int
    concerns_to_follow: int
    away_until: date | None = Field(description="away today, until and including this day")


class TeamDetailOut(TeamOut):
    members: list[MemberOut]


class UserOut(Schema):
    id: int
    username: str
    first_name: str
    last_name: str
    role: str
    is_active: bool = Field(description="false: blocked, cannot sign in")
    team_ids: list[int]


class UserPage(Schema):
    items: list[UserOut]
    count: int


def team_out(team: Team, member_count: int) -> dict[str, Any]:
    neighbourhoods = [{"id": n.pk, "code": n.code, "name": n.name} for n in team.neighbourhoods.all()]
    return {"id": team.pk, "name": team.name, "neighbourhoods": neighbourhoods, "member_count": member_count}


def user_out(account: User) -> dict[str, Any]:
    fields = ("id", "username", "first_name", "last_name", "role", "is_active")
    return {name: getattr(account, name) for name in fields} | {"team_ids": [team.pk for team in account.teams.all()]}


@router.get("/teams", response=TeamPage)
def teams_list(request: HttpRequest, query: Query[PageQuery]) -> dict[str, Any]:
    """The teams the caller sees (a coordinator all of the organisation's, others their own), by name."""
    user = require_capability(request, Capability.VIEW_ORGANISATION)
    rows, count = page_of(teams_with_coverage(user).order_by("name", "pk"), query)
    return listing([team_out(team, team.member_count) for team in rows], count)  # type: ignore[attr-defined]


@router.get("/teams/{team_id}", response=TeamDetailOut)
def teams_read(request: HttpRequest, team_id: int) -> dict[str, Any]:
    """A team with its neighbourhoods and its members' load; blocked members only for a coordinator."""
    user = require_capability(request, Capability.VIEW_ORGANISATION)
    team = selectors.team_for(user, team_id)
    loads = selectors.team_members_load(team, with_disabled=can(user, Capability.MANAGE_TEAMS))
    members = [
        {
            "id": load.member.pk,
            "name": load.member.display_name,
            "role": load.member.role,
            "is_active": load.member.is_active,
            "open_help_tasks": load.open_help_tasks,
            "concerns_to_follow": load.concerns_to_follow,
            "away_until": load.away.ends_on if load.away else None,
        }
        for load in loads
    ]
    return team_out(team, len(members)) | {"members": members}


@router.get("/users", response=UserPage)
def users_list(request: HttpRequest, query: Query[PageQuery]) -> dict[str, Any]:
    """The worker accounts a coordinator manages (in a team or not, blocked ones too), by name."""
    user = require_capability(request, Capability.MANAGE_TEAMS)
    rows, count = page_of(selectors.managed_accounts(user), query)
    return listing([user_out(account) for account in rows], count)


@router.get("/users/{user_id}", response=UserOut)
def users_read(request: HttpRequest, user_id: int) -> dict[str, Any]:
    """One worker account the coordinator manages, as ``GET /users`` lists it; 404 for any other account."""
    user = require_capability(request, Capability.MANAGE_TEAMS)
    return user_out(selectors.managed_account(user, user_id))
