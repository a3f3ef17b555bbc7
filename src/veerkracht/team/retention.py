"""The retention term of declined volunteer applications, kept by people's retention run."""

from datetime import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from veerkracht.core.models import Organisation
from veerkracht.people.retention import Kind, days, delete
from veerkracht.team.models import ApplicationStatus, VolunteerApplication


def _declined_applications(organisation: Organisation, now: datetime) -> QuerySet[VolunteerApplication]:
    cutoff = now - days("RETENTION_DECLINED_APPLICATION_DAYS")
    return VolunteerApplication.objects.filter(
        organisation=organisation, status=ApplicationStatus.DECLINED, created_at__lt=cutoff
    )


DECLINED_APPLICATIONS = Kind(_("declined volunteer applications"), delete, due=_declined_applications)
