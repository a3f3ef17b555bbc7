"""Pages to change or cancel a planned activity (the organiser or a coordinator)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from veerkracht.activities.changes import activity_cancel, activity_update, may_change
from veerkracht.activities.models import Activity, RegistrationStatus
from veerkracht.activities.selectors import activity_managed
from veerkracht.activities.views import planning_form
from veerkracht.core.access import Capability, request_user
from veerkracht.core.decorators import capability_required
from veerkracht.core.models import User


def _changeable(user: User, activity_id: int) -> Activity:
    """An activity this user may change; others (a helper, another worker) get 404, as for any page not theirs."""
    activity = activity_managed(user, activity_id)
    if not may_change(user, activity):
        raise Http404
    return activity


def _initial(activity: Activity) -> dict[str, object]:
    """The form filled with the activity as it is (times in Amsterdam, as the boxes show them)."""
    return {
        "title": activity.title,
        "kind": activity.kind,
        "description": activity.description,
        "place": activity.place_id,
        "starts_at": timezone.localtime(activity.starts_at),
        "ends_at": timezone.localtime(activity.ends_at),
        "registration_required": activity.registration_required,
        "max_participants": activity.max_participants,
        "online_link": activity.online_link,
        "dial_in": activity.dial_in,
        "dial_in_pin": activity.dial_in_pin,
        "max_online": activity.max_online,
        "target_groups": activity.target_groups,
        "languages": activity.languages,
        "helpers": list(activity.helpers.values_list("pk", flat=True)),
    } | {
        f"{name}_{text.language}": getattr(text, name)
        for text in activity.texts.all()
        for name in ("title", "description")
    }


@capability_required(Capability.PLAN_ACTIVITIES)
@require_http_methods(["GET", "POST"])
@never_cache
def edit(request: HttpRequest, activity_id: int) -> HttpResponse:
    """Change an activity; a new time or place is sent to everyone registered."""
    user = request_user(request)
    activity = _changeable(user, activity_id)
    form = planning_form(user, request.POST or None, initial=_initial(activity))
    form.fields.pop("weekly_until")  # one date changes; a series is planned anew
    if request.method == "POST" and form.is_valid():
        try:
            activity_update(by=user, activity_id=activity.pk, plan=form.plan())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The activity has been changed. Registrants are told of a new time or place."))
            return redirect("activities:manage", activity_id=activity.pk)
    return render(request, "activities/edit.html", {"form": form, "activity": activity})


@capability_required(Capability.PLAN_ACTIVITIES)
@require_http_methods(["GET", "POST"])
@never_cache
def cancel(request: HttpRequest, activity_id: int) -> HttpResponse:
    """Cancel an activity after a confirmation; everyone registered is told by their channel."""
    user = request_user(request)
    activity = _changeable(user, activity_id)
    error = ""
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            activity_cancel(by=user, activity_id=activity.pk)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, _("The activity has been cancelled and everyone registered has been told."))
            return redirect("activities:manage_list")
    registered = activity.registrations.exclude(status=RegistrationStatus.CANCELLED).count()
    context = {"activity": activity, "registered": registered, "error": error}
    return render(request, "activities/cancel.html", context)
