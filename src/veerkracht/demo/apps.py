from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "veerkracht.demo"
    verbose_name = _("Demo city")

    def ready(self) -> None:
        from veerkracht.core.startup import startup_checks
        from veerkracht.demo.logins import refuse_demo_logins_outside_demo_mode

        startup_checks.register("demo: published logins", refuse_demo_logins_outside_demo_mode)
