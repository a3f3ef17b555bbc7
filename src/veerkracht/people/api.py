"""API of the resident register: list, read, register, change, export, erase (the timeline: contacts/api.py)."""

from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from veerkracht.core.access import Capability, neighbourhoods_covered_by, workers_of
from veerkracht.core.gate import require_capability
from veerkracht.core.models import AuditAction, Neighbourhood, User
from veerkracht.core.pagination import PageQuery, listing, page_of
from veerkracht.core.patches import PatchSchema
from veerkracht.core.windows import PastDate
from veerkracht.people.export import resident_export
from veerkracht.people.models import Resident
from veerkracht.people.selectors import audit_residents_listed, resident_for, resident_search
from veerkracht.people.services import Address, resident_erase, resident_register, resident_update
from veerkracht.people.vocabulary import MARKERS

router = Router(tags=["residents"])
REGISTER = Capability.VIEW_RESIDENT_REGISTER
MarkerName = Literal[
    "aged_75_plus", "lives_alone", "older_migrant", "low_digital_skills", "limited_mobility", "informal_carer"
]
FLAGS = (
    "migration_background",
    "lives_alone",
    "older_migrant",
    "low_digital_skills",
    "limited_mobility",
    "informal_carer",
    "interpreter_needed",
    "key_figure_needed",
    "consent_contact",
    "consent_sms",
    "consent_email",
    "consent_app",
    "consent_help_exchange",
    "consent_activities",
)


class NeighbourhoodRef(Schema):
    id: int
    code: str
    name: str


class AddressOut(Schema):
    street: str
    house_number: int
    house_number_suffix: str
    postcode: str
    city: str
    floor: int | None


class ResidentOut(Schema):
    id: int
    first_name: str
    surname_prefix: str
    last_name: str
    birth_year: int
    neighbourhood: NeighbourhoodRef
    address: AddressOut | None
    phone: str
    email: str
    languages: list[str]
    markers: list[str]
    migration_background: bool
    interpreter_needed: bool
    key_figure_needed: bool
    key_figure: str
    preferred_channel: str
    consent_given_on: date | None
    consent_contact: bool
    consent_sms: bool
    consent_email: bool
    consent_app: bool
    consent_help_exchange: bool
    consent_activities: bool
    assigned_worker_id: int | None
    last_reached_at: datetime | None


class ResidentIn(Schema):
    first_name: str = Field(..., min_length=1, max_length=100)
    surname_prefix: str = Field("", max_length=20)
    last_name: str = Field(..., min_length=1, max_length=100)
    birth_year: int = Field(..., ge=1900, le=2100)
    neighbourhood_id: int
    street: str = Field(..., min_length=1, max_length=100)
    house_number: int = Field(..., ge=1, le=99999)
    house_number_suffix: str = Field("", max_length=10)
    postcode: str = Field(..., max_length=7)
    floor: int | None = Field(None, ge=-2, le=60)
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)
    languages: list[str] = Field(default_factory=list)
    preferred_channel: str = ""
    key_figure: str = Field("", max_length=200)
    consent_given_on: PastDate | None = None
    assigned_worker_id: int | None = None
    migration_background: bool = False
    lives_alone: bool = False
    older_migrant: bool = False
    low_digital_skills: bool = False
    limited_mobility: bool = False
    informal_carer: bool = False
    interpreter_needed: bool = False
    key_figure_needed: bool = False
    consent_contact: bool = False
    consent_sms: bool = False
    consent_email: bool = False
    consent_app: bool = False
    consent_help_exchange: bool = False
    consent_activities: bool = False


class ResidentPatch(PatchSchema):
    nullable = frozenset({"floor", "consent_given_on", "assigned_worker_id"})

    first_name: str | None = Field(None, min_length=1, max_length=100)
    surname_prefix: str | None = Field(None, max_length=20)
    last_name: str | None = Field(None, min_length=1, max_length=100)
    birth_year: int | None = Field(None, ge=1900, le=2100)
    neighbourhood_id: int | None = None
    street: str | None = Field(None, min_length=1, max_length=100)
    house_number: int | None = Field(None, ge=1, le=99999)
    house_number_suffix: str | None = Field(None, max_length=10)
    postcode: str | None = Field(None, max_length=7)
    floor: int | None = Field(None, ge=-2, le=60)
    phone: str | None = Field(None, max_length=20)
    email: str | None = Field(None, max_length=254)
    languages: list[str] | None = None
    preferred_channel: str | None = None
    key_figure: str | None = Field(None, max_length=200)
    consent_given_on: PastDate | None = None
    assigned_worker_id: int | None = None
    migration_background: bool | None = None
    lives_alone: bool | None = None
    older_migrant: bool | None = None
    low_digital_skills: bool | None = None
    limited_mobility: bool | None = None
    informal_carer: bool | None = None
    interpreter_needed: bool | None = None
    key_figure_needed: bool | None = None
    consent_contact: bool | None = None
    consent_sms: bool | None = None
    consent_email: bool | None = None
    consent_app: bool | None = None
    consent_help_exchange: bool | None = None
    consent_activities: bool | None = None


class ResidentFilters(PageQuery):
    q: str = Field("", max_length=100)
    neighbourhood: int | None = None
    marker: MarkerName | None = None


class ResidentPage(Schema):
    items: list[ResidentOut]
    count: int


class Erased(Schema):
    erased: bool


def resident_out(resident: Resident) -> dict[str, Any]:
    household = resident.household
    this_year = timezone.localdate().year
    markers = [name for name in MARKERS if name != "aged_75_plus" and getattr(resident, name)]
    if resident.birth_year <= this_year - 75:
        markers.insert(0, "aged_75_plus")
    simple = (
        "id",
        "first_name",
        "surname_prefix",
        "last_name",
        "birth_year",
        "phone",
        "email",
        "languages",
        "key_figure",
        "preferred_channel",
        "consent_given_on",
        "assigned_worker_id",
        "last_reached_at",
    )
    return {
        **{name: getattr(resident, name) for name in simple + FLAGS},
        "neighbourhood": resident.neighbourhood,
        "address": household,
        "markers": markers,
    }


def _worker(user: User, worker_id: int | None) -> User | None:
    """The assigned worker by id; the service checks that it is a worker of the organisation."""
    if worker_id is None:
        return None
    worker = workers_of(user).filter(pk=worker_id).first()
    if worker is None:
        raise ValidationError({"assigned_worker": _("Choose a worker of your own organisation.")})
    return worker


def _neighbourhood(user: User, neighbourhood_id: int) -> Neighbourhood:
    found = neighbourhoods_covered_by(user).filter(pk=neighbourhood_id).first()
    if found is None:
        raise ValidationError({"neighbourhood": _("You cannot register residents in this neighbourhood.")})
    return found


def _attributes(data: dict[str, Any], user: User) -> dict[str, Any]:
    address_fields = {"neighbourhood_id", "street", "house_number", "house_number_suffix", "postcode", "floor"}
    attributes = {name: value for name, value in data.items() if name not in address_fields}
    if "assigned_worker_id" in attributes:
        attributes["assigned_worker"] = _worker(user, attributes.pop("assigned_worker_id"))
    return attributes


@router.get("/residents", response=ResidentPage)
def residents_list(request: HttpRequest, filters: Query[ResidentFilters]) -> dict[str, Any]:
    """Residents in the caller's scope, filtered by text, neighbourhood and marker."""
    user = require_capability(request, REGISTER)
    residents = resident_search(user, q=filters.q, neighbourhood_id=filters.neighbourhood, marker=filters.marker or "")
    items, count = page_of(residents, filters)
    audit_residents_listed(user, items)
    return listing([resident_out(resident) for resident in items], count)


@router.get("/residents/{resident_id}", response=ResidentOut)
def residents_read(request: HttpRequest, resident_id: int) -> dict[str, Any]:
    user = require_capability(request, REGISTER)
    return resident_out(resident_for(user, resident_id, action=AuditAction.VIEW))


@router.post("/residents", response={201: ResidentOut})
def residents_create(request: HttpRequest, payload: ResidentIn) -> Status[dict[str, Any]]:
    """Register a resident in a neighbourhood the caller covers."""
    user = require_capability(request, REGISTER)
    data = payload.dict()
    address = Address(
        street=data["street"],
        house_number=data["house_number"],
        postcode=data["postcode"],
        city="",
        house_number_suffix=data["house_number_suffix"],
        floor=data["floor"],
    )
    resident = resident_register(
        by=user,
        neighbourhood=_neighbourhood(user, data["neighbourhood_id"]),
        address=address,
        attributes=_attributes(data, user),
    )
    return Status(201, resident_out(resident))


def _patched_address(resident: Resident, data: dict[str, Any]) -> Address | None:
    keys = {"street", "house_number", "house_number_suffix", "postcode", "floor"}
    if not keys & set(data):
        return None
    household = resident.household
    current = {key: getattr(household, key) for key in keys} if household else {}
    merged = {**current, **{key: data[key] for key in keys if key in data}}
    return Address(
        street=merged.get("street") or "",
        house_number=merged.get("house_number") or 0,
        postcode=merged.get("postcode") or "",
        city="",
        house_number_suffix=merged.get("house_number_suffix") or "",
        floor=merged.get("floor"),
    )


@router.patch("/residents/{resident_id}", response=ResidentOut)
def residents_update(request: HttpRequest, resident_id: int, payload: ResidentPatch) -> dict[str, Any]:
    """Change some of a resident's register data; fields left out stay as they are."""
    user = require_capability(request, REGISTER)
    resident = resident_for(user, resident_id, action=AuditAction.VIEW)
    data = payload.dict(exclude_unset=True)
    neighbourhood_id = data.get("neighbourhood_id")
    resident = resident_update(
        by=user,
        resident=resident,
        changes=_attributes(data, user),
        neighbourhood=_neighbourhood(user, neighbourhood_id) if neighbourhood_id else None,
        address=_patched_address(resident, data),
    )
    return resident_out(resident)


@router.get("/residents/{resident_id}/export", response=dict[str, Any])
def residents_export(request: HttpRequest, resident_id: int) -> dict[str, Any]:
    """Everything the organisation holds on the resident, with the log of who read it."""
    user = require_capability(request, REGISTER)
    return resident_export(by=user, resident_id=resident_id)


@router.post("/residents/{resident_id}/erase", response=Erased)
def residents_erase(request: HttpRequest, resident_id: int) -> dict[str, bool]:
    """Erase the resident's personal data (coordinators only)."""
    user = require_capability(request, Capability.ERASE_RESIDENTS)
    resident = resident_for(user, resident_id, action=AuditAction.VIEW)
    resident_erase(by=user, resident=resident)
    return {"erased": True}
