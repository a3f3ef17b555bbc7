from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "veerkracht.activities"
    verbose_name = _("Activities")

    def ready(self) -> None:
        from veerkracht.activities.privacy import PERSONAL_DATA
        from veerkracht.people.registry import register

        register(PERSONAL_DATA)
