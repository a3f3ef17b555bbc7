"""Reads of neighbour help, always through the user's scope.

Workers see the requests of residents in their register scope. A helper sees only their own
tasks, and of the resident only what the task needs (``TaskView``).
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from veerkracht.core.access import Capability, can, within_organisation
from veerkracht.core.audit import audit_record
from veerkracht.core.exceptions import NotFound
from veerkracht.core.models import AuditAction, TaskRun, User
from veerkracht.help.models import (
    CheckIn,
    HelpOffer,
    HelpRequest,
    Match,
    MatchStatus,
    RequestStatus,
)
from veerkracht.people.selectors import RESIDENT, residents_visible_to

IDLE_AFTER_DAYS = 30
MATCH_RUN = "help.match"


def help_requests_visible_to(user: User) -> QuerySet[HelpRequest]:
    """Requests about residents in the user's register scope; a resident sees their own."""
    requests = within_organisation(HelpRequest.objects.all(), user)
    own = Q(resident__user=user) if user.is_authenticated else Q(pk__in=[])
    return requests.filter(Q(resident__in=residents_visible_to(user)) | own)


def help_request_for(user: User, request_id: int) -> HelpRequest:
    """One request in scope, its reading audited on the resident; 404 otherwise."""
    found = (
        help_requests_visible_to(user)
        .select_related("resident", "resident__household", "created_by")
        .filter(pk=request_id)
        .first()
    )
    if found is None:
        raise NotFound
    audit_record(
        action=AuditAction.VIEW,
        actor=user,
        object_type=RESIDENT,
        object_id=found.resident_id,
        fields=["help_requests"],
    )
    return found


def help_request_list(user: User, *, neighbourhood_id: int | None = None, status: str = "") -> QuerySet[HelpRequest]:
    """Requests in scope, waiting longest first."""
    requests = help_requests_visible_to(user).select_related("resident", "resident__neighbourhood")
    if neighbourhood_id is not None:
        requests = requests.filter(resident__neighbourhood_id=neighbourhood_id)
    if status:
        requests = requests.filter(status=status)
    return requests.order_by("created_at", "pk")


def waiting_requests(user: User, *, neighbourhood_id: int | None = None) -> QuerySet[HelpRequest]:
    """Open requests in scope, the one that has waited longest first (each with why the last run left it)."""
    return help_request_list(user, neighbourhood_id=neighbourhood_id, status=RequestStatus.OPEN)


def waiting_longest(user: User, *, neighbourhood_id: int | None = None, limit: int = 20) -> list[HelpRequest]:
    """Open requests that have waited longest, with the reason the last run could not match them."""
    return list(waiting_requests(user, neighbourhood_id=neighbourhood_id)[:limit])


def offers_visible_to(user: User) -> QuerySet[HelpOffer]:
    """Coordinators and professionals see the offers of their organisation; a helper their own."""
    offers = within_organisation(HelpOffer.objects.select_related("helper", "neighbourhood"), user)
    if can(user, Capability.MATCH_HELP):
        return offers
    return offers.filter(helper=user)


def idle_helpers(user: User, *, neighbourhood_id: int | None = None) -> list[HelpOffer]:
    """Active helpers with an offer and no task in the last 30 days (nothing proposed, taken or done)."""
    return list(idle_offers(user, neighbourhood_id=neighbourhood_id))


def idle_offers(user: User, *, neighbourhood_id: int | None = None) -> QuerySet[HelpOffer]:
    """The offers of idle helpers (see ``idle_helpers``), by neighbourhood and first name; none for non-matchers."""
    if not can(user, Capability.MATCH_HELP):
        return HelpOffer.objects.none()
    since = timezone.now() - timedelta(days=IDLE_AFTER_DAYS)
    recent = Match.objects.filter(offer=OuterRef("pk")).filter(
        Q(created_at__gte=since) | Q(status__in=(MatchStatus.PROPOSED, MatchStatus.ACCEPTED))
    )
    offers = offers_visible_to(user).filter(active=True, helper__is_active=True).exclude(Exists(recent))
    if neighbourhood_id is not None:
        offers = offers.filter(neighbourhood_id=neighbourhood_id)
    return offers.order_by("neighbourhood__name", "helper__first_name", "pk")


def latest_match_run(user: User) -> TaskRun | None:
    """The organisation's most recent matching run."""
    return within_organisation(TaskRun.objects.filter(kind=MATCH_RUN), user).order_by("-created_at").first()


def match_run_for(user: User, run_id: str) -> TaskRun:
    """A matching run of the user's organisation that the user may see; 404 otherwise."""
    try:
        key = uuid.UUID(str(run_id))
    except ValueError:
        raise NotFound from None
    run = within_organisation(TaskRun.objects.filter(kind=MATCH_RUN), user).filter(pk=key).first()
    if run is None or not can(user, Capability.MATCH_HELP):
        raise NotFound
    return run


def proposals_of_run(user: User, run: TaskRun) -> QuerySet[Match]:
    """The matches a run proposed, for residents in the user's scope."""
    return (
        Match.objects.filter(run=run, request__in=help_requests_visible_to(user))
        .select_related("request", "request__resident", "offer", "offer__helper")
        .order_by("request__created_at")
    )


def matches_of_helper(user: User) -> QuerySet[Match]:
    """The helper's own tasks: proposed and accepted first, then recently finished ones."""
    return (
        Match.objects.filter(offer__helper=user, offer__in=within_organisation(HelpOffer.objects.all(), user))
        .select_related("request", "request__resident", "request__resident__household")
        .order_by("status", "-created_at")
    )


def match_of_helper(user: User, match_id: int) -> Match:
    found = matches_of_helper(user).filter(pk=match_id).first()
    if found is None:
        raise NotFound
    return found


def task_has_phone(user: User, match_id: int) -> bool:
    """Whether the helper's task comes with a phone number, to say so truthfully; not a read of the
    number itself (the task's page shows it, and audits that)."""
    return matches_of_helper(user).filter(pk=match_id).exclude(request__resident__phone="").exists()


def match_for_worker(user: User, match_id: int) -> Match:
    """A match on a request in the worker's scope; 404 otherwise."""
    found = Match.objects.filter(pk=match_id, request__in=help_requests_visible_to(user)).first()
    if found is None:
        raise NotFound
    return found


def check_ins_due(user: User) -> QuerySet[CheckIn]:
    """Check-ins the worker still has to do."""
    return (
        CheckIn.objects.filter(worker=user, done_at__isnull=True)
        .select_related("request", "request__resident")
        .order_by("created_at", "pk")
    )


@dataclass(frozen=True)
class TaskView:
    """What a helper may know of a task: the minimum the help needs, no more."""

    match_id: int
    status: str
    kind: str
    kind_label: str
    recurrence: str
    when: str
    description: str
    first_name: str
    address: str  # street and house number; empty once the task is finished
    phone: str  # only once accepted, while the task runs
    distance_m: int


def task_view(user: User, match: Match, *, when: str) -> TaskView:
    """The helper's view of their task; showing the address or phone is a read of the resident."""
    help_request, resident = match.request, match.request.resident
    running = match.status in (MatchStatus.PROPOSED, MatchStatus.ACCEPTED)
    accepted = match.status == MatchStatus.ACCEPTED
    household = resident.household
    address = ""
    if running and household is not None:
        address = f"{household.street} {household.house_number}{household.house_number_suffix}".strip()
    phone = resident.phone if accepted else ""
    if running:
        fields = ["first_name", "address"] + (["phone"] if phone else [])
        audit_record(
            action=AuditAction.VIEW,
            actor=user,
            object_type=RESIDENT,
            object_id=resident.pk,
            fields=fields,
        )
    return TaskView(
        match_id=match.pk,
        status=match.status,
        kind=help_request.kind,
        kind_label=str(help_request.get_kind_display()),
        recurrence=help_request.recurrence,
        when=when,
        description=help_request.description if running else "",
        first_name=resident.first_name,
        address=address,
        phone=phone,
        distance_m=match.distance_m,
    )


@dataclass(frozen=True)
class OwnRequest:
    """A resident's own help request as they see it: what, when, where it stands and who helps."""

    request: HelpRequest
    helpers: list[str]  # first names of the helpers who accepted


def own_help_requests(user: User, *, limit: int = 50) -> list[OwnRequest]:
    """The signed-in resident's own requests, newest first, with the helpers who took them on."""
    if not can(user, Capability.ASK_HELP):
        return []
    requests = (
        within_organisation(HelpRequest.objects.filter(resident__user=user, resident__erased_at__isnull=True), user)
        .select_related("resident")
        .prefetch_related(
            Prefetch(
                "matches",
                queryset=Match.objects.filter(status__in=(MatchStatus.ACCEPTED, MatchStatus.DONE)).select_related(
                    "offer__helper"
                ),
                to_attr="taken",
            )
        )
        .order_by("-created_at", "-pk")[:limit]
    )
    return [OwnRequest(found, [match.offer.helper.first_name for match in found.taken]) for found in requests]
