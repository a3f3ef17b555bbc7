from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "veerkracht.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from veerkracht.core import signals, tenancy  # noqa: F401  (login auditing; fresh connections)
