from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BingoConfig(AppConfig):
    name = "veerkracht.bingo"
    verbose_name = _("Bingo")

    def ready(self) -> None:
        from veerkracht.bingo.labels import bingo_lines
        from veerkracht.bingo.privacy import PERSONAL_DATA
        from veerkracht.core.jinja import template_filters
        from veerkracht.people.registry import register

        register(PERSONAL_DATA)
        template_filters.register("bingo_lines", bingo_lines)
