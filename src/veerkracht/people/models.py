"""Where residents live (buildings, entrances, courtyards, households) and the residents themselves."""

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from veerkracht.core.channels import Channel
from veerkracht.core.models import Neighbourhood, Organisation, User


class BuildingKind(models.TextChoices):
    FLAT = "flat", _("Block of flats")
    HOUSE = "house", _("House")


class Courtyard(models.Model):
    """A binnenhof between buildings: where balcony bingo and courtyard talks happen."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.PROTECT, related_name="courtyards")
    name = models.CharField(_("name"), max_length=100)
    x = models.FloatField(_("x (m)"))
    y = models.FloatField(_("y (m)"))

    class Meta:
        verbose_name = _("courtyard")
        verbose_name_plural = _("courtyards")

    def __str__(self) -> str:
        return self.name


class Building(models.Model):
    """A house or a block of flats; coordinates are metres on a local RD-like grid."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.PROTECT, related_name="buildings")
    kind = models.CharField(_("kind"), max_length=10, choices=BuildingKind.choices)
    street = models.CharField(_("street"), max_length=100)
    house_number = models.PositiveIntegerField(_("house number"))
    postcode = models.CharField(_("postcode"), max_length=7)
    city = models.CharField(_("place"), max_length=100)
    floors = models.PositiveSmallIntegerField(_("floors"), default=1)
    courtyard = models.ForeignKey(Courtyard, on_delete=models.SET_NULL, null=True, blank=True, related_name="buildings")
    x = models.FloatField(_("x (m)"))
    y = models.FloatField(_("y (m)"))

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(kind__in=BuildingKind.values), name="building_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.street} {self.house_number}"


class Entrance(models.Model):
    """A portiek: a shared stairwell with its own front door and intercom."""

    building = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="entrances")
    label = models.CharField(_("label"), max_length=20)
    x = models.FloatField(_("x (m)"))
    y = models.FloatField(_("y (m)"))

    class Meta:
        verbose_name = _("entrance")
        verbose_name_plural = _("entrances")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["building", "label"], name="entrance_label_unique_per_building"),
        ]

    def __str__(self) -> str:
        return f"{self.building} ({self.label})"


class Household(models.Model):
    """The people living at one address."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.PROTECT, related_name="households")
    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="households")
    entrance = models.ForeignKey(Entrance, on_delete=models.PROTECT, null=True, blank=True, related_name="households")
    street = models.CharField(_("street"), max_length=100)
    house_number = models.PositiveIntegerField(_("house number"))
    house_number_suffix = models.CharField(_("addition"), max_length=10, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, db_index=True)
    city = models.CharField(_("place"), max_length=100)
    floor = models.SmallIntegerField(_("floor"), null=True, blank=True)
    x = models.FloatField(_("x (m)"))
    y = models.FloatField(_("y (m)"))
    # The address was looked up and found in no source (core/bag.py): its position is a stand-in
    # (the neighbourhood's centre) until someone corrects it; the worklist "adres niet gevonden" shows it.
    address_not_found = models.BooleanField(_("address not found"), default=False, db_index=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return self.address

    @property
    def address(self) -> str:
        suffix = f"-{self.house_number_suffix}" if self.house_number_suffix else ""
        return f"{self.street} {self.house_number}{suffix}, {self.postcode} {self.city}"


class Resident(models.Model):
    """A bewoner known to the organisation, with the markers that make them vulnerable."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.PROTECT, related_name="residents")
    # Empty only after erasure: the address is gone with the household.
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="residents", null=True, blank=True)
    user = models.OneToOneField(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="resident")
    # The resident's id in the organisation's previous system: a re-import updates the same resident.
    extern_id = models.CharField(_("external id"), max_length=50, blank=True)
    first_name = models.CharField(_("first name"), max_length=100)
    surname_prefix = models.CharField(_("surname prefix"), max_length=20, blank=True)
    last_name = models.CharField(_("surname"), max_length=100)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"))
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)  # ISO 639-1 codes
    migration_background = models.BooleanField(_("migration background"), default=False)
    lives_alone = models.BooleanField(_("lives alone"), default=False)
    older_migrant = models.BooleanField(_("older migrant"), default=False)
    low_digital_skills = models.BooleanField(_("low digital skills"), default=False)
    limited_mobility = models.BooleanField(_("limited mobility"), default=False)
    informal_carer = models.BooleanField(_("informal carer"), default=False)
    interpreter_needed = models.BooleanField(_("needs an interpreter"), default=False)
    key_figure_needed = models.BooleanField(_("needs a key figure"), default=False)
    # A sleutelpersoon: a trusted member of the resident's own community who speaks their language.
    key_figure = models.CharField(_("key figure"), max_length=200, blank=True)
    preferred_channel = models.CharField(_("preferred channel"), max_length=20, choices=Channel.choices, blank=True)
    consent_given_on = models.DateField(_("consent given on"), null=True, blank=True)
    consent_contact = models.BooleanField(_("consents to contact"), default=False)
    consent_sms = models.BooleanField(_("consents to SMS"), default=False)
    consent_email = models.BooleanField(_("consents to e-mail"), default=False)
    # The channel "app": WhatsApp, with a consent of its own (the provider requires an active opt-in).
    consent_app = models.BooleanField(_("consents to WhatsApp"), default=False)
    consent_help_exchange = models.BooleanField(_("consents to neighbour help"), default=False)
    consent_activities = models.BooleanField(_("consents to activity invitations"), default=False)
    assigned_worker = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="clients",
        verbose_name=_("assigned worker"),
    )
    # Kept up to date by the contact log so the out-of-sight worklist stays an index scan.
    last_reached_at = models.DateTimeField(_("last reached"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed at"), default=timezone.now)
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        indexes: ClassVar = [
            models.Index(fields=["neighbourhood", "birth_year"], name="resident_nbh_birth_year"),
            models.Index(fields=["neighbourhood", "last_reached_at"], name="resident_nbh_last_reached"),
            models.Index(fields=["organisation", "last_name"], name="resident_org_last_name"),
        ]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["organisation", "extern_id"], condition=~Q(extern_id=""), name="resident_extern_id_once"
            ),
            models.CheckConstraint(
                condition=Q(birth_year__gte=1900) & Q(birth_year__lte=2100), name="resident_birth_year_plausible"
            ),
            models.CheckConstraint(
                condition=Q(household__isnull=False) | Q(erased_at__isnull=False),
                name="resident_has_household_until_erased",
            ),
            models.CheckConstraint(
                condition=Q(preferred_channel="") | Q(preferred_channel__in=Channel.values),
                name="resident_preferred_channel_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def is_75_plus(self) -> bool:
        return self.birth_year <= timezone.localdate().year - 75

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.surname_prefix, self.last_name) if part)
