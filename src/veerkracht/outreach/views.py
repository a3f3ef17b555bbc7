"""Pages of outreach rounds: plan a round, its lists and map, the print-out, a walker's phone list, a door."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from veerkracht.core.access import Capability, can, neighbourhoods_covered_by, request_user, within_organisation
from veerkracht.core.decorators import capability_required
from veerkracht.core.exceptions import NotFound
from veerkracht.core.models import Neighbourhood, User
from veerkracht.outreach import selectors, services
from veerkracht.outreach.candidates import Candidate, candidates, weights_of
from veerkracht.outreach.forms import FlagForm, RoundForm, VisitForm, WalkerFormSet, WeightsForm
from veerkracht.outreach.mapping import round_map
from veerkracht.outreach.models import DoorFlag, OutreachRound, RoundStop, RoundWalker
from veerkracht.outreach.presentation import back_at, door_for, sees_why, state_of
from veerkracht.outreach.vocabulary import describe
from veerkracht.people.selectors import audit_residents_listed, residents_visible_to
from veerkracht.places.models import Place

CANDIDATES_SHOWN = 100


@capability_required(Capability.WALK_OUTREACH)
@never_cache
def rounds(request: HttpRequest) -> HttpResponse:
    """My rounds; for planners also the recent rounds of their neighbourhoods."""
    user = request_user(request)
    planned = selectors.rounds_planned_by_scope(user).select_related("neighbourhood", "run")[:30]
    context = {
        "mine": selectors.my_rounds(user),
        "planned": [(round_, state_of(round_)) for round_ in planned],
        "can_plan": can(user, Capability.PLAN_OUTREACH),
    }
    return render(request, "outreach/rounds.html", context)


def _walkers_choice(user: User) -> QuerySet[User]:
    workers = within_organisation(User.objects.filter(is_active=True), user)
    return workers.filter(role__in=services.WALKER_ROLES).order_by("first_name", "last_name")


def _places_choice(user: User) -> QuerySet[Place]:
    return within_organisation(Place.objects.filter(x__isnull=False, y__isnull=False), user).order_by("name")


@capability_required(Capability.PLAN_OUTREACH)
@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest) -> HttpResponse:
    """Start a round: day, neighbourhood, kinds of visit, and the walkers with their hours and start."""
    user = request_user(request)
    data = request.POST if request.method == "POST" else None
    form = RoundForm(data, neighbourhoods=neighbourhoods_covered_by(user).order_by("name"))
    walkers = WalkerFormSet(
        data, prefix="walkers", form_kwargs={"workers": _walkers_choice(user), "places": _places_choice(user)}
    )
    if request.method == "POST" and form.is_valid() and walkers.is_valid():
        plans = [plan for plan in (walker.plan() for walker in walkers) if plan is not None]
        try:
            round_ = services.round_start(
                by=user,
                neighbourhood_id=form.cleaned_data["neighbourhood"].pk,
                on=form.cleaned_data["date"],
                kinds=form.cleaned_data["kinds"],
                walkers=plans,
            )
        except ValidationError as error:
            form.add_service_errors(_as_round_errors(error))
        else:
            messages.success(request, _("Planning has started. The lists appear below when they are ready."))
            return redirect("outreach:round", round_id=round_.pk)
    return render(request, "outreach/plan.html", {"form": form, "walkers": walkers})


def _as_round_errors(error: ValidationError) -> ValidationError:
    """Service errors named by API field: shown on the form's fields where it has them."""
    if not hasattr(error, "error_dict"):
        return error
    names = {"neighbourhood_id": "neighbourhood", "walkers": None}
    return ValidationError(
        {names.get(field, field) or "__all__": messages for field, messages in error.message_dict.items()}
    )


def _round_context(
    request: HttpRequest, user: User, round_: OutreachRound, walkers: list[RoundWalker]
) -> dict[str, Any]:
    stops = selectors.stops_of(walkers, user)
    lists = [
        {
            "walker": walker,
            "doors": [door_for(user, stop) for stop in stops[walker.pk]],
            "back_at": back_at(walker, stops[walker.pk]),
        }
        for walker in walkers
    ]
    return {
        "round": round_,
        "state": state_of(round_),
        "lists": lists,
        "drawing": round_map(round_.neighbourhood, walkers, stops),
        "doors": sum(len(found) for found in stops.values()),
        "sees_why": sees_why(user),
    }


@capability_required(Capability.PLAN_OUTREACH)
@never_cache
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    """The round: progress while it is planned, then each walker's list, the map and the print-out."""
    user = request_user(request)
    round_ = selectors.round_for_planner(user, round_id)
    walkers = list(round_.walkers.select_related("worker", "round"))
    return render(request, "outreach/round.html", _round_context(request, user, round_, walkers))


@capability_required(Capability.PLAN_OUTREACH)
@never_cache
def progress(request: HttpRequest, round_id: int) -> HttpResponse:
    """The planning's progress (polled by htmx); once done, the page reloads to show the lists."""
    round_ = selectors.round_for_planner(request_user(request), round_id)
    context = {"round": round_, "state": state_of(round_), "doors": round_.stops.count()}
    response = render(request, "outreach/_progress.html", context)
    if state_of(round_).status != "planning":
        response["HX-Refresh"] = "true"
    return response


@capability_required(Capability.WALK_OUTREACH)
@never_cache
def print_list(request: HttpRequest, round_id: int) -> HttpResponse:
    """The lists on A4, one walker per page (a planner prints all, a walker their own)."""
    user = request_user(request)
    try:
        round_ = selectors.round_for_planner(user, round_id)
        walkers = list(round_.walkers.select_related("worker", "round"))
    except NotFound:
        walker = selectors.walker_of(user, round_id)
        round_, walkers = walker.round, [walker]
    return render(request, "outreach/print.html", _round_context(request, user, round_, walkers))


@capability_required(Capability.WALK_OUTREACH)
@never_cache
def walk(request: HttpRequest, round_id: int) -> HttpResponse:
    """A walker's own list on the phone: the next door first, each with a button to tick it."""
    user = request_user(request)
    walker = selectors.walker_of(user, round_id)
    stops = selectors.stops_of([walker], user)[walker.pk]
    todo = [stop for stop in stops if not hasattr(stop, "visit")]
    context = {
        "walker": walker,
        "round": walker.round,
        "doors": [door_for(user, stop) for stop in stops],
        "next": door_for(user, todo[0]) if todo else None,
        "done": len(stops) - len(todo),
    }
    return render(request, "outreach/walk.html", context)


def _stop_for(user: User, round_id: int, stop_id: int) -> RoundStop:
    stop = (
        selectors.stops_writable_by(user)
        .select_related("resident", "resident__household", "walker", "walker__worker", "round", "visit", "visit__by")
        .filter(pk=stop_id, round_id=round_id)
        .first()
    )
    if stop is None:
        raise Http404
    return stop


def _after_visit(user: User, stop: RoundStop) -> HttpResponse:
    if stop.walker.worker_id == user.pk:
        return redirect("outreach:walk", round_id=stop.round_id)
    return redirect("outreach:round", round_id=stop.round_id)


@capability_required(Capability.WALK_OUTREACH)
@require_http_methods(["GET", "POST"])
def door(request: HttpRequest, round_id: int, stop_id: int) -> HttpResponse:
    """One door: who lives there and why we come, and the outcome in a few taps."""
    user = request_user(request)
    stop = _stop_for(user, round_id, stop_id)
    audit_residents_listed(user, [stop.resident])
    form = VisitForm(request.POST or None, initial={"channel": stop.kind})
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.visit_log(by=user, stop_id=stop.pk, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Saved: %(outcome)s.") % {"outcome": visit.get_outcome_display().lower()})
            return _after_visit(user, stop)
    context = {"stop": stop, "door": door_for(user, stop), "form": form, "visit": getattr(stop, "visit", None)}
    return render(request, "outreach/door.html", context)


def _chosen(covered: QuerySet[Neighbourhood], value: str) -> Neighbourhood | None:
    """The neighbourhood asked for in the query string, if covered; else the first covered one."""
    chosen = covered.filter(pk=int(value)).first() if value.isdigit() else None
    return chosen or covered.first()


@capability_required(Capability.PLAN_OUTREACH)
@never_cache
def candidate_list(request: HttpRequest) -> HttpResponse:
    """Who would be visited first in a neighbourhood, and why; flags can be set and cleared here."""
    user = request_user(request)
    covered = neighbourhoods_covered_by(user).order_by("name")
    neighbourhood = _chosen(covered, request.GET.get("neighbourhood", ""))
    found: list[Candidate] = []
    if neighbourhood is not None:
        residents = residents_visible_to(user).filter(neighbourhood=neighbourhood)
        found = candidates(residents, on=timezone.localdate(), weights=weights_of(neighbourhood.organisation_id))
    shown = found[:CANDIDATES_SHOWN]
    audit_residents_listed(user, [candidate.resident for candidate in shown])
    flagged = set(
        DoorFlag.objects.filter(resident__in=[c.resident for c in shown], cleared_at__isnull=True).values_list(
            "resident_id", flat=True
        )
    )
    context = {
        "neighbourhoods": covered,
        "neighbourhood": neighbourhood,
        "candidates": [(c, [describe(r) for r in c.priority.reasons], c.resident.pk in flagged) for c in shown],
        "total": len(found),
    }
    return render(request, "outreach/candidates.html", context)


@capability_required(Capability.PLAN_OUTREACH)
@require_POST
def flag(request: HttpRequest, resident_id: int) -> HttpResponse:
    """Flag a door for a visit (or clear the flag); back to where the worker came from."""
    user = request_user(request)
    if request.POST.get("clear"):
        services.door_flag_clear(by=user, resident_id=resident_id)
        messages.success(request, _("The request for a visit has been withdrawn."))
    else:
        form = FlagForm(request.POST)
        note = form.cleaned_data["note"] if form.is_valid() else ""
        services.door_flag_set(by=user, resident_id=resident_id, note=note)
        messages.success(request, _("This door is on the next round's list."))
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("people:detail", resident_id=resident_id)


@capability_required(Capability.SET_OUTREACH_PRIORITIES)
@require_http_methods(["GET", "POST"])
def priorities(request: HttpRequest) -> HttpResponse:
    """The organisation's weights for the priority formula, with the formula in words."""
    user = request_user(request)
    current = weights_of(user.organisation_id or 0)
    form = WeightsForm(request.POST or None, initial=vars(current))
    if request.method == "POST" and form.is_valid():
        try:
            services.priority_weights_save(by=user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The priority weights have been saved. The next round uses them."))
            return redirect("outreach:priorities")
    return render(request, "outreach/priorities.html", {"form": form})
