"""The roles and job titles of the glossary (docs/architecture.md, "Glossary")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    PROFESSIONAL = "professional", _("Professional")
    BASISBAAN = "basisbaan", _("Basisbaan worker")
    VOLUNTEER = "volunteer", _("Volunteer")
    RESIDENT = "resident", _("Resident")
    PRIVACY_OFFICER = "privacy_officer", _("Privacy officer")
    FUNDER = "funder", _("Funder (municipality)")


class JobTitle(models.TextChoices):
    SOCIAL_WORKER = "sociaal_werker", _("Social worker")
    OPBOUWWERKER = "opbouwwerker", _("Community worker")
    BUURTCOACH = "buurtcoach", _("Neighbourhood coach")
    GEBIEDSMAKELAAR = "gebiedsmakelaar", _("Area broker")
    WIJKMEESTER = "wijkmeester", _("Neighbourhood caretaker")
    BUURTSPORTCOACH = "buurtsportcoach", _("Neighbourhood sports coach")
