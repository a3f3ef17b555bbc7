from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpConfig(AppConfig):
    name = "veerkracht.help"
    label = "help"
    verbose_name = _("Neighbour help")

    def ready(self) -> None:
        from veerkracht.core.startpage import register_reminders
        from veerkracht.help import tasks  # noqa: F401 - registers the matching run
        from veerkracht.help.privacy import PERSONAL_DATA
        from veerkracht.help.startpage import start_page_reminder
        from veerkracht.people.registry import register

        register(PERSONAL_DATA)
        register_reminders("help: my help tasks", start_page_reminder)
