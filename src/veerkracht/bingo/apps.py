from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BingoConfig(AppConfig):
    name = "veerkracht.bingo"
    verbose_name = _("Bingo")

    def ready(self) -> None:
        from veerkracht.bingo.privacy import PERSONAL_DATA
        from veerkracht.people.registry import register

        register(PERSONAL_DATA)
