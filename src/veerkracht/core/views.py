"""Pages of the core app: the start page per role, teams and the audit log."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from veerkracht.core.access import Capability, is_active_member, request_user
from veerkracht.core.decorators import capability_required
from veerkracht.core.forms import AuditFilterForm, TeamCreateForm
from veerkracht.core.middleware import multilingual
from veerkracht.core.models import Notification
from veerkracht.core.selectors import (
    audit_events_visible_to,
    neighbourhood_figures,
    teams_with_coverage,
    unread_notifications,
)
from veerkracht.core.startpage import public_invitations


@multilingual
def public_home(request: HttpRequest) -> HttpResponse:
    """The public start page: activities, places, volunteering, an open survey, and signing in."""
    return render(request, "core/public_home.html", {"invitations": public_invitations()})


@never_cache
def home(request: HttpRequest) -> HttpResponse:
    """The start page of the signed in: what their role can do; visitors go to the public one.

    A redirect rather than the public page under this address: every page for the signed in
    answers a visitor with a redirect, and the public page has its own address to share.
    """
    if not request.user.is_authenticated:
        return redirect("public_home")
    user = request_user(request)
    if not is_active_member(user):
        return render(request, "core/home_no_organisation.html")
    context = {
        "teams": teams_with_coverage(user),
        "figures": neighbourhood_figures(user, this_year=timezone.localdate().year),
        "notifications": unread_notifications(user),
    }
    return render(request, "core/home.html", context)


@capability_required(Capability.VIEW_ORGANISATION)
def teams(request: HttpRequest) -> HttpResponse:
    """The teams the user can see, with the neighbourhoods they cover."""
    context = {"teams": teams_with_coverage(request_user(request)), "team_form": TeamCreateForm()}
    return render(request, "core/teams.html", context)


@capability_required(Capability.VIEW_AUDIT_LOG)
@never_cache
def audit_log(request: HttpRequest) -> HttpResponse:
    """The organisation's audit log, newest first, filterable by action and object id."""
    events = audit_events_visible_to(request_user(request))
    form = AuditFilterForm(request.GET or None)
    if form.is_valid():
        if form.cleaned_data["action"]:
            events = events.filter(action=form.cleaned_data["action"])
        if form.cleaned_data["object_id"]:
            events = events.filter(object_id=form.cleaned_data["object_id"])
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_log.html", {"form": form, "page": page})


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    """Mark the user's messages as read."""
    Notification.objects.filter(user=request_user(request), read_at__isnull=True).update(read_at=timezone.now())
    return redirect("home")


def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers: answers 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
