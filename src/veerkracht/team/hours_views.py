"""Pages of hours: a worker's own page with their time sheet, the coordinator's approvals and month."""

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from veerkracht.activities.models import Activity
from veerkracht.core.access import Capability, request_user, within_organisation
from veerkracht.core.decorators import capability_required
from veerkracht.core.models import User
from veerkracht.core.spreadsheets import csv_download
from veerkracht.help.models import Match
from veerkracht.team import payroll, selectors, services, timesheets
from veerkracht.team.forms import AwayForm, ContractForm, HoursForm, MonthForm, NoteForm


def _hours_form(user: User, data: object = None) -> HoursForm:
    activities = within_organisation(Activity.objects.filter(Q(helpers=user) | Q(organiser=user)), user)
    recent = activities.filter(starts_at__gte=timezone.now() - timedelta(days=62)).distinct()
    return HoursForm(
        data,
        activities=recent.order_by("-starts_at"),
        matches=Match.objects.filter(offer__helper=user, created_at__gte=timezone.now() - timedelta(days=62))
        .select_related("request")
        .order_by("-created_at"),
    )


def _month(request: HttpRequest) -> date:
    form = MonthForm(request.GET)
    chosen = form.cleaned_data.get("maand") if form.is_valid() else None
    return (chosen or timezone.localdate()).replace(day=1)


@capability_required(Capability.REPORT_HOURS)
@never_cache
def my_work(request: HttpRequest) -> HttpResponse:
    """A volunteer's or basisbaan worker's own page: activities, help tasks, hours, absence."""
    user = request_user(request)
    month = _month(request)
    context = {
        "work": selectors.my_work(user, month),
        "month": month,
        "overview": selectors.month_overview(user, month),
        "hours_form": _hours_form(user),
        "away_form": AwayForm(),
    }
    return render(request, "team/my_work.html", context)


@capability_required(Capability.REPORT_HOURS)
@require_POST
def hours_add(request: HttpRequest) -> HttpResponse:
    """Add a line of hours to one's own day."""
    user = request_user(request)
    form = _hours_form(user, request.POST)
    if form.is_valid():
        try:
            timesheets.time_entry_add(by=user, day=form.cleaned_data["day"], entry=form.entry())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your hours have been saved. A coordinator will approve them."))
    else:
        messages.error(request, _("Enter the day, what the hours were for, and how many."))
    return redirect("team:my_work")


@capability_required(Capability.REPORT_HOURS)
@require_POST
def entry_remove(request: HttpRequest, entry_id: int) -> HttpResponse:
    try:
        timesheets.time_entry_remove(by=request_user(request), entry_id=entry_id)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("team:my_work")


@capability_required(Capability.MANAGE_TEAMS)
@never_cache
def approvals(request: HttpRequest) -> HttpResponse:
    """Days waiting for approval, oldest first."""
    sheets = list(selectors.awaiting_approval(request_user(request))[:100])
    return render(request, "team/approvals.html", {"sheets": sheets, "note_form": NoteForm()})


@capability_required(Capability.MANAGE_TEAMS)
@require_POST
def review(request: HttpRequest, sheet_id: int) -> HttpResponse:
    """Approve a day, or return it with a note."""
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    approve = request.POST.get("decision") == "approve"
    try:
        timesheets.time_sheet_review(by=request_user(request), sheet_id=sheet_id, approve=approve, note=note)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Approved.") if approve else _("Returned to the worker."))
    return redirect("team:approvals")


@capability_required(Capability.MANAGE_TEAMS)
@never_cache
def month(request: HttpRequest) -> HttpResponse:
    """The month per worker: contract hours, approved hours, hours still waiting; exports for payroll."""
    chosen = _month(request)
    context = {"month": chosen, "rows": selectors.month_overview(request_user(request), chosen)}
    context["contract_form"] = ContractForm()
    return render(request, "team/month.html", context)


@capability_required(Capability.MANAGE_TEAMS)
def month_csv(request: HttpRequest) -> HttpResponse:
    chosen = _month(request)
    return csv_download(payroll.month_csv(request_user(request), chosen), f"uren-{chosen:%Y-%m}.csv")


@capability_required(Capability.MANAGE_TEAMS)
def month_xlsx(request: HttpRequest) -> HttpResponse:
    chosen = _month(request)
    response = HttpResponse(
        payroll.month_xlsx(request_user(request), chosen),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="uren-{chosen:%Y-%m}.xlsx"'
    return response


@capability_required(Capability.MANAGE_TEAMS)
@require_POST
def contract(request: HttpRequest, user_id: int) -> HttpResponse:
    """Record a basisbaan worker's contract hours per week."""
    form = ContractForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter between 0.5 and 40 hours a week."))
    else:
        try:
            services.contract_set(by=request_user(request), user_id=user_id, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The contract hours have been saved."))
    return redirect("team:month")
