from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "veerkracht.activities"
    verbose_name = _("Activities")

    def ready(self) -> None:
        from veerkracht.activities import online, retention, views
        from veerkracht.activities.privacy import PERSONAL_DATA
        from veerkracht.activities.startpage import start_page_reminder
        from veerkracht.core.daily import register_daily_job
        from veerkracht.core.startpage import register_reminders
        from veerkracht.people.panels import ResidentPanel, resident_panels
        from veerkracht.people.registry import register
        from veerkracht.people.retention import kinds
        from veerkracht.places.panels import PlacePanel, place_panels

        register(PERSONAL_DATA)
        register_reminders("activities: activities I help at", start_page_reminder)
        register_daily_job("activities: online link the day before", online.reminders_job)
        kinds.register("activities: public registrations", retention.PUBLIC_REGISTRATIONS)
        kinds.register("activities: names of walk-ins", retention.WALK_IN_NAMES)
        resident_panels.register(
            "activities: register the resident",
            ResidentPanel("activities/_register_resident_panel.html", views.resident_panel_context),
        )
        place_panels.register(
            "activities: coming activities", PlacePanel("activities/_place_activities.html", views.place_panel_context)
        )
