from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpConfig(AppConfig):
    name = "veerkracht.help"
    label = "help"
    verbose_name = _("Neighbour help")

    def ready(self) -> None:
        from veerkracht.help import tasks  # noqa: F401 - registers the matching run
        from veerkracht.help.privacy import PERSONAL_DATA
        from veerkracht.people.registry import register

        register(PERSONAL_DATA)
