from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamConfig(AppConfig):
    name = "veerkracht.team"
    verbose_name = _("Team: volunteers, hours and absence")

    def ready(self) -> None:
        from veerkracht.people.registry import register
        from veerkracht.people.retention import kinds
        from veerkracht.team.privacy import PERSONAL_DATA
        from veerkracht.team.retention import DECLINED_APPLICATIONS

        register(PERSONAL_DATA)
        kinds.register("team: declined applications", DECLINED_APPLICATIONS)
