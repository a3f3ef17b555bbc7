"""Writes of the resident register: register, change, erase. Each one is audited."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from veerkracht.core.access import neighbourhoods_covered_by
from veerkracht.core.audit import audit_record
from veerkracht.core.bag import FoundAddress, address_find, neighbourhood_of
from veerkracht.core.models import AuditAction, AuditAddress, AuditEvent, IdempotencyRecord, Neighbourhood, User
from veerkracht.core.roles import Role
from veerkracht.people.addresses import household_at, normalise_postcode
from veerkracht.people.counters import residents_written
from veerkracht.people.models import Building, BuildingKind, Household, Resident
from veerkracht.people.registry import registered
from veerkracht.people.selectors import RESIDENT
from veerkracht.people.vocabulary import LANGUAGE_CODES

# What a worker may set on a resident, besides the neighbourhood and the address.
EDITABLE = (
    "first_name",
    "surname_prefix",
    "last_name",
    "birth_year",
    "phone",
    "email",
    "languages",
    "migration_background",
    "lives_alone",
    "older_migrant",
    "low_digital_skills",
    "limited_mobility",
    "informal_carer",
    "interpreter_needed",
    "key_figure_needed",
    "key_figure",
    "preferred_channel",
    "consent_given_on",
    "consent_contact",
    "consent_sms",
    "consent_email",
    "consent_app",
    "consent_help_exchange",
    "consent_activities",
    "assigned_worker",
)
ERASED_NAME = "(gewist)"


@dataclass(frozen=True)
class Address:
    street: str
    house_number: int
    postcode: str
    city: str
    house_number_suffix: str = ""
    floor: int | None = None


def _check_scope(by: User, neighbourhood: Neighbourhood) -> None:
    if not neighbourhoods_covered_by(by).filter(pk=neighbourhood.pk).exists():
        raise ValidationError({"neighbourhood": _("You cannot register residents in this neighbourhood.")})


def _check_attributes(by: User, attributes: dict[str, Any]) -> None:
    unknown = set(attributes) - set(EDITABLE)
    if unknown:
        raise ValidationError({name: _("This field cannot be set.") for name in sorted(unknown)})
    year = attributes.get("birth_year")
    if year is not None and not 1900 <= year <= timezone.localdate().year:
        raise ValidationError({"birth_year": _("Enter a year of birth between 1900 and this year.")})
    if not set(attributes.get("languages") or []) <= LANGUAGE_CODES:
        raise ValidationError({"languages": _("Choose languages from the list.")})
    worker = attributes.get("assigned_worker")
    if worker is not None and (
        worker.organisation_id != by.organisation_id or worker.role not in (Role.PROFESSIONAL, Role.COORDINATOR)
    ):
        raise ValidationError({"assigned_worker": _("Choose a worker of your own organisation.")})


def _located(by: User, neighbourhood: Neighbourhood, address: Address) -> tuple[Neighbourhood, FoundAddress | None]:
    """The address in the register (BAG) and the neighbourhood it lies in (the one chosen when unknown)."""
    if not address.street.strip() or address.house_number < 1:
        raise ValidationError({"street": _("Enter the street and house number.")})
    postcode = normalise_postcode(address.postcode)
    found = address_find(neighbourhood.organisation_id, postcode, address.house_number, address.house_number_suffix)
    real = neighbourhood_of(neighbourhood.organisation_id, found) if found is not None else None
    return (real or neighbourhood), found


def _household_for(neighbourhood: Neighbourhood, address: Address, found: FoundAddress | None) -> Household:
    return household_at(
        neighbourhood=neighbourhood,
        street=address.street.strip(),
        house_number=address.house_number,
        house_number_suffix=address.house_number_suffix.strip(),
        postcode=normalise_postcode(address.postcode),
        city=address.city.strip() or neighbourhood.organisation.city,
        floor=address.floor,
        found=found,
    )


@transaction.atomic
def resident_register(
    *,
    by: User,
    neighbourhood: Neighbourhood,
    address: Address,
    attributes: dict[str, Any],
) -> Resident:
    """Register a resident in a neighbourhood the worker covers, at an address (household).

    The address is looked up in the register: when found, the resident lives at its real position
    in the neighbourhood it lies in; when not, the household is flagged ``address_not_found``.
    """
    neighbourhood, found = _located(by, neighbourhood, address)
    _check_scope(by, neighbourhood)
    _check_attributes(by, attributes)
    resident = Resident(
        organisation_id=neighbourhood.organisation_id,
        neighbourhood=neighbourhood,
        household=_household_for(neighbourhood, address, found),
        **attributes,
    )
    resident.full_clean()
    with residents_written() as written:  # the reach counts follow (people/counters.py)
        resident.save()
        written.append(resident.pk)
    audit_record(
        action=AuditAction.CREATE,
        actor=by,
        object_type=RESIDENT,
        object_id=resident.pk,
        fields=sorted(attributes),
    )
    return resident


@transaction.atomic
def resident_update(
    *,
    by: User,
    resident: Resident,
    changes: dict[str, Any],
    neighbourhood: Neighbourhood | None = None,
    address: Address | None = None,
) -> Resident:
    """Change a resident's register data; the audit log names the fields that changed."""
    _check_attributes(by, changes)
    changed = [name for name, value in changes.items() if getattr(resident, name) != value]
    for name in changed:
        setattr(resident, name, changes[name])
    found = None
    if address is not None:
        neighbourhood, found = _located(by, neighbourhood or resident.neighbourhood, address)
    if neighbourhood is not None and neighbourhood.pk != resident.neighbourhood_id:
        _check_scope(by, neighbourhood)
        resident.neighbourhood = neighbourhood
        changed.append("neighbourhood")
    if address is not None:
        household = _household_for(resident.neighbourhood, address, found)
        if household.pk != resident.household_id:
            resident.household = household
            changed.append("address")
    if changed:
        resident.updated_at = timezone.now()
        resident.full_clean()
        with residents_written([resident.pk]):
            resident.save()
        audit_record(
            action=AuditAction.UPDATE,
            actor=by,
            object_type=RESIDENT,
            object_id=resident.pk,
            fields=changed,
        )
    return resident


def _erase_account(user: User) -> None:
    user.username = f"gewist-{user.pk}"
    user.first_name = user.last_name = user.email = ""
    user.language = ""  # the language they chose says something about them too
    user.is_active = False
    user.set_unusable_password()  # a new password hash also ends every session of the account
    user.save()
    user.api_tokens.all().delete()
    user.notifications.all().delete()
    # The addresses the account signed in and worked from; the events themselves stay, sealed (ADR 18).
    their_events = AuditEvent.objects.filter(Q(actor=user) | Q(on_behalf_of=user)).exclude(ip_digest="")
    AuditAddress.objects.filter(digest__in=their_events.values("ip_digest")).delete()


def _erase_address(household: Household | None) -> None:
    """Remove the household (and a house that only it used) once nobody else lives there."""
    if household is None or household.residents.filter(erased_at__isnull=True).exists():
        return
    building = household.building
    household.delete()
    if building.kind == BuildingKind.HOUSE and not building.households.exists():
        Building.objects.filter(pk=building.pk).delete()


@transaction.atomic
def resident_erase(*, by: User | None, resident: Resident) -> None:
    """Erase a resident on request (AVG art. 17): personal data goes, anonymous counts stay.

    Name, contact details, key figure and address are removed; notes about the resident are
    emptied by each app's erasure step; year of birth, neighbourhood, markers and the times and
    channels of contacts stay, so the dashboards keep their counts. ``by`` is None when the
    retention schedule erases.
    """
    household = resident.household
    for declaration in registered():
        declaration.erase(resident)
    if resident.user is not None:
        _erase_account(resident.user)
    resident.first_name = resident.surname_prefix = resident.phone = resident.email = resident.key_figure = ""
    resident.extern_id = ""
    resident.last_name = ERASED_NAME
    resident.household = None
    resident.assigned_worker = None
    resident.erased_at = resident.updated_at = timezone.now()
    with residents_written([resident.pk]):  # the counts keep the year, area and markers no longer
        resident.save()
    _erase_address(household)
    # Replayable answers may quote the resident; they are a short-lived cache, so clear them all.
    IdempotencyRecord.objects.filter(status__isnull=False).delete()
    audit_record(
        action=AuditAction.ERASE,
        actor=by,
        organisation=resident.neighbourhood.organisation,
        object_type=RESIDENT,
        object_id=resident.pk,
    )
