from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "veerkracht.outreach"
    label = "outreach"
    verbose_name = _("Outreach rounds")

    def ready(self) -> None:
        from veerkracht.outreach import tasks  # noqa: F401 - registers the planning run
        from veerkracht.outreach.privacy import PERSONAL_DATA
        from veerkracht.people.registry import register

        register(PERSONAL_DATA)
