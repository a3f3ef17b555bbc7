"""The retention term of files uploaded for an import in the browser, kept by people's retention run."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from veerkracht.core.models import Organisation
from veerkracht.onboarding.models import ImportUpload
from veerkracht.people.retention import Kind, delete


def _import_uploads(organisation: Organisation, now: datetime) -> QuerySet[ImportUpload]:
    """Files uploaded for an import, with their row reports: emptied when imported, gone after the term."""
    hours = timedelta(hours=int(settings.RETENTION_IMPORT_UPLOAD_HOURS))
    return ImportUpload.objects.filter(organisation=organisation, created_at__lt=now - hours)


IMPORT_UPLOADS = Kind(_("files uploaded for an import"), delete, due=_import_uploads)
