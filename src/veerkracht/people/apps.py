from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "veerkracht.people"
    verbose_name = _("Residents")

    def ready(self) -> None:
        from veerkracht.core import audit_names
        from veerkracht.people.selectors import RESIDENT, resident_names

        audit_names.register(RESIDENT, _("Resident"), resident_names)
