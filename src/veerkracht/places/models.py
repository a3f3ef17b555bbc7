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
    """Where activities happen; the safe capacity under the rule of the day comes later (issue 4)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="places")
    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.PROTECT, null=True, related_name="places")
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=PlaceKind.choices)
    street_address = models.CharField(_("address"), max_length=200, blank=True)
    indoor = models.BooleanField(_("indoor"), default=True)
    area_m2 = models.PositiveIntegerField(_("floor area (m²)"), null=True, blank=True)
    normal_capacity = models.PositiveIntegerField(_("normal capacity"), null=True, blank=True)
    x = models.FloatField(_("x (m)"), null=True, blank=True)
    y = models.FloatField(_("y (m)"), null=True, blank=True)

    class Meta:
        verbose_name = _("meeting place")
        verbose_name_plural = _("meeting places")
        ordering = ("name",)
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(kind__in=PlaceKind.values), name="place_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.name
