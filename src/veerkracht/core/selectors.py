"""Reads of the core app, always scoped to the requesting user."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from veerkracht.core.access import (
    Capability,
    can,
    neighbourhoods_covered_by,
    teams_visible_to,
    within_organisation,
)
from veerkracht.core.models import AuditAddress, AuditEvent, Neighbourhood, Notification, Organisation, Team, User
from veerkracht.core.usercache import remembered_organisation
from veerkracht.engines.metrics import published_count

RESIDENT_RECORD = "people.resident"  # the object type residents are audited under (people.selectors.RESIDENT)


def organisation_remembered(organisation_id: int) -> Organisation:
    """An organisation by its id, from the shared cache (core/usercache.py: forgotten on every change).

    For pages that show an organisation's public face or apply its settings without being about it
    (an activity's page and its registration): joining the organisation's many columns into their
    query costs more than the rest of it.
    """
    organisation = remembered_organisation(organisation_id, _organisation)
    if organisation is None:
        raise Organisation.DoesNotExist(organisation_id)
    return organisation


def _organisation(organisation_id: int) -> Organisation | None:
    return Organisation._default_manager.filter(pk=organisation_id).first()


def audit_events_filtered(user: User, chosen: dict[str, Any]) -> QuerySet[AuditEvent]:
    """The audit log as far as the user may read it, narrowed to a resident, a user, a period, an action."""
    events = audit_events_visible_to(user)
    if chosen.get("resident"):
        events = events.filter(object_type=RESIDENT_RECORD, object_id=str(chosen["resident"]))
    if chosen.get("actor"):
        events = events.filter(Q(actor=chosen["actor"]) | Q(on_behalf_of=chosen["actor"]))
    if chosen.get("start"):
        events = events.filter(at__gte=_day_start(chosen["start"]))
    if chosen.get("end"):
        events = events.filter(at__lt=_day_start(chosen["end"] + timedelta(days=1)))
    if chosen.get("action"):
        events = events.filter(action=chosen["action"])
    if chosen.get("object_id"):
        events = events.filter(object_id=chosen["object_id"])
    return events


def _day_start(day: date) -> datetime:
    """Midnight in Amsterdam: a period is read in local days, the log is stored in UTC."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def audit_events_visible_to(user: User) -> QuerySet[AuditEvent]:
    """The audit log of the user's organisation, for roles that may read it; nothing otherwise."""
    events = within_organisation(AuditEvent.objects.all(), user)
    if not can(user, Capability.VIEW_AUDIT_LOG):
        return events.none()
    kept = AuditAddress.objects.filter(digest=OuterRef("ip_digest")).values("ip")[:1]
    return events.select_related("actor", "on_behalf_of").annotate(kept_ip=Subquery(kept))


def teams_with_coverage(user: User) -> QuerySet[Team]:
    """The user's visible teams with their neighbourhoods and member count.

    A worker's teams are found through their own membership; counting over that same join would
    count only them ("1 member" in a team of fifty), so the count runs on the teams found.
    """
    teams = Team.objects.filter(pk__in=teams_visible_to(user).values("pk"))
    return teams.prefetch_related("neighbourhoods").annotate(member_count=Count("members"))


@dataclass(frozen=True)
class NeighbourhoodFigures:
    code: str
    name: str
    affluence: str
    residents: int | None  # None when suppressed
    aged_75_plus: int | None


def neighbourhood_figures(user: User, *, this_year: int) -> list[NeighbourhoodFigures]:
    """Resident counts per neighbourhood: the covered ones, or all of them as suppressed aggregates.

    Funders see only aggregates as the dashboards show them: small counts hidden so nobody is
    identifiable, the rest rounded to multiples of 5.
    """
    if can(user, Capability.VIEW_RESIDENT_REGISTER):
        scope, suppress = neighbourhoods_covered_by(user), False
    elif can(user, Capability.VIEW_AGGREGATES):
        scope, suppress = within_organisation(Neighbourhood.objects.all(), user), True
    else:
        return []
    rows = scope.annotate(
        resident_count=Count("residents"),
        old_count=Count("residents", filter=Q(residents__birth_year__lte=this_year - 75)),
    ).order_by("code")
    return [
        NeighbourhoodFigures(
            code=row.code,
            name=row.name,
            affluence=row.get_affluence_display(),
            residents=published_count(row.resident_count) if suppress else row.resident_count,
            aged_75_plus=published_count(row.old_count) if suppress else row.old_count,
        )
        for row in rows
    ]


def unread_notifications(user: User, *, limit: int = 10) -> list[Notification]:
    """The user's newest unread messages, for the start page."""
    return list(Notification.objects.filter(user=user, read_at__isnull=True).order_by("-created_at")[:limit])
