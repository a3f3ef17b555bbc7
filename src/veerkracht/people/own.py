"""Reads for a signed-in resident about themselves: their own record and who their worker is."""

from dataclasses import dataclass

from django.db.models import Prefetch

from veerkracht.core.audit import audit_record
from veerkracht.core.exceptions import NotFound
from veerkracht.core.models import AuditAction, Team, User
from veerkracht.core.roles import Role
from veerkracht.people.models import Resident
from veerkracht.people.selectors import RESIDENT

# The team members a resident may reach: its professionals (buurtcoaches and the like).
_REACHABLE = User.objects.filter(is_active=True, role=Role.PROFESSIONAL)


@dataclass(frozen=True)
class OwnWorkers:
    """Whom a resident can reach: their own worker, else the professionals of their wijkteam."""

    assigned: User | None
    teams: list[Team]


def own_resident(user: User) -> Resident:
    """The signed-in resident's own record, its reading audited; 404 for every other account."""
    if not (user.is_active and user.role == Role.RESIDENT and user.organisation_id is not None):
        raise NotFound
    found = (
        Resident.objects.filter(user=user, organisation_id=user.organisation_id, erased_at__isnull=True)
        .select_related("household", "neighbourhood", "assigned_worker")
        .first()
    )
    if found is None:
        raise NotFound
    audit_record(action=AuditAction.VIEW, actor=user, object_type=RESIDENT, object_id=found.pk)
    return found


def own_workers(resident: Resident) -> OwnWorkers:
    """The resident's assigned worker, and the teams covering their neighbourhood with their professionals."""
    teams = (
        Team.objects.filter(organisation_id=resident.organisation_id, neighbourhoods=resident.neighbourhood_id)
        .prefetch_related(Prefetch("members", queryset=_REACHABLE.order_by("first_name", "pk"), to_attr="workers"))
        .order_by("name")
    )
    return OwnWorkers(assigned=resident.assigned_worker, teams=list(teams))
