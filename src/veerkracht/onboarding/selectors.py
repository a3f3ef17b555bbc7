"""Reads of going live: a coordinator's open invitations and uploaded files."""

from django.db.models import QuerySet
from django.utils import timezone

from veerkracht.core.access import Capability, can, within_organisation
from veerkracht.core.exceptions import NotFound
from veerkracht.core.models import User
from veerkracht.core.roles import Role
from veerkracht.onboarding.models import ImportUpload, Invitation


def open_invitations(user: User) -> QuerySet[Invitation]:
    """Invitations of the coordinator's organisation that can still be used, newest first."""
    if not can(user, Capability.MANAGE_TEAMS) or user.role != Role.COORDINATOR:
        return Invitation.objects.none()
    found = Invitation.objects.filter(used_at=None, revoked_at=None, expires_at__gt=timezone.now())
    return within_organisation(found, user).select_related("team")


def may_import(user: User) -> bool:
    """Coordinators import, as they invite colleagues; the command line is the platform administrator's."""
    return can(user, Capability.MANAGE_TEAMS) and user.role == Role.COORDINATOR and user.organisation_id is not None


def import_upload_for(user: User, upload_id: int) -> ImportUpload:
    """An upload of the coordinator's organisation; 404 for anyone else."""
    found = within_organisation(ImportUpload.objects.select_related("check_task", "import_task"), user)
    upload = found.filter(pk=upload_id).first() if may_import(user) else None
    if upload is None:
        raise NotFound
    return upload


def recent_uploads(user: User) -> QuerySet[ImportUpload]:
    """The organisation's uploads still kept (until the retention term), newest first."""
    if not may_import(user):
        return ImportUpload.objects.none()
    return within_organisation(ImportUpload.objects.defer("content", "checked", "imported"), user)[:10]
