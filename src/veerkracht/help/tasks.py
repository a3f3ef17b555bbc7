"""The matching run: every open request in scope against every helper with room, solved at once.

It runs in the background worker (``core.tasks``). It is idempotent: requests already proposed
are skipped, so a run restarted after its worker died proposes nothing twice; each proposal is
made only while this attempt holds the run (``effects_of``), so two attempts never propose side
by side.
"""

import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from veerkracht.core.models import TaskRun
from veerkracht.core.tasks import Report, effects_of, register
from veerkracht.engines.matching import Request, Volunteer, solve
from veerkracht.help.models import HelpOffer, HelpRequest, Match, MatchStatus, Recurrence, RequestStatus
from veerkracht.help.selectors import MATCH_RUN
from veerkracht.help.services import expire_requests, propose
from veerkracht.help.vocabulary import moments_between, moments_of_day


class UnmatchedReason(models.TextChoices):
    NO_KIND = "no_kind", _("No helper offers this kind of help")
    OUT_OF_REACH = "out_of_reach", _("No helper lives within reach")
    NOT_AVAILABLE = "not_available", _("No helper within reach is free at that moment")
    DECLINED = "declined", _("Every helper within reach declined it")
    ALL_FULL = "all_full", _("Every helper within reach is full")
    NO_ADDRESS = "no_address", _("The resident has no address")


@dataclass
class _Helpers:
    offers: list[HelpOffer]
    room: list[int]
    x: np.ndarray[Any, np.dtype[np.float64]]
    y: np.ndarray[Any, np.dtype[np.float64]]
    radius: np.ndarray[Any, np.dtype[np.float64]]
    when: np.ndarray[Any, np.dtype[np.int64]]
    index: dict[int, int]  # offer id → position


def _helpers(organisation_id: int) -> _Helpers:
    offers = list(
        HelpOffer.objects.filter(organisation_id=organisation_id, active=True, helper__is_active=True)
        .select_related("helper")
        .order_by("pk")
    )
    load = Counter(
        Match.objects.filter(offer__in=offers, status__in=(MatchStatus.PROPOSED, MatchStatus.ACCEPTED)).values_list(
            "offer_id", flat=True
        )
    )
    return _Helpers(
        offers,
        [max(0, offer.max_open_tasks - load[offer.pk]) for offer in offers],
        np.array([offer.x for offer in offers], np.float64),
        np.array([offer.y for offer in offers], np.float64),
        np.array([offer.radius_m for offer in offers], np.float64),
        np.array([offer.availability for offer in offers], np.int64),
        {offer.pk: position for position, offer in enumerate(offers)},
    )


def _moments(help_request: HelpRequest) -> int:
    if help_request.recurrence == Recurrence.WEEKLY and help_request.weekday is not None:
        return moments_of_day(help_request.weekday, help_request.part_of_day)
    first = max(help_request.first_day, timezone.localdate())
    return moments_between(first, help_request.last_day or first, help_request.part_of_day)


def _history(requests: list[HelpRequest], helpers: _Helpers) -> tuple[dict[int, int], dict[int, set[int]]]:
    """Per request: the helper who last helped this resident with this kind; the helpers who declined it."""
    previous: dict[int, int] = {}
    by_resident_kind = {(r.resident_id, r.kind): r.pk for r in requests}
    earlier = (
        Match.objects.filter(
            Q(status__in=(MatchStatus.ACCEPTED, MatchStatus.DONE))
            | Q(status=MatchStatus.CANCELLED, responded_at__isnull=False),  # taken, then the request ended
            request__resident_id__in=[r.resident_id for r in requests],
        )
        .order_by("created_at")
        .values_list("request__resident_id", "request__kind", "offer_id")
    )
    for resident_id, kind, offer_id in earlier:
        request_id = by_resident_kind.get((resident_id, kind))
        if request_id is not None and offer_id in helpers.index:
            previous[request_id] = helpers.index[offer_id]
    declined: dict[int, set[int]] = {}
    for request_id, offer_id in Match.objects.filter(
        request__in=requests, status__in=(MatchStatus.DECLINED, MatchStatus.WITHDRAWN)
    ).values_list("request_id", "offer_id"):
        if offer_id in helpers.index:
            declined.setdefault(request_id, set()).add(helpers.index[offer_id])
    return previous, declined


def _reason(request: Request, helpers: _Helpers) -> str:
    """Why a request could not be matched: the first test that no helper passes."""
    kinds = np.array([request.kind in offer.kinds for offer in helpers.offers], np.bool_)
    if not kinds.any():
        return UnmatchedReason.NO_KIND
    near = kinds & (np.hypot(helpers.x - request.x, helpers.y - request.y) <= helpers.radius)
    if not near.any():
        return UnmatchedReason.OUT_OF_REACH
    free = near & ((helpers.when & request.when) != 0)
    if not free.any():
        return UnmatchedReason.NOT_AVAILABLE
    willing = free & ~np.isin(np.arange(len(helpers.offers)), list(request.excluded))
    if not willing.any():
        return UnmatchedReason.DECLINED
    return UnmatchedReason.ALL_FULL


def _open_requests(run: TaskRun) -> list[HelpRequest]:
    requests = HelpRequest.objects.filter(organisation_id=run.organisation_id, status=RequestStatus.OPEN)
    if not run.params.get("whole_organisation"):
        requests = requests.filter(resident__neighbourhood_id__in=run.params.get("neighbourhood_ids", []))
    return list(requests.select_related("resident", "resident__household").order_by("created_at", "pk"))


@register(MATCH_RUN)
def match_run(run: TaskRun, report: Report) -> dict[str, Any]:
    """Propose the best set of matches for every open request of the run's scope."""
    expired = expire_requests(run.organisation_id)
    open_requests = _open_requests(run)
    report(10)
    helpers = _helpers(run.organisation_id)
    previous, declined = _history(open_requests, helpers)
    located = [r for r in open_requests if r.resident.household is not None]
    engine_requests = [
        Request(
            r.resident.household.x,  # type: ignore[union-attr]  # located: has a household
            r.resident.household.y,  # type: ignore[union-attr]
            r.kind,
            r.language or None,
            previous.get(r.pk),
            _moments(r),
            frozenset(declined.get(r.pk, ())),
        )
        for r in located
    ]
    volunteers = [
        Volunteer(o.x, o.y, float(o.radius_m), room, frozenset(o.kinds), frozenset(o.languages), o.availability)
        for o, room in zip(helpers.offers, helpers.room, strict=True)
    ]
    pairs = solve(engine_requests, volunteers)
    report(40)
    proposed = 0
    for done, (i, j) in enumerate(pairs, start=1):
        wanted, offer = engine_requests[i], helpers.offers[j]
        with effects_of(run):  # an attempt the reaper gave up on proposes nothing beside its successor
            match = propose(
                help_request=located[i],
                offer=offer,
                run=run,
                distance_m=math.hypot(wanted.x - offer.x, wanted.y - offer.y),
                same_language=None if wanted.language is None else wanted.language in offer.languages,
                continuity=wanted.previous_volunteer == j,
                by=run.requested_by,
            )
        proposed += match is not None
        if done % 25 == 0:
            report(40 + 50 * done // len(pairs))
    reasons = _record_reasons(located, engine_requests, {i for i, _ in pairs}, helpers, open_requests)
    return {
        "requests": len(open_requests),
        "proposed": proposed,
        "unmatched": dict(Counter(reasons.values())),
        "expired": expired,
    }


def _record_reasons(
    located: list[HelpRequest],
    engine_requests: list[Request],
    matched: set[int],
    helpers: _Helpers,
    open_requests: list[HelpRequest],
) -> dict[int, str]:
    reasons = {r.pk: str(UnmatchedReason.NO_ADDRESS) for r in open_requests if r.resident.household is None}
    for i, help_request in enumerate(located):
        if i not in matched:
            reasons[help_request.pk] = str(_reason(engine_requests[i], helpers))
    with transaction.atomic():
        for request_id, reason in reasons.items():
            HelpRequest.objects.filter(pk=request_id, status=RequestStatus.OPEN).update(unmatched_reason=reason)
    return reasons
