from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "veerkracht.outreach"
    label = "outreach"
    verbose_name = _("Outreach rounds")

    def ready(self) -> None:
        from veerkracht.core.jinja import template_globals
        from veerkracht.core.startpage import register_reminders
        from veerkracht.outreach import tasks  # noqa: F401 - registers the planning run
        from veerkracht.outreach.privacy import PERSONAL_DATA
        from veerkracht.outreach.selectors import door_flag
        from veerkracht.outreach.startpage import start_page_reminder
        from veerkracht.people.registry import register

        register(PERSONAL_DATA)
        register_reminders("outreach: my rounds", start_page_reminder)
        template_globals.register("door_flag", door_flag)  # the 'visit this door' button on a resident's page
