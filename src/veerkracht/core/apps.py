from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "veerkracht.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from veerkracht.core import signals, tenancy  # noqa: F401  (login auditing; fresh connections)
        from veerkracht.core.dbroles import policies_after_migrate

        post_migrate.connect(policies_after_migrate, sender=self, dispatch_uid="veerkracht_policies")
