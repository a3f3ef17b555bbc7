"""API of places and activities: public programme, planning, registration, attendance."""

from datetime import datetime
from typing import Annotated, Any, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import StringConstraints

from veerkracht.activities.models import Activity, ActivityKind, Mode, Registration
from veerkracht.activities.selectors import activity_managed, public_activities, seat_limit
from veerkracht.activities.services import (
    DESCRIPTION_MAX,
    TITLE_MAX,
    ActivityPlan,
    Translation,
    activity_plan,
    attendance_record,
    capacity_rule_set,
    registration_cancel,
    registration_create,
)
from veerkracht.core import throttle
from veerkracht.core.access import Capability, can
from veerkracht.core.api_auth import optional_bearer_user
from veerkracht.core.api_contract import ErrorOut
from veerkracht.core.gate import require_capability
from veerkracht.core.models import User
from veerkracht.core.origin import client_ip
from veerkracht.core.pagination import PageQuery, listing, page_of
from veerkracht.core.patches import PatchSchema
from veerkracht.core.tenancy import as_anonymous
from veerkracht.core.windows import PlannedMoment
from veerkracht.places.capacity import place_safe_capacity
from veerkracht.places.models import Place, PlaceKind
from veerkracht.places.services import place_create, place_delete, place_update

router = Router(tags=["places and activities"])


class PlaceOut(Schema):
    id: int
    name: str
    kind: str
    street_address: str
    postcode: str
    neighbourhood_code: str | None
    indoor: bool
    area_m2: int | None
    normal_capacity: int | None
    safe_capacity: int | None
    step_free: bool
    accessible_toilet: bool
    hearing_loop: bool
    seating: bool
    transit_distance_m: int | None
    opening_hours: dict[str, list[list[str]]]
    contact_person: str
    x: float | None
    y: float | None


class PlaceIn(Schema):
    name: str = Field(..., min_length=1, max_length=150)
    kind: PlaceKind
    neighbourhood_id: int | None = None
    street_address: str = Field("", max_length=200)
    postcode: str = Field("", max_length=7)
    indoor: bool = True
    area_m2: int | None = Field(None, ge=0, le=1_000_000)
    normal_capacity: int | None = Field(None, ge=0, le=100_000)
    outdoor_m2_per_person: float | None = Field(None, gt=0, le=1000)
    step_free: bool = False
    accessible_toilet: bool = False
    hearing_loop: bool = False
    seating: bool = False
    transit_distance_m: int | None = Field(None, ge=0, le=100_000)
    opening_hours: dict[str, list[list[str]]] = Field(default_factory=dict)
    contact_person: str = Field("", max_length=200)
    x: float | None = None
    y: float | None = None


class PlacePatch(PatchSchema):
    """A place's details to change; fields left out stay, the nullable ones are emptied with null."""

    nullable = frozenset(
        {"neighbourhood_id", "area_m2", "normal_capacity", "outdoor_m2_per_person", "transit_distance_m", "x", "y"}
    )

    name: str | None = Field(None, min_length=1, max_length=150)
    kind: PlaceKind | None = None
    neighbourhood_id: int | None = None
    street_address: str | None = Field(None, max_length=200)
    postcode: str | None = Field(None, max_length=7)
    indoor: bool | None = None
    area_m2: int | None = Field(None, ge=0, le=1_000_000)
    normal_capacity: int | None = Field(None, ge=0, le=100_000)
    outdoor_m2_per_person: float | None = Field(None, gt=0, le=1000)
    step_free: bool | None = None
    accessible_toilet: bool | None = None
    hearing_loop: bool | None = None
    seating: bool | None = None
    transit_distance_m: int | None = Field(None, ge=0, le=100_000)
    opening_hours: dict[str, list[list[str]]] | None = None
    contact_person: str | None = Field(None, max_length=200)
    x: float | None = None
    y: float | None = None


class DistancingRule(Schema):
    """The organisation's distancing rule of the day; without it places hold their normal capacity."""

    distancing_rule: bool
    indoor_m2_per_person: float = Field(..., ge=0.5, le=100)
    outdoor_m2_per_person: float = Field(..., ge=0.5, le=100, description="unless a place says otherwise")


class DistancingRuleSet(DistancingRule):
    over_capacity_activity_ids: list[int] = Field(
        description="future activities with more confirmed registrations than now fit; their organisers were told"
    )


class PlaceFilters(PageQuery):
    organisation: str = Field("", max_length=60, description="the organisation's short name")
    step_free: bool | None = None


class PlacePage(Schema):
    items: list[PlaceOut]
    count: int


TranslatedLanguage = Literal["en", "tr", "ar"]  # activities.models.TRANSLATED_LANGUAGES
TranslatedTitle = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=TITLE_MAX)]


class ActivityTextOut(Schema):
    title: str
    description: str


class ActivityTextIn(Schema):
    """The title (required, not only spaces) and description in a language besides Dutch."""

    title: TranslatedTitle
    description: str = Field("", max_length=DESCRIPTION_MAX)


class ActivityOut(Schema):
    id: int
    title: str
    kind: str
    description: str
    translations: dict[str, ActivityTextOut] = Field(
        description="the title and description in English, Turkish or Arabic, where entered; Dutch is above"
    )
    place_id: int | None
    starts_at: datetime
    ends_at: datetime
    registration_required: bool
    max_participants: int | None
    max_online: int | None
    seats_on_site: int | None
    online: bool
    target_groups: list[str]
    languages: list[str]
    public_url: str


class ActivityIn(Schema):
    title: str = Field(..., min_length=1, max_length=150)
    kind: ActivityKind
    place_id: int | None = None
    starts_at: PlannedMoment
    ends_at: PlannedMoment
    description: str = Field("", max_length=3000)
    max_participants: int | None = Field(None, ge=1, le=10_000)
    max_online: int | None = Field(None, ge=1, le=10_000)
    online_link: str = Field("", max_length=200)
    dial_in: str = Field("", max_length=40)
    dial_in_pin: str = Field("", max_length=20)
    registration_required: bool = True
    target_groups: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list)
    helper_ids: list[int] = Field(default_factory=list)
    translations: dict[TranslatedLanguage, ActivityTextIn] = Field(
        default_factory=dict, description="by language (en, tr, ar): the title and description besides the Dutch"
    )


class ActivityFilters(PageQuery):
    from_: PlannedMoment | None = Field(None, alias="from")
    to: PlannedMoment | None = None
    neighbourhood: str = Field("", max_length=10, description="CBS code (BU…)")
    kind: ActivityKind | None = None


class ActivityPage(Schema):
    items: list[ActivityOut]
    count: int


class RegistrationIn(Schema):
    resident_id: int | None = None
    name: str = Field("", max_length=150)
    phone: str = Field("", max_length=20)
    consent: bool = False
    mode: Mode = Mode.ONSITE


class RegistrationOut(Schema):
    id: int
    status: str
    mode: str
    cancel_url: str | None = None


class AttendanceIn(Schema):
    registration_ids: list[int] = Field(default_factory=list, max_length=1000)
    walk_ins: list[str] = Field(default_factory=list, max_length=200)


class AttendanceOut(Schema):
    ticked: int
    walk_ins: int


def place_out(place: Place) -> dict[str, Any]:
    fields = [name for name in PlaceOut.model_fields if name not in ("neighbourhood_code", "safe_capacity")]
    data = {name: getattr(place, name) for name in fields}
    data["neighbourhood_code"] = place.neighbourhood.code if place.neighbourhood else None
    data["safe_capacity"] = place_safe_capacity(place)
    return data


def activity_out(request: HttpRequest, activity: Activity) -> dict[str, Any]:
    simple = (
        "id",
        "title",
        "kind",
        "description",
        "place_id",
        "starts_at",
        "ends_at",
        "registration_required",
        "max_participants",
        "max_online",
        "target_groups",
        "languages",
    )
    data = {name: getattr(activity, name) for name in simple}
    data["seats_on_site"] = seat_limit(activity, Mode.ONSITE) if activity.place_id else None
    data["online"] = bool(activity.online_link or activity.dial_in)
    data["public_url"] = request.build_absolute_uri(reverse("activities:public_detail", args=[activity.pk]))
    data["translations"] = {
        text.language: {"title": text.title, "description": text.description} for text in activity.texts.all()
    }
    return data


@router.get("/places", response=PlacePage, auth=None)
def places_list(request: HttpRequest, filters: Query[PlaceFilters]) -> dict[str, Any]:
    """Meeting places, for anyone: public fields only."""
    places = Place.objects.select_related("neighbourhood", "organisation").order_by("name", "id")
    if filters.organisation:
        places = places.filter(organisation__slug=filters.organisation)
    if filters.step_free is not None:
        places = places.filter(step_free=filters.step_free)
    items, count = page_of(places, filters)
    return listing([place_out(place) for place in items], count)


@router.get("/places/{place_id}", response=PlaceOut, auth=None)
def places_read(request: HttpRequest, place_id: int) -> dict[str, Any]:
    place = Place.objects.select_related("neighbourhood", "organisation").filter(pk=place_id).first()
    if place is None:
        raise Http404
    return place_out(place)


@router.post("/places", response={201: PlaceOut})
def places_create(request: HttpRequest, payload: PlaceIn) -> Status[dict[str, Any]]:
    """Add a meeting place (coordinators)."""
    user = require_capability(request, Capability.SET_CAPACITY_RULE)
    data = payload.dict()
    place = place_create(by=user, neighbourhood_id=data.pop("neighbourhood_id"), attributes=data)
    return Status(201, place_out(place))


@router.patch("/places/{place_id}", response=PlaceOut)
def places_update(request: HttpRequest, place_id: int, payload: PlacePatch) -> dict[str, Any]:
    """Change some of a place's details (coordinators of its organisation); fields left out stay."""
    user = require_capability(request, Capability.SET_CAPACITY_RULE)
    place = place_update(by=user, place_id=place_id, changes=payload.dict(exclude_unset=True))
    return place_out(place)


@router.delete("/places/{place_id}", response={204: None, 409: ErrorOut})
def places_delete(request: HttpRequest, place_id: int) -> Status[None]:
    """Remove a place (coordinators of its organisation); one where activities are planned or were held: 409."""
    user = require_capability(request, Capability.SET_CAPACITY_RULE)
    place_delete(by=user, place_id=place_id)  # NotFound: 404; PlaceInUseError, a Conflict: 409 (veerkracht/api.py)
    return Status(204, None)


def _rule_of(user: User) -> dict[str, Any]:
    organisation = user.organisation
    return {name: getattr(organisation, name) for name in DistancingRule.model_fields}


@router.get("/organisation/distancing-rule", response=DistancingRule)
def distancing_rule_read(request: HttpRequest) -> dict[str, Any]:
    """The organisation's distancing rule of the day (coordinators)."""
    return _rule_of(require_capability(request, Capability.SET_CAPACITY_RULE))


@router.put("/organisation/distancing-rule", response=DistancingRuleSet)
def distancing_rule_set(request: HttpRequest, payload: DistancingRule) -> dict[str, Any]:
    """Set the rule of the day: future activities are held to it, organisers of those now over it are told."""
    user = require_capability(request, Capability.SET_CAPACITY_RULE)
    over = capacity_rule_set(
        by=user,
        distancing_rule=payload.distancing_rule,
        indoor_m2=payload.indoor_m2_per_person,
        outdoor_m2=payload.outdoor_m2_per_person,
    )
    return _rule_of(user) | {"over_capacity_activity_ids": [activity.pk for activity in over]}


@router.get("/activities", response=ActivityPage, auth=None)
def activities_list(request: HttpRequest, filters: Query[ActivityFilters]) -> dict[str, Any]:
    """The public programme: upcoming activities, filtered by period, neighbourhood and kind."""
    activities = public_activities(
        starts_from=filters.from_ or timezone.now(),
        starts_until=filters.to,
        neighbourhood_code=filters.neighbourhood,
        kind=filters.kind or "",
    ).prefetch_related("texts")
    items, count = page_of(activities, filters)
    return listing([activity_out(request, activity) for activity in items], count)


@router.post("/activities", response={201: ActivityOut})
def activities_create(request: HttpRequest, payload: ActivityIn) -> Status[dict[str, Any]]:
    """Plan an activity; never above the place's safe capacity."""
    user = require_capability(request, Capability.PLAN_ACTIVITIES)
    data = payload.dict()
    for moment in ("starts_at", "ends_at"):
        data[moment] = data[moment] if timezone.is_aware(data[moment]) else timezone.make_aware(data[moment])
    data["translations"] = {language: Translation(**text) for language, text in data["translations"].items()}
    activity = activity_plan(by=user, plan=ActivityPlan(**data))[0]
    return Status(201, activity_out(request, activity))


@router.post("/activities/{activity_id}/registrations", response={201: RegistrationOut}, auth=None)
def registrations_create(request: HttpRequest, activity_id: int, payload: RegistrationIn) -> Status[dict[str, Any]]:
    """Register: a worker (bearer token) for a resident, or anyone with name, phone and consent."""
    if not Activity.objects.filter(pk=activity_id, cancelled_at__isnull=True).exists():
        raise Http404
    user = optional_bearer_user(request)
    if user is not None and can(user, Capability.VIEW_RESIDENT_REGISTER) and payload.resident_id is not None:
        registration = registration_create(
            activity_id=activity_id, by=user, resident_id=payload.resident_id, mode=payload.mode
        )
        return Status(201, {"id": registration.pk, "status": registration.status, "mode": registration.mode})
    if payload.resident_id is not None:
        raise ValidationError({"resident_id": _("Only a worker registers a resident from the register.")})
    limit = settings.PUBLIC_REGISTRATIONS_PER_HOUR
    if throttle.over_rate("public-registration", client_ip(request), limit=limit, window_s=3600):
        raise HttpError(429, "too_many_registrations")
    with as_anonymous():  # public, whoever else the caller is
        registration = registration_create(
            activity_id=activity_id, name=payload.name, phone=payload.phone, consent=payload.consent, mode=payload.mode
        )
    cancel_url = request.build_absolute_uri(reverse("activities:public_registration", args=[registration.cancel_token]))
    return Status(
        201, {"id": registration.pk, "status": registration.status, "mode": registration.mode, "cancel_url": cancel_url}
    )


@router.delete("/registrations/{registration_id}", response={204: None}, auth=None)
def registrations_delete(request: HttpRequest, registration_id: int, token: str = "") -> Status[None]:
    """Cancel: a worker who manages the activity, or the registrant with the cancellation token."""
    registration = Registration.objects.filter(pk=registration_id).first()
    if registration is None:
        raise Http404
    user = optional_bearer_user(request)
    if token:
        if token != registration.cancel_token:
            raise Http404
        with as_anonymous():  # the registrant's own cancellation, whoever else the caller is
            registration_cancel(registration_id=registration.pk, by=user)
        return Status(204, None)
    if user is None:
        raise HttpError(401, "Unauthorized")
    else:
        activity_managed(user, registration.activity_id)
    registration_cancel(registration_id=registration.pk, by=user)
    return Status(204, None)


@router.post("/activities/{activity_id}/attendance", response=AttendanceOut)
def attendance_create(request: HttpRequest, activity_id: int, payload: AttendanceIn) -> dict[str, int]:
    """Tick who came (registration ids) and add walk-ins; registered residents count as reached."""
    user = require_capability(request, Capability.HELP_AT_ACTIVITIES)
    activity = activity_managed(user, activity_id)
    result = attendance_record(
        by=user, activity=activity, registration_ids=payload.registration_ids, walk_ins=payload.walk_ins
    )
    return {"ticked": result.ticked, "walk_ins": result.walk_ins}
