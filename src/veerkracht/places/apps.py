from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "veerkracht.places"
    verbose_name = _("Meeting places")

    def ready(self) -> None:
        from veerkracht.people.panels import ResidentPanel, resident_panels
        from veerkracht.places.resident_map import resident_map_context

        resident_panels.register(
            "places: the home on the map", ResidentPanel("places/resident_map.html", resident_map_context)
        )
