from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "veerkracht.activities"
    verbose_name = _("Activities")

    def ready(self) -> None:
        from veerkracht.activities.privacy import activities_erase, activities_export
        from veerkracht.people.registry import register_erasure_step, register_export_section

        register_export_section("activities", activities_export)
        register_erasure_step("activities", activities_erase)
