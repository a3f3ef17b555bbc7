"""Meeting places (ontmoetingsplekken): community centres, libraries and outdoor space."""

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from veerkracht.core.models import Neighbourhood, Organisation


class PlaceKind(models.TextChoices):
    COMMUNITY_CENTRE = "community_centre", _("Community centre")
    LIBRARY = "library", _("Library")
    PARK = "park", _("Park")
    SQUARE = "square", _("Square")
    COURTYARD = "courtyard", _("Courtyard")
    PLAYGROUND = "playground", _("Playground / speelspot")
    SPORTS_FIELD = "sports_field", _("Sports field")
    SCHOOL = "school", _("School")
    PLACE_OF_WORSHIP = "place_of_worship", _("Place of worship")
    ONLINE = "online", _("Online")


class Place(models.Model):
    """Where activities happen, with what makes it accessible and how many it holds."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="places")
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.PROTECT, null=True, blank=True, related_name="places"
    )
    # The place's id in the organisation's previous system: a re-import updates the same place.
    extern_id = models.CharField(_("external id"), max_length=50, blank=True)
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=PlaceKind.choices)
    street_address = models.CharField(_("address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    indoor = models.BooleanField(_("indoor"), default=True)
    area_m2 = models.PositiveIntegerField(_("floor area (m²)"), null=True, blank=True)
    normal_capacity = models.PositiveIntegerField(_("normal capacity"), null=True, blank=True)
    # Outdoors the space per person differs per place (a narrow courtyard, an open park).
    outdoor_m2_per_person = models.FloatField(_("outdoors: m² per person"), null=True, blank=True)
    x = models.FloatField(_("x (m)"), null=True, blank=True)
    y = models.FloatField(_("y (m)"), null=True, blank=True)
    step_free = models.BooleanField(_("step-free access"), default=False)
    accessible_toilet = models.BooleanField(_("accessible toilet"), default=False)
    hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    seating = models.BooleanField(_("seating"), default=False)
    transit_distance_m = models.PositiveIntegerField(_("distance to public transport (m)"), null=True, blank=True)
    # {"0": [["09:00", "17:00"]], ...} by weekday (0 = Monday); empty means always open.
    opening_hours = models.JSONField(_("opening hours"), default=dict, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("meeting place")
        verbose_name_plural = _("meeting places")
        ordering = ("name",)
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["organisation", "extern_id"], condition=~Q(extern_id=""), name="place_extern_id_once"
            ),
            models.CheckConstraint(condition=Q(kind__in=PlaceKind.values), name="place_kind_valid"),
            models.CheckConstraint(
                condition=Q(outdoor_m2_per_person__isnull=True) | Q(outdoor_m2_per_person__gt=0),
                name="place_outdoor_m2_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name
