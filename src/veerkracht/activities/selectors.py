"""Reads of activities: public listings, the organisation's programme, and task-scoped registrations."""

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from veerkracht.activities.models import (
    TRANSLATED_LANGUAGES,
    Activity,
    ActivityText,
    Mode,
    Registration,
    RegistrationStatus,
)
from veerkracht.core.access import Capability, can, within_organisation
from veerkracht.core.audit import audit_record_many
from veerkracht.core.db import row_with_parents
from veerkracht.core.exceptions import NotFound
from veerkracht.core.models import AuditAction, User
from veerkracht.core.roles import Role
from veerkracht.core.selectors import organisation_remembered
from veerkracht.places.capacity import place_safe_capacity

ACTIVITY = "activities.activity"
_COUNTED = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)


def public_activity(activity_id: int) -> Activity:
    """An activity that is not cancelled, for anyone; 404 otherwise."""
    activity = row_with_parents(Activity, parents=("place",), pk=activity_id, cancelled_at=None)
    if activity is None:
        raise NotFound
    if translation.get_language() in TRANSLATED_LANGUAGES:  # in Dutch the page reads no translation
        prefetch_related_objects([activity], "texts")
    return with_organisation(activity)


def with_organisation(activity: Activity) -> Activity:
    """The activity with its organisation (that of its place too) from the shared cache."""
    activity.organisation = organisation_remembered(activity.organisation_id)
    if activity.place is not None and activity.place.organisation_id == activity.organisation_id:
        activity.place.organisation = activity.organisation
    return activity


def registration_by_token(token: str) -> Registration:
    """The registration whose cancel link this is (the registrant's own page); 404 otherwise."""
    registration = row_with_parents(Registration, parents=("activity", "activity__place"), cancel_token=token)
    if registration is None:
        raise NotFound
    prefetch_related_objects([registration], *texts_prefetch(translation.get_language(), through="activity__"))
    return registration


def public_activities(
    *, starts_from: datetime, starts_until: datetime | None = None, neighbourhood_code: str = "", kind: str = ""
) -> QuerySet[Activity]:
    """Upcoming activities anyone may see, with their place."""
    activities = Activity.objects.filter(cancelled_at__isnull=True, starts_at__gte=starts_from)
    if starts_until is not None:
        activities = activities.filter(starts_at__lt=starts_until)
    if neighbourhood_code:
        activities = activities.filter(place__neighbourhood__code=neighbourhood_code)
    if kind:
        activities = activities.filter(kind=kind)
    return activities.select_related("place", "place__neighbourhood", "organisation").order_by("starts_at", "id")


def activities_managed_by(user: User) -> QuerySet[Activity]:
    """The programme a user may manage: the whole organisation for workers and coordinators,
    their own activities (as organiser or helper) for basisbaan workers and volunteers."""
    activities = within_organisation(Activity.objects.all(), user)
    if not can(user, Capability.HELP_AT_ACTIVITIES):
        return activities.none()
    if user.role not in (Role.COORDINATOR, Role.PROFESSIONAL):
        activities = activities.filter(Q(organiser=user) | Q(helpers=user)).distinct()
    return activities.select_related("place", "organiser")


def activity_managed(user: User, activity_id: int) -> Activity:
    """One activity the user may manage; 404 otherwise."""
    activity = activities_managed_by(user).filter(pk=activity_id).first()
    if activity is None:
        raise NotFound
    return activity


@dataclass(frozen=True)
class Seats:
    limit: int | None  # None: no limit
    confirmed: int
    waitlisted: int

    @property
    def free(self) -> int | None:
        return None if self.limit is None else max(0, self.limit - self.confirmed)


def seat_limit(activity: Activity, mode: str) -> int | None:
    """The most confirmed registrations for a mode: never above the place's safe capacity."""
    if mode == Mode.ONLINE:
        return activity.max_online
    if activity.place is None:
        return 0
    capacity = place_safe_capacity(activity.place)
    limits = [limit for limit in (activity.max_participants, capacity) if limit is not None]
    return min(limits) if limits else None


def seats_on_site_and_online(activity: Activity) -> tuple[Seats, Seats]:
    """The seats of both modes, counted in one query (an activity's page shows both).

    Grouped by mode and status: four filtered counts in one row cost three times the Python time
    to build and compile, on every activity page a resident opens.
    """
    taken = (
        Registration.objects.filter(activity_id=activity.pk, status__in=_COUNTED)
        .values_list("mode", "status")
        .annotate(Count("id"))
        .order_by()
    )
    counts = {(mode, status): number for mode, status, number in taken}
    on_site, online = (
        Seats(
            seat_limit(activity, mode),
            counts.get((mode, RegistrationStatus.CONFIRMED), 0),
            counts.get((mode, RegistrationStatus.WAITLISTED), 0),
        )
        for mode in (Mode.ONSITE, Mode.ONLINE)
    )
    return on_site, online


def registrations_for_task(user: User, activity: Activity) -> list[Registration]:
    """Who registered, as far as the task needs: each resident shown is audited as a task-scoped read."""
    registrations = list(
        activity.registrations.exclude(status=RegistrationStatus.CANCELLED).select_related("resident", "attendance")
    )
    residents = [registration.resident_id for registration in registrations if registration.resident_id]
    if residents:
        audit_record_many(action=AuditAction.LIST, actor=user, object_type="people.resident", object_ids=residents)
    return registrations


def open_for_registration(user: User, *, limit: int = 50) -> QuerySet[Activity]:
    """Upcoming activities of the organisation a worker can register a resident for."""
    activities = within_organisation(Activity.objects.all(), user).filter(
        cancelled_at__isnull=True, registration_required=True, starts_at__gt=timezone.now()
    )
    return activities.select_related("place").order_by("starts_at")[:limit]


def open_for_registration_choices(user: User) -> list[tuple[int, str]]:
    """The same activities as (id, "Tue 3 Mar 14:00 · title · place") for a drop-down: a weekly
    coffee morning held in two places is told apart by its place."""
    activities = open_for_registration(user).values_list("pk", "starts_at", "title", "place__name")
    language, zone = translation.get_language() or "", timezone.get_current_timezone_name()
    online = str(_("online"))
    return [
        (pk, _choice_label(starts_at, title, place or online, language, zone))
        for pk, starts_at, title, place in activities
    ]


@lru_cache(maxsize=4096)
def _choice_label(starts_at: datetime, title: str, place: str, language: str, zone: str) -> str:
    """Formatting dates is slow in Django and a worker's every resident page lists the same ones:
    each label is made once per process (the language and time zone are part of the key)."""
    return f"{date_format(timezone.localtime(starts_at), 'D j M H:i')} · {title} · {place}"


def texts_prefetch(language: str, through: str = "") -> list[Prefetch[Any]]:
    """What to prefetch so that ``Activity.text_in(language)`` asks nothing more of a list: the
    activities' texts in ``language`` (none in Dutch, which is on the activity). ``through`` is the path
    to the activity ("activity__" for registrations)."""
    if language not in TRANSLATED_LANGUAGES:
        return []
    return [Prefetch(f"{through}texts", queryset=ActivityText.objects.filter(language=language))]
