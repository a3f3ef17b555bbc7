"""Reads of going live: a coordinator's open invitations."""

from django.db.models import QuerySet
from django.utils import timezone

from veerkracht.core.access import Capability, can, within_organisation
from veerkracht.core.models import User
from veerkracht.core.roles import Role
from veerkracht.onboarding.models import Invitation


def open_invitations(user: User) -> QuerySet[Invitation]:
    """Invitations of the coordinator's organisation that can still be used, newest first."""
    if not can(user, Capability.MANAGE_TEAMS) or user.role != Role.COORDINATOR:
        return Invitation.objects.none()
    found = Invitation.objects.filter(used_at=None, revoked_at=None, expires_at__gt=timezone.now())
    return within_organisation(found, user).select_related("team")
