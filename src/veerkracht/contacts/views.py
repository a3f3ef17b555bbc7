"""Pages of the contact log, concerns and worklists."""

from typing import Any, Literal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from veerkracht.contacts.followups import follow_ups_of, open_call_tasks
from veerkracht.contacts.forms import (
    ConcernForm,
    ConcernUpdateForm,
    ContactQuickForm,
    OutOfSightForm,
    fresh_quick_form,
)
from veerkracht.contacts.models import Initiative
from veerkracht.contacts.selectors import (
    concern_for,
    concern_worklist,
    marker_labels,
    markers_of,
    neighbourhood_choices,
    out_of_sight,
    timeline_page,
)
from veerkracht.contacts.services import call_task_done, concern_raise, concern_update, contact_log
from veerkracht.core.access import Capability, request_user, workers_of
from veerkracht.core.decorators import capability_required
from veerkracht.core.models import AuditAction, User
from veerkracht.people.models import Resident
from veerkracht.people.selectors import LISTED_RESIDENT, audit_residents_listed, resident_for
from veerkracht.people.vocabulary import MARKERS

PAGE_SIZE = 50
MAX_TIMELINE_PAGE = 500  # 10,000 entries back: page n reads n pages of each source


def resident_panel_context(user: User, resident: Resident) -> dict[str, Any]:
    """The contact panel of a resident's page (people/panels.py): the timeline's first page and a fresh form."""
    return {"timeline": timeline_page(resident), **fresh_quick_form(resident)}


def _contact_panel(request: HttpRequest, resident: Resident, form: ContactQuickForm | None) -> HttpResponse:
    """The panel after a post: the form with its errors, or (saved) a fresh one."""
    panel: dict[str, object] = (
        {"contact_form": form} if form is not None else {**fresh_quick_form(resident), "saved": True}
    )
    context = {"resident": resident, "timeline": timeline_page(resident), **panel}
    return render(request, "contacts/contact_panel.html", context)


@capability_required(Capability.VIEW_RESIDENT_REGISTER)
@require_POST
def contact_create(request: HttpRequest, resident_id: int) -> HttpResponse:
    """Log a contact from the resident's page; with htmx only the panel is redrawn."""
    user = request_user(request)
    resident = resident_for(user, resident_id, action=AuditAction.VIEW)
    form = ContactQuickForm(request.POST)
    saved = False
    if form.is_valid():
        data = form.cleaned_data
        try:
            contact_log(
                by=user,
                resident_ids=[resident.pk],
                channel=data["channel"],
                started_at=form.start(),
                duration_minutes=data["duration_minutes"],
                reached=data["reached"] != "0",
                language=data["language"],
                interpreter=data["interpreter"],
                initiative=data["initiative"] or Initiative.WORKER,
                topics=data["topics"],
                note=data["note"],
                follow_up_on=data["follow_up_on"],
            )
            saved = True
        except ValidationError as error:
            form.add_service_errors(error)
    if not request.headers.get("HX-Request"):
        if saved:
            messages.success(request, _("The contact has been saved."))
            return redirect("people:detail", resident_id=resident.pk)
        return render(
            request,
            "people/resident_detail.html",
            {
                "resident": resident,
                "timeline": timeline_page(resident),
                "contact_form": form,
            },
        )
    return _contact_panel(request, resident, None if saved else form)


@capability_required(Capability.VIEW_RESIDENT_REGISTER)
@require_http_methods(["GET", "POST"])
def concern_create(request: HttpRequest, resident_id: int) -> HttpResponse:
    """Raise a concern about a resident."""
    user = request_user(request)
    resident = resident_for(user, resident_id, action=AuditAction.VIEW)
    form = ConcernForm(request.POST or None, workers=workers_of(user))
    if request.method == "POST" and form.is_valid():
        try:
            concern = concern_raise(by=user, resident_id=resident.pk, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The concern has been raised."))
            return redirect("contacts:concern", concern_id=concern.pk)
    return render(request, "contacts/concern_form.html", {"form": form, "resident": resident})


@capability_required(Capability.VIEW_RESIDENT_REGISTER)
@require_http_methods(["GET", "POST"])
@never_cache
def concern_detail(request: HttpRequest, concern_id: int) -> HttpResponse:
    """A concern with its history, and the form for the next step."""
    user = request_user(request)
    concern = concern_for(user, concern_id)
    form = ConcernUpdateForm(request.POST or None, workers=workers_of(user), concern=concern)
    if request.method == "POST" and form.is_valid():
        try:
            concern_update(by=user, concern_id=concern.pk, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The concern has been updated."))
            return redirect("contacts:concern", concern_id=concern.pk)
    history = concern.history.select_related("by").all()
    return render(request, "contacts/concern_detail.html", {"concern": concern, "form": form, "history": history})


@capability_required(Capability.VIEW_RESIDENT_REGISTER)
@never_cache
def concern_worklist_view(request: HttpRequest) -> HttpResponse:
    """Open concerns by severity and due date: the user's own or their teams'."""
    user = request_user(request)
    scope: Literal["mine", "team"] = "team" if request.GET.get("scope") == "team" else "mine"
    page = Paginator(concern_worklist(user, scope=scope), PAGE_SIZE).get_page(request.GET.get("page"))
    audit_residents_listed(user, [concern.resident for concern in page.object_list])
    return render(request, "contacts/concern_worklist.html", {"page": page, "scope": scope})


# What a line of the out-of-sight list shows besides the name: the reason (markers) and the age.
OUT_OF_SIGHT_FIELDS = ("last_reached_at", "birth_year", *(name for name in MARKERS if name != "aged_75_plus"))


@capability_required(Capability.VIEW_RESIDENT_REGISTER)
@never_cache
def follow_up_view(request: HttpRequest) -> HttpResponse:
    """Call back and follow up: the user's own follow-up dates, overdue and today first, then the week."""
    user = request_user(request)
    lines = follow_ups_of(user)
    calls = open_call_tasks(user)
    listed = {line.resident_id for line in lines} | {task.resident_id for task in calls}
    audit_residents_listed(user, [Resident(pk=resident_id) for resident_id in sorted(listed)])
    today = timezone.localdate()
    due = [line for line in lines if line.due_on <= today]
    coming = [line for line in lines if line.due_on > today]
    context = {"due": due, "coming": coming, "calls": calls, "today": today}
    return render(request, "contacts/follow_ups.html", context)


@capability_required(Capability.VIEW_RESIDENT_REGISTER)
@require_POST
def call_task_done_view(request: HttpRequest, task_id: int) -> HttpResponse:
    """Tick off a phone call the worker made; back to the list."""
    try:
        call_task_done(by=request_user(request), task_id=task_id)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The call has been ticked off."))
    return redirect("contacts:follow_ups")


@capability_required(Capability.VIEW_RESIDENT_REGISTER)
@never_cache
def out_of_sight_view(request: HttpRequest) -> HttpResponse:
    """Residents with a vulnerability marker and no contact for the organisation's term (or a chosen one)."""
    user = request_user(request)
    form = OutOfSightForm(request.GET or None, neighbourhoods=neighbourhood_choices(user))
    days = user.organisation.out_of_sight_days if user.organisation else 30
    neighbourhood, oldest_first, marker = None, True, ""
    if form.is_valid():
        days = form.cleaned_data["days"] or days
        neighbourhood = form.cleaned_data["neighbourhood"]
        oldest_first = form.cleaned_data["order"] != "newest"
        marker = form.cleaned_data["marker"]
    residents = out_of_sight(
        user,
        neighbourhood_id=neighbourhood.pk if neighbourhood else None,
        days=days,
        oldest_first=oldest_first,
        marker=marker,
    )
    # Only what a line shows: reading all 35 columns of fifty residents (and each neighbourhood's
    # boundary) was a tenth of the page's work.
    residents = residents.only(*LISTED_RESIDENT, *OUT_OF_SIGHT_FIELDS)
    page = Paginator(residents, PAGE_SIZE).get_page(request.GET.get("page"))
    audit_residents_listed(user, list(page.object_list))
    this_year, labels = timezone.localdate().year, marker_labels()
    lines = [
        (resident, this_year - resident.birth_year, markers_of(resident, this_year=this_year, labels=labels))
        for resident in page
    ]
    context = {"form": form, "page": page, "lines": lines, "days": days}
    return render(request, "contacts/out_of_sight.html", context)


@capability_required(Capability.VIEW_RESIDENT_REGISTER)
@never_cache
def resident_timeline_view(request: HttpRequest, resident_id: int) -> HttpResponse:
    """The whole timeline, a page at a time; the resident's page shows its first page."""
    user = request_user(request)
    resident = resident_for(user, resident_id, action=AuditAction.VIEW)
    number = _page_number(request.GET.get("pagina"))
    context = {"resident": resident, "timeline": timeline_page(resident, number=number)}
    return render(request, "contacts/resident_timeline.html", context)


def _page_number(text: str | None) -> int:
    """A page number from the address; anything else (or absurdly far back) is the first page."""
    # isdecimal, not isdigit: "²" is a digit that int() refuses.
    return int(text) if text and text.isdecimal() and 1 <= int(text) <= MAX_TIMELINE_PAGE else 1
