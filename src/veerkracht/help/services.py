"""The writes of neighbour help: requests, offers, proposals and their answers, help given.

Every function runs in one transaction. The rules that must survive two processes at once live
in the database (one accepted match per request, one proposal per helper and request) and in row
locks on the request (``select_for_update``), so two helpers accepting the same request at the
same moment end with exactly one of them holding it.
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from veerkracht.core.access import Capability, can, neighbourhoods_covered_by, organisation_id_of
from veerkracht.core.audit import audit_record
from veerkracht.core.bag import postcode_key
from veerkracht.core.exceptions import NotFound
from veerkracht.core.models import AuditAction, Neighbourhood, Notification, TaskRun, User
from veerkracht.core.roles import Role
from veerkracht.core.tasks import task_run_queue
from veerkracht.help.models import (
    MAX_OPEN_TASKS,
    MAX_RADIUS_M,
    CheckIn,
    HelpGiven,
    HelpOffer,
    HelpRequest,
    Match,
    MatchStatus,
    Recurrence,
    RequestEvent,
    RequestStatus,
)
from veerkracht.help.selectors import MATCH_RUN, help_requests_visible_to, match_for_worker
from veerkracht.help.vocabulary import ALL_MOMENTS, HelpKind
from veerkracht.people.addresses import address_position, neighbourhood_centre
from veerkracht.people.models import Resident
from veerkracht.people.selectors import RESIDENT, residents_visible_to
from veerkracht.people.vocabulary import LANGUAGE_CODES

LONGEST_WINDOW_DAYS = 92  # a one-off request further ahead than a quarter is better entered later
CHECK_IN_EVERY = 10  # after the first time and every tenth


def _event(help_request: HelpRequest, status: str, by: User | None, note: str = "") -> None:
    help_request.status = status
    help_request.status_changed_at = timezone.now()
    help_request.save(update_fields=["status", "status_changed_at"])
    RequestEvent.objects.create(request=help_request, status=status, by=by, note=note[:300])


def _resident_for_request(by: User, resident_id: int | None) -> Resident:
    """The resident a request is for: one in the worker's scope, or the signed-in resident themselves."""
    if can(by, Capability.MATCH_HELP) and resident_id is not None:
        resident = residents_visible_to(by).filter(pk=resident_id).first()
    elif can(by, Capability.ASK_HELP):
        resident = Resident.objects.filter(user=by, erased_at__isnull=True).first()
        if resident_id is not None and resident is not None and resident.pk != resident_id:
            resident = None
    else:
        resident = None
    if resident is None:
        raise ValidationError({"resident_id": _("Choose a resident you work with.")})
    if not resident.consent_help_exchange:
        raise ValidationError(
            {
                "resident_id": _(
                    "This resident has not consented to neighbour help (a helper gets their first name and address)."
                )
            }
        )
    return resident


def _check_when(recurrence: str, first_day: date, last_day: date | None, weekday: int | None) -> None:
    today = timezone.localdate()
    if recurrence == Recurrence.ONCE:
        if last_day is None:
            raise ValidationError({"last_day": _("Enter the last day the help is still useful.")})
        if last_day < first_day:
            raise ValidationError({"last_day": _("The last day cannot be before the first day.")})
        if last_day < today:
            raise ValidationError({"last_day": _("The last day has already passed.")})
        if (last_day - today).days > LONGEST_WINDOW_DAYS:
            raise ValidationError({"last_day": _("Enter a window within the next three months.")})
    elif weekday is None or not 0 <= weekday <= 6:
        raise ValidationError({"weekday": _("Choose the weekday for weekly help.")})


@transaction.atomic
def help_request_create(
    *,
    by: User,
    resident_id: int | None,
    kind: str,
    recurrence: str = Recurrence.ONCE,
    first_day: date | None = None,
    last_day: date | None = None,
    weekday: int | None = None,
    part_of_day: int | None = None,
    language: str = "",
    description: str = "",
) -> HelpRequest:
    """A request for help for a resident in scope (or for oneself); it waits for the next matching run."""
    resident = _resident_for_request(by, resident_id)
    if kind not in HelpKind.values:
        raise ValidationError({"kind": _("Choose a kind of help.")})
    if recurrence not in Recurrence.values:
        raise ValidationError({"recurrence": _("Choose once or weekly.")})
    if language and language not in LANGUAGE_CODES:
        raise ValidationError({"language": _("Choose a language from the list.")})
    first_day = first_day or timezone.localdate()
    weekly = recurrence == Recurrence.WEEKLY
    _check_when(recurrence, first_day, None if weekly else last_day, weekday)
    help_request = HelpRequest(
        organisation_id=organisation_id_of(by),
        resident=resident,
        kind=kind,
        recurrence=recurrence,
        first_day=first_day,
        last_day=None if weekly else last_day,
        weekday=weekday if weekly else None,
        part_of_day=part_of_day,
        language=language,
        description=description.strip(),
        created_by=by,
    )
    help_request.full_clean()
    help_request.save()
    RequestEvent.objects.create(request=help_request, status=RequestStatus.OPEN, by=by)
    audit_record(
        action=AuditAction.UPDATE,
        actor=by,
        object_type=RESIDENT,
        object_id=resident.pk,
        fields=["help_requests"],
    )
    return help_request


def kind_offered(by: User, kind: str) -> bool:
    """Whether some active helper of the organisation offers this kind of help."""
    offers = HelpOffer.objects.filter(organisation_id=organisation_id_of(by), active=True, helper__is_active=True)
    return any(kind in offer.kinds for offer in offers.only("kinds"))


@transaction.atomic
def help_request_cancel(*, by: User, request_id: int, note: str = "") -> HelpRequest:
    """Cancel a request (the resident no longer needs help); its open proposals and task end with it."""
    help_request = help_requests_visible_to(by).select_for_update().filter(pk=request_id).first()
    if help_request is None:
        raise NotFound
    if help_request.status in (RequestStatus.DONE, RequestStatus.CANCELLED, RequestStatus.EXPIRED):
        return help_request
    help_request.matches.filter(status__in=(MatchStatus.PROPOSED, MatchStatus.ACCEPTED)).update(
        status=MatchStatus.CANCELLED, closed_at=timezone.now()
    )
    _event(help_request, RequestStatus.CANCELLED, by, note)
    return help_request


# --- offers -------------------------------------------------------------------------------------


def home_location(neighbourhood: Neighbourhood, postcode: str, house_number: int | None) -> tuple[float, float]:
    """Where a helper lives: the address's real position (a household, a building, the address register).

    Without an address the offer is about the neighbourhood as a whole and sits at its middle; an
    address given but found nowhere is refused, never placed at the middle silently.
    """
    if not (postcode and house_number):
        return neighbourhood_centre(neighbourhood)
    position = address_position(neighbourhood.organisation_id, postcode_key(postcode), house_number)
    if position is None:
        raise ValidationError(
            {"postcode": _("This postcode and house number are not in the address register. Check them.")}
        )
    return position.x, position.y


def _helper_for_offer(by: User, helper_id: int | None) -> User:
    """The helper whose offer is written: oneself, or a helper of one's organisation for a coordinator."""
    if helper_id is None or helper_id == by.pk:
        if not can(by, Capability.OFFER_HELP):
            raise ValidationError({"helper_id": _("Only volunteers, basisbaan workers and residents offer help.")})
        return by
    if by.role != Role.COORDINATOR:
        raise NotFound
    helper = User.objects.filter(
        pk=helper_id,
        organisation_id=organisation_id_of(by),
        is_active=True,
        role__in=(Role.VOLUNTEER, Role.BASISBAAN, Role.RESIDENT),
    ).first()
    if helper is None:
        raise ValidationError(
            {"helper_id": _("Choose a volunteer, basisbaan worker or resident of your organisation.")}
        )
    return helper


def _check_offer(kinds: list[str], radius_m: int, max_open_tasks: int, availability: int, languages: list[str]) -> None:
    if not kinds or any(kind not in HelpKind.values for kind in kinds):
        raise ValidationError({"kinds": _("Choose at least one kind of help.")})
    if not 1 <= radius_m <= MAX_RADIUS_M:
        raise ValidationError({"radius_m": _("Enter a distance between 1 metre and 25 km.")})
    if not 1 <= max_open_tasks <= MAX_OPEN_TASKS:
        raise ValidationError({"max_open_tasks": _("Enter between 1 and 20 open tasks.")})
    if not 0 < availability <= ALL_MOMENTS:
        raise ValidationError({"availability": _("Choose at least one moment in the week.")})
    if any(code not in LANGUAGE_CODES for code in languages):
        raise ValidationError({"languages": _("Choose languages from the list.")})


@transaction.atomic
def help_offer_save(
    *,
    by: User,
    helper_id: int | None = None,
    neighbourhood_id: int,
    kinds: list[str],
    radius_m: int,
    max_open_tasks: int,
    availability: int = ALL_MOMENTS,
    languages: list[str] | None = None,
    postcode: str = "",
    house_number: int | None = None,
    active: bool = True,
) -> HelpOffer:
    """Create or change a helper's offer (one per helper)."""
    helper = _helper_for_offer(by, helper_id)
    languages = sorted(set(languages or []))
    _check_offer(kinds, radius_m, max_open_tasks, availability, languages)
    neighbourhood = Neighbourhood.objects.filter(pk=neighbourhood_id, organisation_id=organisation_id_of(by)).first()
    if neighbourhood is None:
        raise ValidationError({"neighbourhood_id": _("Choose a neighbourhood of your organisation.")})
    x, y = home_location(neighbourhood, postcode.strip().upper(), house_number)
    offer, _created = HelpOffer.objects.select_for_update().update_or_create(
        helper=helper,
        defaults={
            "organisation_id": by.organisation_id,
            "neighbourhood": neighbourhood,
            "kinds": sorted(set(kinds)),
            "availability": availability,
            "x": x,
            "y": y,
            "radius_m": radius_m,
            "languages": languages,
            "max_open_tasks": max_open_tasks,
            "active": active,
        },
    )
    return offer


# --- matching -----------------------------------------------------------------------------------


def match_run_start(*, by: User, neighbourhood_id: int | None = None) -> TaskRun:
    """Queue a matching run for one neighbourhood in scope, or for everything the user covers."""
    if not can(by, Capability.MATCH_HELP):
        raise NotFound
    covered = neighbourhoods_covered_by(by)
    if neighbourhood_id is not None and not covered.filter(pk=neighbourhood_id).exists():
        raise ValidationError({"neighbourhood_id": _("Choose a neighbourhood you work in.")})
    scope = [neighbourhood_id] if neighbourhood_id is not None else list(covered.values_list("pk", flat=True))
    if by.organisation is None:
        raise NotFound
    return task_run_queue(
        kind=MATCH_RUN,
        organisation=by.organisation,
        by=by,
        params={
            "neighbourhood_ids": scope,
            "whole_organisation": neighbourhood_id is None and by.role == Role.COORDINATOR,
        },
    )


def _notify_proposal(match: Match) -> None:
    helper = match.offer.helper
    text = _("New neighbour help proposed to you: %(kind)s. Please accept or decline.") % {
        "kind": match.request.get_kind_display()
    }
    link = reverse("help:task", args=[match.pk])
    Notification.objects.create(user=helper, text=text, link=link)
    if helper.email:
        # No personal data of the resident in the e-mail: the helper reads the task after signing in.
        transaction.on_commit(
            lambda: send_mail(_("Veerkracht: neighbour help for you"), text, None, [helper.email], fail_silently=True)
        )


def propose(
    *,
    help_request: HelpRequest,
    offer: HelpOffer,
    run: TaskRun | None,
    distance_m: float,
    same_language: bool | None,
    continuity: bool,
    by: User | None,
) -> Match | None:
    """Propose an open or proposed request to a helper; None when it is no longer available."""
    with transaction.atomic():
        locked = (
            HelpRequest.objects.select_for_update()
            .filter(pk=help_request.pk, status__in=(RequestStatus.OPEN, RequestStatus.PROPOSED))
            .first()
        )
        if locked is None or locked.matches.filter(offer=offer, status=MatchStatus.PROPOSED).exists():
            return None
        match = Match.objects.create(
            request=locked,
            offer=offer,
            run=run,
            distance_m=round(distance_m),
            same_language=same_language,
            continuity=continuity,
        )
        if locked.status == RequestStatus.OPEN:
            locked.unmatched_reason = ""
            locked.save(update_fields=["unmatched_reason"])
            _event(locked, RequestStatus.PROPOSED, by)
        _notify_proposal(match)
    return match


def helper_propose(*, by: User, request_id: int, offer_id: int) -> Match:
    """A worker asks one more helper to take a request (both may accept; the first one gets it)."""
    help_request = help_requests_visible_to(by).filter(pk=request_id).first()
    if help_request is None or not can(by, Capability.MATCH_HELP):
        raise NotFound
    offer = HelpOffer.objects.filter(pk=offer_id, organisation_id=organisation_id_of(by), active=True).first()
    if offer is None or help_request.kind not in offer.kinds:
        raise ValidationError({"offer_id": _("Choose an active helper who offers this kind of help.")})
    household = help_request.resident.household
    distance = 0.0 if household is None else ((household.x - offer.x) ** 2 + (household.y - offer.y) ** 2) ** 0.5
    same = None if not help_request.language else help_request.language in offer.languages
    match = propose(
        help_request=help_request,
        offer=offer,
        run=None,
        distance_m=distance,
        same_language=same,
        continuity=False,
        by=by,
    )
    if match is None:
        raise ValidationError({"offer_id": _("This request is already taken, or already proposed to this helper.")})
    return match


# --- a helper's answers -------------------------------------------------------------------------


def _locked_match(by: User, match_id: int) -> tuple[Match, HelpRequest]:
    """The helper's own match and its request, the request row locked: answers on it are serialised."""
    match = Match.objects.filter(pk=match_id, offer__helper=by, request__organisation_id=organisation_id_of(by)).first()
    if match is None:
        raise NotFound
    help_request = HelpRequest.objects.select_for_update().get(pk=match.request_id)
    match.refresh_from_db()
    return match, help_request


@transaction.atomic
def match_accept(*, by: User, match_id: int) -> Match:
    """The helper takes the task. Accepting twice is harmless; if another helper was first, a clear error."""
    match, help_request = _locked_match(by, match_id)
    if match.status == MatchStatus.ACCEPTED:
        return match
    taken = help_request.matches.filter(status=MatchStatus.ACCEPTED).exists()
    if match.status not in (MatchStatus.PROPOSED, MatchStatus.WITHDRAWN) or (
        match.status == MatchStatus.WITHDRAWN and not taken
    ):
        raise ValidationError({"match": _("This proposal is no longer open.")})
    if taken:
        Match.objects.filter(pk=match.pk).update(status=MatchStatus.WITHDRAWN, closed_at=timezone.now())
        raise ValidationError({"match": _("Another helper has already taken this request. Thank you all the same!")})
    now = timezone.now()
    match.status, match.responded_at = MatchStatus.ACCEPTED, now
    try:
        with transaction.atomic():
            match.save(update_fields=["status", "responded_at"])
    except IntegrityError:  # the database's own guard against a second accepted match
        raise ValidationError({"match": _("Another helper has already taken this request.")}) from None
    help_request.matches.filter(status=MatchStatus.PROPOSED).exclude(pk=match.pk).update(
        status=MatchStatus.WITHDRAWN, closed_at=now
    )
    _event(help_request, RequestStatus.ACCEPTED, by)
    return match


@transaction.atomic
def match_decline(*, by: User, match_id: int, note: str = "") -> Match:
    """The helper declines (or gives back) the task; the request is free for the next run."""
    match, help_request = _locked_match(by, match_id)
    if match.status == MatchStatus.DECLINED:
        return match
    if match.status not in (MatchStatus.PROPOSED, MatchStatus.ACCEPTED):
        raise ValidationError({"match": _("This task is already finished.")})
    now = timezone.now()
    match.status, match.responded_at, match.closed_at = MatchStatus.DECLINED, match.responded_at or now, now
    match.save(update_fields=["status", "responded_at", "closed_at"])
    still_open = help_request.matches.filter(status__in=(MatchStatus.PROPOSED, MatchStatus.ACCEPTED)).exists()
    if not still_open and help_request.status in (RequestStatus.PROPOSED, RequestStatus.ACCEPTED):
        _event(help_request, RequestStatus.OPEN, by, note or _("Declined by the helper"))
    return match


def _check_in_after(help_request: HelpRequest) -> None:
    """A check-in task for the worker who entered the request, after the 1st and every 10th time."""
    times = help_request.times_helped
    if times != 1 and times % CHECK_IN_EVERY:
        return
    worker = help_request.created_by
    if worker.role not in (Role.PROFESSIONAL, Role.COORDINATOR):
        worker = help_request.resident.assigned_worker or worker
    if worker.role not in (Role.PROFESSIONAL, Role.COORDINATOR):
        return
    _row, created = CheckIn.objects.get_or_create(request=help_request, occasion=times, defaults={"worker": worker})
    if created:
        Notification.objects.create(
            user=worker,
            text=_("Check in: is the neighbour help going well? (%(times)s times so far)") % {"times": times},
            link=reverse("help:request", args=[help_request.pk]),
        )


@transaction.atomic
def match_done(*, by: User, match_id: int, note: str = "", given_on: date | None = None) -> HelpGiven:
    """Record that help was given. A one-off task ends; a weekly one goes on (once per day at most)."""
    if can(by, Capability.MATCH_HELP):
        match = match_for_worker(by, match_id)
        help_request = HelpRequest.objects.select_for_update().get(pk=match.request_id)
        match.refresh_from_db()
    else:
        match, help_request = _locked_match(by, match_id)
    if match.status != MatchStatus.ACCEPTED:
        raise ValidationError({"match": _("Only an accepted task can be marked done.")})
    given_on = given_on or timezone.localdate()
    if given_on > timezone.localdate() or given_on < timezone.localdate() - timedelta(days=31):
        raise ValidationError({"given_on": _("Enter a date in the last month.")})
    occasion = match.occasions.filter(given_on=given_on).first()
    if occasion is not None:
        return occasion  # recorded already: a second tap changes nothing
    occasion = HelpGiven.objects.create(
        match=match,
        resident_id=help_request.resident_id,
        kind=help_request.kind,
        given_on=given_on,
        note=note.strip()[:300],
        recorded_by=by,
    )
    help_request.times_helped += 1
    help_request.save(update_fields=["times_helped"])
    if help_request.recurrence == Recurrence.ONCE:
        match.status, match.closed_at = MatchStatus.DONE, timezone.now()
        match.save(update_fields=["status", "closed_at"])
        _event(help_request, RequestStatus.DONE, by, note)
    _check_in_after(help_request)
    audit_record(
        action=AuditAction.UPDATE,
        actor=by,
        object_type=RESIDENT,
        object_id=help_request.resident_id,
        fields=["help_given"],
    )
    return occasion


@transaction.atomic
def check_in_done(*, by: User, check_in_id: int, note: str = "") -> CheckIn:
    check_in = CheckIn.objects.select_for_update().filter(pk=check_in_id, worker=by).first()
    if check_in is None:
        raise NotFound
    if check_in.done_at is None:
        check_in.done_at, check_in.note = timezone.now(), note.strip()[:300]
        check_in.save(update_fields=["done_at", "note"])
    return check_in


def expire_requests(organisation_id: int, today: date | None = None) -> int:
    """One-off requests whose window has passed without a helper taking them: expired."""
    today = today or timezone.localdate()
    stale = HelpRequest.objects.filter(
        Q(organisation_id=organisation_id, recurrence=Recurrence.ONCE, last_day__lt=today),
        status__in=(RequestStatus.OPEN, RequestStatus.PROPOSED),
    )
    count = 0
    for help_request in stale:
        with transaction.atomic():
            help_request.matches.filter(status=MatchStatus.PROPOSED).update(
                status=MatchStatus.WITHDRAWN, closed_at=timezone.now()
            )
            _event(help_request, RequestStatus.EXPIRED, None, _("The window passed"))
            count += 1
    return count
