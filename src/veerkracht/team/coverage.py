"""Writes of which teams an organisation has and which neighbourhoods each covers (the coordinator's)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from veerkracht.core.access import Capability, can, within_organisation
from veerkracht.core.audit import audit_record
from veerkracht.core.exceptions import NotFound
from veerkracht.core.models import AuditAction, Neighbourhood, Team, User

TEAM = "core.team"


def _coordinator(by: User) -> int:
    """The coordinator's organisation; anyone else is refused."""
    if by.organisation_id is None or not can(by, Capability.MANAGE_TEAMS):
        raise PermissionDenied
    return by.organisation_id


@transaction.atomic
def team_create(*, by: User, name: str) -> Team:
    """A new team in the coordinator's organisation; its neighbourhoods are given on the team's page."""
    organisation_id = _coordinator(by)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Enter the team's name.")})
    if Team.objects.filter(organisation_id=organisation_id, name__iexact=name).exists():
        raise ValidationError({"name": _("There is already a team with this name.")})
    team = Team.objects.create(organisation_id=organisation_id, name=name[:100])
    audit_record(action=AuditAction.CREATE, actor=by, object_type=TEAM, object_id=team.pk, fields=["name"])
    return team


@transaction.atomic
def team_neighbourhoods_set(*, by: User, team_id: int, neighbourhood_ids: list[int]) -> Team:
    """The neighbourhoods the team covers (its professionals see those neighbourhoods' residents)."""
    _coordinator(by)
    team = within_organisation(Team.objects.select_for_update(), by).filter(pk=team_id).first()
    if team is None:
        raise NotFound
    chosen = list(within_organisation(Neighbourhood.objects.filter(pk__in=neighbourhood_ids), by))
    if len(chosen) != len(set(neighbourhood_ids)):
        raise ValidationError({"neighbourhoods": _("Choose neighbourhoods of your own organisation.")})
    team.neighbourhoods.set(chosen)
    audit_record(
        action=AuditAction.UPDATE,
        actor=by,
        object_type=TEAM,
        object_id=team.pk,
        fields=["neighbourhoods"],
    )
    return team


@transaction.atomic
def team_email_set(*, by: User, team_id: int, email: str) -> Team:
    """The team's e-mail address (empty: none), where answers to e-mail sent on the team's behalf go."""
    _coordinator(by)
    team = within_organisation(Team.objects.select_for_update(), by).filter(pk=team_id).first()
    if team is None:
        raise NotFound
    email = email.strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None
    team.email = email
    team.full_clean()
    team.save(update_fields=["email"])
    audit_record(action=AuditAction.UPDATE, actor=by, object_type=TEAM, object_id=team.pk, fields=["email"])
    return team
