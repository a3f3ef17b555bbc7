"""Pages of neighbour help: the coordinator's board, a request, a helper's tasks and offer."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from veerkracht.core.access import Capability, can, neighbourhoods_covered_by, request_user, within_organisation
from veerkracht.core.decorators import any_capability_required, capability_required
from veerkracht.core.models import AuditAction, Neighbourhood
from veerkracht.help import selectors, services
from veerkracht.help.api import when_of
from veerkracht.help.forms import DoneForm, HelpOfferForm, HelpRequestForm, MatchForm, NoteForm, ProposeForm
from veerkracht.help.models import HelpOffer, MatchStatus, RequestStatus
from veerkracht.help.tasks import UnmatchedReason
from veerkracht.help.vocabulary import moments_from
from veerkracht.people.models import Resident
from veerkracht.people.selectors import audit_residents_listed, resident_for

REASONS = dict(UnmatchedReason.choices)


@capability_required(Capability.MATCH_HELP)
@never_cache
def board(request: HttpRequest) -> HttpResponse:
    """Match now, the last run's proposals and unmatched requests, who waits longest, who is idle."""
    user = request_user(request)
    covered = neighbourhoods_covered_by(user).order_by("name")
    form = MatchForm(request.GET or None, neighbourhoods=covered)
    neighbourhood = form.cleaned_data["neighbourhood"] if form.is_valid() else None
    neighbourhood_id = neighbourhood.pk if neighbourhood else None
    run = selectors.latest_match_run(user)
    proposals = list(selectors.proposals_of_run(user, run)[:200]) if run else []
    waiting = selectors.waiting_longest(user, neighbourhood_id=neighbourhood_id)
    audit_residents_listed(user, [m.request.resident for m in proposals] + [r.resident for r in waiting])
    context = {
        "form": form,
        "run": run,
        "proposals": proposals,
        "waiting": waiting,
        "reasons": REASONS,
        "idle": selectors.idle_helpers(user, neighbourhood_id=neighbourhood_id),
        "check_ins": selectors.check_ins_due(user),
        "note_form": NoteForm(),
    }
    return render(request, "help/board.html", context)


@capability_required(Capability.MATCH_HELP)
@require_POST
def match(request: HttpRequest) -> HttpResponse:
    """Start a matching run in the background; the board shows its progress."""
    user = request_user(request)
    form = MatchForm(request.POST, neighbourhoods=neighbourhoods_covered_by(user))
    if not form.is_valid():
        raise Http404
    neighbourhood = form.cleaned_data["neighbourhood"]
    services.match_run_start(by=user, neighbourhood_id=neighbourhood.pk if neighbourhood else None)
    messages.success(request, _("Matching has started. The proposals appear below."))
    return redirect("help:board")


@capability_required(Capability.MATCH_HELP)
@never_cache
def run_status(request: HttpRequest, run_id: str) -> HttpResponse:
    """The progress of a run (polled by htmx until it is done)."""
    run = selectors.match_run_for(request_user(request), run_id)
    return render(request, "help/run_status.html", {"run": run, "reasons": REASONS})


@any_capability_required(Capability.MATCH_HELP, Capability.ASK_HELP)
@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest) -> HttpResponse:
    """A request for help: for a resident (``?resident=``) by a worker, or for oneself."""
    user = request_user(request)
    resident: Resident | None = None
    if can(user, Capability.MATCH_HELP):
        try:
            resident_id = int(request.GET.get("resident", ""))
        except ValueError:
            raise Http404 from None
        resident = resident_for(user, resident_id, action=AuditAction.VIEW)
    form = HelpRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            help_request = services.help_request_create(
                by=user, resident_id=resident.pk if resident else None, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The request has been saved. It is included in the next matching run."))
            if not services.kind_offered(user, help_request.kind):
                messages.warning(request, _("Nobody offers this kind of help yet."))
            return redirect("help:request", request_id=help_request.pk)
    return render(request, "help/request_form.html", {"form": form, "resident": resident})


@any_capability_required(Capability.MATCH_HELP, Capability.ASK_HELP)
@never_cache
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    """A request with its history and proposals; a worker may ask another helper or cancel it."""
    user = request_user(request)
    help_request = selectors.help_request_for(user, request_id)
    offers = within_organisation(HelpOffer.objects.filter(active=True), user).select_related("helper")
    # Kinds are a JSON list; containment queries differ per database, and an organisation has few offers.
    fitting = offers.filter(pk__in=[offer.pk for offer in offers if help_request.kind in offer.kinds])
    context = {
        "help_request": help_request,
        "when": when_of(help_request),
        "events": help_request.events.select_related("by"),
        "matches": help_request.matches.select_related("offer__helper"),
        "propose_form": ProposeForm(offers=fitting) if can(user, Capability.MATCH_HELP) else None,
        "note_form": NoteForm(),
        "closed": help_request.status in (RequestStatus.DONE, RequestStatus.CANCELLED, RequestStatus.EXPIRED),
        "reasons": REASONS,
    }
    return render(request, "help/request_detail.html", context)


@capability_required(Capability.MATCH_HELP)
@require_POST
def propose(request: HttpRequest, request_id: int) -> HttpResponse:
    user = request_user(request)
    help_request = selectors.help_request_for(user, request_id)
    offers = within_organisation(HelpOffer.objects.filter(active=True), user)
    form = ProposeForm(request.POST, offers=offers)
    if form.is_valid():
        try:
            services.helper_propose(by=user, request_id=help_request.pk, offer_id=form.cleaned_data["offer"].pk)
            messages.success(request, _("The request has been proposed to the helper."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect("help:request", request_id=help_request.pk)


@any_capability_required(Capability.MATCH_HELP, Capability.ASK_HELP)
@require_POST
def cancel(request: HttpRequest, request_id: int) -> HttpResponse:
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    services.help_request_cancel(by=request_user(request), request_id=request_id, note=note)
    messages.success(request, _("The request has been cancelled."))
    return redirect("help:request", request_id=request_id)


@capability_required(Capability.MATCH_HELP)
@require_POST
def check_in_done(request: HttpRequest, check_in_id: int) -> HttpResponse:
    form = NoteForm(request.POST)
    services.check_in_done(
        by=request_user(request), check_in_id=check_in_id, note=form.cleaned_data["note"] if form.is_valid() else ""
    )
    messages.success(request, _("Check-in recorded."))
    return redirect("help:board")


# --- the helper's side --------------------------------------------------------------------------


@capability_required(Capability.OFFER_HELP)
@never_cache
def my_tasks(request: HttpRequest) -> HttpResponse:
    """A helper's tasks: proposals to answer, tasks running, recently finished."""
    user = request_user(request)
    tasks = [
        selectors.task_view(user, match, when=when_of(match.request))
        for match in selectors.matches_of_helper(user)[:50]
    ]
    has_offer = HelpOffer.objects.filter(helper=user).exists()
    return render(request, "help/my_tasks.html", {"tasks": tasks, "has_offer": has_offer})


@capability_required(Capability.OFFER_HELP)
@never_cache
def task(request: HttpRequest, match_id: int) -> HttpResponse:
    user = request_user(request)
    found = selectors.match_of_helper(user, match_id)
    view = selectors.task_view(user, found, when=when_of(found.request))
    context = {
        "task": view,
        "done_form": DoneForm(),
        "note_form": NoteForm(),
        "accepted": found.status == MatchStatus.ACCEPTED,
    }
    return render(request, "help/task.html", context)


def _answer(request: HttpRequest, match_id: int, answer: str) -> HttpResponse:
    user = request_user(request)
    note_form = DoneForm(request.POST)
    note = note_form.cleaned_data["note"] if note_form.is_valid() else ""
    try:
        if answer == "accept":
            services.match_accept(by=user, match_id=match_id)
            if selectors.task_has_phone(user, match_id):
                messages.success(request, _("Thank you! The task is yours. The address and phone number are below."))
            else:
                messages.success(request, _("Thank you! The task is yours. The address is below."))
        elif answer == "decline":
            services.match_decline(by=user, match_id=match_id, note=note)
            messages.success(request, _("You declined the task. We will look for someone else."))
        else:
            services.match_done(by=user, match_id=match_id, note=note)
            messages.success(request, _("Thank you! The help has been recorded."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("help:task", match_id=match_id)


@capability_required(Capability.OFFER_HELP)
@require_POST
def accept(request: HttpRequest, match_id: int) -> HttpResponse:
    return _answer(request, match_id, "accept")


@capability_required(Capability.OFFER_HELP)
@require_POST
def decline(request: HttpRequest, match_id: int) -> HttpResponse:
    return _answer(request, match_id, "decline")


@capability_required(Capability.OFFER_HELP)
@require_POST
def done(request: HttpRequest, match_id: int) -> HttpResponse:
    return _answer(request, match_id, "done")


@capability_required(Capability.OFFER_HELP)
@require_http_methods(["GET", "POST"])
def offer(request: HttpRequest) -> HttpResponse:
    """The helper's own offer: what, when, how far, how much."""
    user = request_user(request)
    current = HelpOffer.objects.filter(helper=user).first()
    neighbourhoods = within_organisation(Neighbourhood.objects.order_by("name"), user)
    form = HelpOfferForm(request.POST or None, neighbourhoods=neighbourhoods, offer=current)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.help_offer_save(
                by=user,
                neighbourhood_id=data["neighbourhood"].pk,
                kinds=data["kinds"],
                availability=moments_from(data["moments"]),
                radius_m=data["radius_m"],
                max_open_tasks=data["max_open_tasks"],
                languages=data["languages"],
                postcode=data["postcode"],
                house_number=data["house_number"],
                active=data["active"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Your offer has been saved. Thank you!"))
            return redirect("help:my_tasks")
    return render(request, "help/offer_form.html", {"form": form})


# --- the resident's side ------------------------------------------------------------------------


@capability_required(Capability.ASK_HELP)
@never_cache
def own_requests(request: HttpRequest) -> HttpResponse:
    """The signed-in resident's help requests: where each stands and who helps."""
    user = request_user(request)
    requests = selectors.own_help_requests(user)
    audit_residents_listed(user, [own.request.resident for own in requests[:1]])
    shown = [(own, when_of(own.request)) for own in requests]
    return render(request, "help/own_requests.html", {"requests": shown})
