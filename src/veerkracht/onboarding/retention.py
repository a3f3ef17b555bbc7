"""The retention terms of onboarding's records, kept by people's retention run: files uploaded for an
import in the browser, and residents' invitations once their seven days are over."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from veerkracht.core.models import Organisation
from veerkracht.onboarding.models import ImportUpload
from veerkracht.onboarding.resident_accounts import expired_invitations
from veerkracht.people.retention import Kind, delete


def _import_uploads(organisation: Organisation, now: datetime) -> QuerySet[ImportUpload]:
    """Files uploaded for an import, with their row reports: emptied when imported, gone after the term."""
    hours = timedelta(hours=int(settings.RETENTION_IMPORT_UPLOAD_HOURS))
    return ImportUpload.objects.filter(organisation=organisation, created_at__lt=now - hours)


IMPORT_UPLOADS = Kind(_("files uploaded for an import"), delete, due=_import_uploads)
# An invitation's term is its own seven days: after them its link works for nobody, and the audit log
# keeps who sent it, by which channel, and whether it was accepted or withdrawn.
RESIDENT_INVITATIONS = Kind(_("invitations of residents past their seven days"), delete, due=expired_invitations)
