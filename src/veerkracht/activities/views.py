"""Pages of activities: the public programme and registration, and the organiser's pages."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from veerkracht.activities.changes import may_change
from veerkracht.activities.forms import ActivityForm, CapacityRuleForm, PublicRegistrationForm, ResidentRegistrationForm
from veerkracht.activities.models import Activity, ActivityKind, Mode, Registration
from veerkracht.activities.own import own_registration, own_registrations
from veerkracht.activities.selectors import (
    activities_managed_by,
    activity_managed,
    open_for_registration_choices,
    public_activities,
    public_activity,
    registration_by_token,
    registrations_for_task,
    seats_on_site_and_online,
    texts_prefetch,
)
from veerkracht.activities.services import (
    activity_plan,
    attendance_record,
    capacity_rule_set,
    registration_cancel,
    registration_create,
)
from veerkracht.core import throttle
from veerkracht.core.access import Capability, can, request_user, within_organisation
from veerkracht.core.decorators import capability_required
from veerkracht.core.middleware import multilingual
from veerkracht.core.models import User
from veerkracht.core.origin import client_ip
from veerkracht.core.public_languages import narrow_to
from veerkracht.core.roles import Role
from veerkracht.core.tenancy import as_anonymous
from veerkracht.people.models import Resident
from veerkracht.people.selectors import own_record, resident_picker
from veerkracht.people.vocabulary import LANGUAGES
from veerkracht.places.models import Place

UPCOMING_SHOWN = 20  # on a place's page
LANGUAGE_NAMES = dict(LANGUAGES)


def place_panel_context(place: Place) -> dict[str, Any]:
    """The coming activities on a place's public page (places/panels.py), the first ``UPCOMING_SHOWN``."""
    activities = Activity.objects.filter(
        place=place, starts_at__gte=timezone.now(), cancelled_at__isnull=True
    ).prefetch_related(*texts_prefetch(translation.get_language()))
    return {
        "activities": list(activities.order_by("starts_at", "id")[:UPCOMING_SHOWN]),
        "upcoming_shown": UPCOMING_SHOWN,
    }


def resident_panel_context(user: User, resident: Resident) -> dict[str, Any]:
    """The panel of a resident's page (people/panels.py) that registers them for an activity open to it."""
    return {"activities_open": open_for_registration_choices(user)}


def _modes(activity: Activity) -> list[str]:
    modes = [] if activity.place_id is None else [Mode.ONSITE.value]
    if activity.online_link or activity.dial_in:
        modes.append(Mode.ONLINE.value)
    return modes


@multilingual
def public_list(request: HttpRequest) -> HttpResponse:
    """Upcoming activities, for anyone; filter on kind and neighbourhood."""
    kind = request.GET.get("soort", "")
    activities = public_activities(
        starts_from=timezone.now(),
        kind=kind if kind in ActivityKind.values else "",
        neighbourhood_code=request.GET.get("buurt", "")[:10],
    )
    # Only what a line shows: all of each activity, its place, neighbourhood and organisation cost
    # two thirds more Python time on the page residents open most.
    activities = (
        activities.select_related(None)
        .select_related("place")
        .only("title", "starts_at", "kind", "place__name")
        .prefetch_related(*texts_prefetch(translation.get_language()))
    )
    page = Paginator(activities, 20).get_page(request.GET.get("page"))
    return render(request, "activities/public_list.html", {"page": page, "kinds": ActivityKind.choices, "kind": kind})


@multilingual
@require_http_methods(["GET", "POST"])
def public_detail(request: HttpRequest, activity_id: int) -> HttpResponse:
    """One activity with the registration form (name, phone, consent)."""
    activity = public_activity(activity_id)
    narrow_to(request, activity.organisation)
    own = own_record(request.user) if isinstance(request.user, User) else None
    if own is not None and request.method == "POST" and request.POST.get("self") == "1":
        return _register_self(request, activity, own)
    form = PublicRegistrationForm(request.POST or None, modes=_modes(activity) or [Mode.ONSITE])
    if request.method == "POST" and form.is_valid():
        if throttle.over_rate(
            "public-registration", client_ip(request), limit=settings.PUBLIC_REGISTRATIONS_PER_HOUR, window_s=3600
        ):
            form.add_error(None, _("Too many registrations from this address. Try again in an hour, or call us."))
        else:
            try:
                with as_anonymous():  # public, whoever else is signed in
                    registration = registration_create(activity_id=activity.pk, **form.cleaned_data)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                return redirect("activities:public_registration", token=registration.cancel_token)
    with as_anonymous():
        on_site, online = seats_on_site_and_online(activity)
    context = {
        "activity": activity,
        "form": form,
        "seats": on_site,
        "online_seats": online,
        "now": timezone.now(),
        "own_resident": own,
    }
    return render(request, "activities/public_detail.html", context)


def _register_self(request: HttpRequest, activity: Activity, own: Resident) -> HttpResponse:
    user = request_user(request)
    try:
        registration = registration_create(
            activity_id=activity.pk, by=user, resident_id=own.pk, mode=(_modes(activity) or [Mode.ONSITE])[0]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("activities:public_detail", activity_id=activity.pk)
    return redirect("activities:public_registration", token=registration.cancel_token)


@multilingual
@require_http_methods(["GET", "POST"])
@never_cache
def public_registration(request: HttpRequest, token: str) -> HttpResponse:
    """The registrant's own page: their status, and a button to cancel."""
    with as_anonymous():  # found by its secret link, the same for everyone
        registration = registration_by_token(token)
        if request.method == "POST":
            registration = registration_cancel(registration_id=registration.pk)
            messages.success(request, _("Your registration has been cancelled."))
            return redirect("activities:public_registration", token=token)
        context = {"registration": registration, "now": timezone.now()}
        return render(request, "activities/public_registration.html", context)


def planning_form(user: User, data: object = None, initial: dict[str, object] | None = None) -> ActivityForm:
    """The form to plan (or change) an activity, with the organisation's places and helpers."""
    places = within_organisation(Place.objects.all(), user).order_by("name")
    helpers = within_organisation(User.objects.filter(is_active=True, role__in=[Role.VOLUNTEER, Role.BASISBAAN]), user)
    return ActivityForm(data, initial=initial, places=places, helpers=helpers.order_by("first_name"))


@capability_required(Capability.HELP_AT_ACTIVITIES)
@never_cache
def manage_list(request: HttpRequest) -> HttpResponse:
    """The organiser's programme: upcoming first."""
    user = request_user(request)
    activities: QuerySet[Activity] = activities_managed_by(user).filter(ends_at__gte=timezone.now())
    page = Paginator(activities.order_by("starts_at"), 25).get_page(request.GET.get("page"))
    return render(
        request, "activities/manage_list.html", {"page": page, "may_plan": can(user, Capability.PLAN_ACTIVITIES)}
    )


@capability_required(Capability.PLAN_ACTIVITIES)
@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest) -> HttpResponse:
    """Plan an activity, within the place's safe capacity and opening hours."""
    user = request_user(request)
    form = planning_form(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = activity_plan(by=user, plan=form.plan())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                _("The activity has been planned.")
                if len(made) == 1
                else _("%(count)s weekly activities have been planned.") % {"count": len(made)},
            )
            return redirect("activities:manage", activity_id=made[0].pk)
    return render(request, "activities/plan.html", {"form": form})


@capability_required(Capability.HELP_AT_ACTIVITIES)
@never_cache
def manage(request: HttpRequest, activity_id: int) -> HttpResponse:
    """An activity for its organiser and helpers: seats, registrations, attendance."""
    user = request_user(request)
    activity = activity_managed(user, activity_id)
    on_site, online = seats_on_site_and_online(activity)
    context = {
        "activity": activity,
        "seats": on_site,
        "online_seats": online,
        "registrations": registrations_for_task(user, activity),
        "resident_form": ResidentRegistrationForm(
            initial={"activity_id": activity.pk, "mode": (_modes(activity) or [Mode.ONSITE])[0]}
        ),
        "may_register_residents": can(user, Capability.VIEW_RESIDENT_REGISTER),
        "may_change": may_change(user, activity),
        # A poster with the title also in each language the activity has it in.
        "poster_languages": [(text.language, LANGUAGE_NAMES[text.language]) for text in activity.texts.all()],
    }
    if context["may_register_residents"] and activity.registration_required:
        # The resident to register is found by name (htmx asks as one types; without script the search
        # form reloads the page), never by a number the worker would have to know.
        resident_q = request.GET.get("resident_q", "")[:100]
        context["resident_q"] = resident_q
        context["residents"] = resident_picker(user, resident_q)
    return render(request, "activities/manage.html", context)


@capability_required(Capability.VIEW_RESIDENT_REGISTER)
@require_POST
def register_resident(request: HttpRequest) -> HttpResponse:
    """A worker registers a resident from the register, on the activity's or the resident's page."""
    user = request_user(request)
    form = ResidentRegistrationForm(request.POST)
    if not form.is_valid():
        activity_id = request.POST.get("activity_id", "")
        if "resident_id" not in form.errors or not activity_id.isdigit():
            raise Http404
        messages.error(request, _("Choose the resident to register."))
        return redirect("activities:manage", activity_id=activity_managed(user, int(activity_id)).pk)
    activity = activity_managed(user, form.cleaned_data["activity_id"])
    try:
        registration = registration_create(
            activity_id=activity.pk,
            by=user,
            resident_id=form.cleaned_data["resident_id"],
            mode=form.cleaned_data["mode"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Registered: %(status)s.") % {"status": registration.get_status_display()})
    return _back(request, activity)


def _back(request: HttpRequest, activity: Activity) -> HttpResponse:
    """Back to the resident's page when the registration was made there, else to the activity."""
    resident_id = request.POST.get("resident_id", "")
    if request.POST.get("from") == "resident" and resident_id.isdigit():
        return redirect("people:detail", resident_id=int(resident_id))
    return redirect("activities:manage", activity_id=activity.pk)


@capability_required(Capability.HELP_AT_ACTIVITIES)
@require_POST
def cancel_registration(request: HttpRequest, registration_id: int) -> HttpResponse:
    """Cancel a registration for someone; the waitlist moves up."""
    user = request_user(request)
    registration = get_object_or_404(Registration, pk=registration_id)
    activity = activity_managed(user, registration.activity_id)
    registration_cancel(registration_id=registration.pk, by=user)
    messages.success(request, _("The registration has been cancelled."))
    return redirect("activities:manage", activity_id=activity.pk)


@capability_required(Capability.HELP_AT_ACTIVITIES)
@require_POST
def attendance(request: HttpRequest, activity_id: int) -> HttpResponse:
    """Tick who came and add walk-ins; registered residents count as reached."""
    user = request_user(request)
    activity = activity_managed(user, activity_id)
    try:
        ids = [int(value) for value in request.POST.getlist("came")]
    except ValueError:
        raise Http404 from None
    walk_ins = request.POST.get("walk_ins", "").splitlines()[:200]
    try:
        result = attendance_record(by=user, activity=activity, registration_ids=ids, walk_ins=walk_ins)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Attendance saved: %(ticked)s ticked, %(walk_ins)s walk-ins.")
            % {"ticked": result.ticked, "walk_ins": result.walk_ins},
        )
    return redirect("activities:manage", activity_id=activity.pk)


@capability_required(Capability.SET_CAPACITY_RULE)
@require_http_methods(["GET", "POST"])
def capacity_rule(request: HttpRequest) -> HttpResponse:
    """The distancing rule of the day for the whole organisation."""
    user = request_user(request)
    organisation = user.organisation
    initial = {
        "distancing_rule": organisation.distancing_rule if organisation else False,
        "indoor_m2_per_person": organisation.indoor_m2_per_person if organisation else 5.0,
        "outdoor_m2_per_person": organisation.outdoor_m2_per_person if organisation else 5.0,
    }
    form = CapacityRuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        over = capacity_rule_set(
            by=user,
            distancing_rule=data["distancing_rule"],
            indoor_m2=data["indoor_m2_per_person"],
            outdoor_m2=data["outdoor_m2_per_person"],
        )
        messages.success(
            request,
            _("The rule has been saved. Activities over their new limit: %(count)s; their organisers have been told.")
            % {"count": len(over)},
        )
        return redirect("activities:capacity_rule")
    return render(request, "activities/capacity_rule.html", {"form": form})


@capability_required(Capability.VIEW_OWN_PROFILE)
@never_cache
def own_registration_list(request: HttpRequest) -> HttpResponse:
    """The signed-in resident's registrations, each with a way to cancel it."""
    registrations = list(
        own_registrations(request_user(request)).prefetch_related(
            *texts_prefetch(translation.get_language(), through="activity__")
        )
    )
    context = {"registrations": registrations, "now": timezone.now()}
    return render(request, "activities/own_registrations.html", context)


@capability_required(Capability.VIEW_OWN_PROFILE)
@require_http_methods(["GET", "POST"])
@never_cache
def own_registration_cancel(request: HttpRequest, registration_id: int) -> HttpResponse:
    """Ask "are you sure?"; cancel on the answer. The waitlist moves up as with every cancellation."""
    user = request_user(request)
    registration = own_registration(user, registration_id)
    if request.method == "POST":
        registration_cancel(registration_id=registration.pk, by=user)
        messages.success(request, _("Your registration has been cancelled."))
        return redirect("activities:own_registrations")
    return render(request, "activities/own_registration_cancel.html", {"registration": registration})
