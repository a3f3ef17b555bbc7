"""Pages of the team: the public sign-up, the coordinator's intake, a team's members and their load."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from veerkracht.accounts import services as account_services
from veerkracht.accounts.reauth import reauthenticate_then, recently_reauthenticated
from veerkracht.core import throttle
from veerkracht.core.access import (
    Capability,
    accounts_manageable_by,
    can,
    request_user,
    teams_visible_to,
    within_organisation,
)
from veerkracht.core.decorators import any_capability_required, capability_required
from veerkracht.core.forms import TeamCreateForm, TeamEmailForm
from veerkracht.core.models import Neighbourhood, Organisation, Team, User
from veerkracht.core.origin import client_ip
from veerkracht.team import coverage, selectors, services
from veerkracht.team.forms import (
    ActivateForm,
    IntakeForm,
    MemberAwayForm,
    NoteForm,
    SignUpForm,
    StyledSetPasswordForm,
    TeamNeighbourhoodsForm,
)
from veerkracht.team.models import ApplicationStatus, VolunteerApplication
from veerkracht.team.vocabulary import INTERESTS

INTEREST_LABELS = dict(INTERESTS)
ACCOUNTS_PAGE_SIZE = 50


def signup_index(request: HttpRequest) -> HttpResponse:
    """Choose the organisation to volunteer with (straight on when there is one)."""
    organisations = list(Organisation.objects.order_by("name"))
    if len(organisations) == 1:
        return redirect("team:signup", org_slug=organisations[0].slug)
    return render(request, "team/signup_index.html", {"organisations": organisations})


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest, org_slug: str) -> HttpResponse:
    """The public sign-up page for volunteers; a flood from one address is refused."""
    organisation = get_object_or_404(Organisation, slug=org_slug)
    neighbourhoods = Neighbourhood.objects.filter(organisation=organisation).order_by("name")
    form = SignUpForm(request.POST or None, neighbourhoods=neighbourhoods)
    if request.method == "POST" and form.is_valid():
        limit = settings.PUBLIC_REGISTRATIONS_PER_HOUR
        if throttle.over_rate("volunteer-signup", client_ip(request), limit=limit, window_s=3600):
            form.add_error(None, _("Too many sign-ups from this address. Try again in an hour, or call us."))
        else:
            try:
                application = services.volunteer_sign_up(organisation=organisation, sign_up=form.sign_up())
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                return render(request, "team/signup_thanks.html", {"application": application})
    return render(request, "team/signup.html", {"form": form, "organisation": organisation})


@capability_required(Capability.MANAGE_TEAMS)
@never_cache
def applications(request: HttpRequest) -> HttpResponse:
    """Volunteers' sign-ups: new and in intake first."""
    status = request.GET.get("status", "")
    rows = selectors.application_list(request_user(request), status=status)[:200]
    context = {"applications": rows, "statuses": ApplicationStatus.choices, "status": status}
    return render(request, "team/applications.html", context)


def _application_context(request: HttpRequest, application: VolunteerApplication) -> dict[str, object]:
    user = request_user(request)
    return {
        "application": application,
        "interests": [INTEREST_LABELS.get(code, code) for code in application.interests],
        "intake_form": IntakeForm(
            initial={name: getattr(application, name) for name in IntakeForm.base_fields},
        ),
        "activate_form": ActivateForm(teams=teams_visible_to(user)),
        "note_form": NoteForm(),
    }


@capability_required(Capability.MANAGE_TEAMS)
@require_http_methods(["GET", "POST"])
@never_cache
def application(request: HttpRequest, application_id: int) -> HttpResponse:
    """One sign-up with the intake checklist; saving it moves the sign-up into intake."""
    user = request_user(request)
    found = selectors.application_detail(user, application_id)
    context = _application_context(request, found)
    if request.method == "POST":
        form = IntakeForm(request.POST)
        context["intake_form"] = form
        if form.is_valid():
            try:
                services.application_intake_save(by=user, application_id=found.pk, intake=form.intake())
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("The intake has been saved."))
                return redirect("team:application", application_id=found.pk)
    return render(request, "team/application.html", context)


@capability_required(Capability.MANAGE_TEAMS)
@require_POST
def activate(request: HttpRequest, application_id: int) -> HttpResponse:
    """Activate the volunteer: an account, a team, and a link to choose a password."""
    user = request_user(request)
    found = selectors.application_detail(user, application_id)
    form = ActivateForm(request.POST, teams=teams_visible_to(user))
    if not form.is_valid():
        raise Http404
    team = form.cleaned_data["team"]
    try:
        activation = services.volunteer_activate(
            by=user,
            application_id=found.pk,
            base_url=request.build_absolute_uri("/"),
            team_id=team.pk if team else None,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("team:application", application_id=found.pk)
    if activation.emailed:
        messages.success(request, _("The volunteer is active and has been e-mailed a link to choose a password."))
    else:
        messages.success(
            request,
            _("The volunteer is active. Give them this link to choose a password: %(link)s")
            % {"link": activation.link},
        )
    return redirect("team:application", application_id=found.pk)


@capability_required(Capability.MANAGE_TEAMS)
@require_POST
def decline(request: HttpRequest, application_id: int) -> HttpResponse:
    user = request_user(request)
    found = selectors.application_detail(user, application_id)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    services.application_decline(by=user, application_id=found.pk, note=note)
    messages.success(request, _("The sign-up has been declined."))
    return redirect("team:applications")


@capability_required(Capability.VIEW_ORGANISATION)
@never_cache
def team(request: HttpRequest, team_id: int) -> HttpResponse:
    """A team: its neighbourhoods, members with their role and load, and who is away."""
    user = request_user(request)
    found = selectors.team_for(user, team_id)
    manages = can(user, Capability.MANAGE_TEAMS)
    context = {
        "team": found,
        "members": selectors.team_members_load(found, with_disabled=manages),
        "absence": selectors.upcoming_absence(found),
        "away_form": MemberAwayForm(members=found.members.filter(is_active=True)) if manages else None,
        "manages": manages,
        "manageable": set(accounts_manageable_by(user).filter(teams=found).values_list("pk", flat=True)),
        "coverage_form": _coverage_form(user, found) if manages else None,
        "email_form": TeamEmailForm(initial={"email": found.email}) if manages else None,
    }
    return render(request, "team/team.html", context)


def _coverage_form(user: User, team: Team, data: Any = None) -> TeamNeighbourhoodsForm:
    neighbourhoods = within_organisation(Neighbourhood.objects.all(), user).order_by("name")
    initial = {"neighbourhoods": list(team.neighbourhoods.all())}
    return TeamNeighbourhoodsForm(data, initial=initial, neighbourhoods=neighbourhoods)


@capability_required(Capability.MANAGE_TEAMS)
@require_POST
def team_neighbourhoods(request: HttpRequest, team_id: int) -> HttpResponse:
    """Give the team its neighbourhoods (a coordinator's)."""
    user = request_user(request)
    found = selectors.team_for(user, team_id)
    form = _coverage_form(user, found, request.POST)
    if form.is_valid():
        coverage.team_neighbourhoods_set(by=user, team_id=found.pk, neighbourhood_ids=form.chosen())
        messages.success(request, _("The team's neighbourhoods are saved."))
    else:
        messages.error(request, _("Choose neighbourhoods of your own organisation."))
    return redirect("team:team", team_id=found.pk)


@capability_required(Capability.MANAGE_TEAMS)
@require_POST
def team_email(request: HttpRequest, team_id: int) -> HttpResponse:
    """The team's e-mail address (a coordinator's), the Reply-To of e-mail sent on its behalf."""
    user = request_user(request)
    found = selectors.team_for(user, team_id)
    form = TeamEmailForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid e-mail address."))
        return redirect("team:team", team_id=found.pk)
    try:
        coverage.team_email_set(by=user, team_id=found.pk, email=form.cleaned_data["email"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The team's e-mail address is saved."))
    return redirect("team:team", team_id=found.pk)


@capability_required(Capability.MANAGE_TEAMS)
@require_POST
def team_create(request: HttpRequest) -> HttpResponse:
    """A new team; then the coordinator gives it neighbourhoods on its page."""
    form = TeamCreateForm(request.POST)
    if form.is_valid():
        try:
            created = coverage.team_create(by=request_user(request), name=form.cleaned_data["name"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Team %(name)s has been created.") % {"name": created.name})
            return redirect("team:team", team_id=created.pk)
    else:
        messages.error(request, _("Enter the team's name."))
    return redirect("core:teams")


def _disable_confirm(request: HttpRequest, member: User, *, action: str, back: str) -> HttpResponse:
    """The confirmation step before blocking an account, after the password again."""
    if not recently_reauthenticated(request):
        return reauthenticate_then(request.path)
    if not member.is_active:
        return redirect(back)
    return render(request, "team/member_disable.html", {"member": member, "action": action, "back": back})


def _disable(request: HttpRequest, member: User, *, confirm: str, back: str) -> HttpResponse:
    """Block the account: its sessions and API tokens end now."""
    if not recently_reauthenticated(request):
        return reauthenticate_then(confirm)
    if account_services.user_disable(user=member, by=request_user(request)):
        messages.success(request, _("The account of %(name)s is blocked.") % {"name": member.display_name})
    return redirect(back)


def _enable(request: HttpRequest, member: User, *, back: str) -> HttpResponse:
    """Let a blocked account sign in again."""
    if account_services.user_enable(user=member, by=request_user(request)):
        messages.success(request, _("The account of %(name)s is unblocked.") % {"name": member.display_name})
    return redirect(back)


@capability_required(Capability.MANAGE_TEAMS)
@require_GET
@never_cache
def member_disable_confirm(request: HttpRequest, team_id: int, user_id: int) -> HttpResponse:
    """Block a team member's account: the confirmation step."""
    found, member = selectors.team_member_account(request_user(request), team_id, user_id)
    action = reverse("team:member_disable", args=[found.pk, member.pk])
    return _disable_confirm(request, member, action=action, back=reverse("team:team", args=[found.pk]))


@capability_required(Capability.MANAGE_TEAMS)
@require_POST
def member_disable(request: HttpRequest, team_id: int, user_id: int) -> HttpResponse:
    """Block a team member's account."""
    found, member = selectors.team_member_account(request_user(request), team_id, user_id)
    confirm = reverse("team:member_disable_confirm", args=[found.pk, member.pk])
    return _disable(request, member, confirm=confirm, back=reverse("team:team", args=[found.pk]))


@capability_required(Capability.MANAGE_TEAMS)
@require_POST
def member_enable(request: HttpRequest, team_id: int, user_id: int) -> HttpResponse:
    """Let a blocked team member sign in again."""
    found, member = selectors.team_member_account(request_user(request), team_id, user_id)
    return _enable(request, member, back=reverse("team:team", args=[found.pk]))


@capability_required(Capability.MANAGE_TEAMS)
@never_cache
def accounts(request: HttpRequest) -> HttpResponse:
    """Every worker account a coordinator manages, in a team or not: who may sign in, and blocking."""
    found = selectors.managed_accounts(request_user(request))
    page = Paginator(found, ACCOUNTS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "team/accounts.html", {"page": page})


@capability_required(Capability.MANAGE_TEAMS)
@require_GET
@never_cache
def account_disable_confirm(request: HttpRequest, user_id: int) -> HttpResponse:
    """Block an account from the list of accounts: the confirmation step."""
    member = selectors.managed_account(request_user(request), user_id)
    action = reverse("team:account_disable", args=[member.pk])
    return _disable_confirm(request, member, action=action, back=reverse("team:accounts"))


@capability_required(Capability.MANAGE_TEAMS)
@require_POST
def account_disable(request: HttpRequest, user_id: int) -> HttpResponse:
    """Block an account from the list of accounts."""
    member = selectors.managed_account(request_user(request), user_id)
    confirm = reverse("team:account_disable_confirm", args=[member.pk])
    return _disable(request, member, confirm=confirm, back=reverse("team:accounts"))


@capability_required(Capability.MANAGE_TEAMS)
@require_POST
def account_enable(request: HttpRequest, user_id: int) -> HttpResponse:
    """Let a blocked account from the list of accounts sign in again."""
    member = selectors.managed_account(request_user(request), user_id)
    return _enable(request, member, back=reverse("team:accounts"))


@any_capability_required(Capability.MANAGE_TEAMS, Capability.REPORT_HOURS)
@require_POST
def away_add(request: HttpRequest) -> HttpResponse:
    """Record a period of absence: one's own (my work), or a member's (a coordinator, on the team page)."""
    user = request_user(request)
    members = teams_visible_to(user).values_list("members", flat=True)
    form = MemberAwayForm(request.POST, members=User.objects.filter(pk__in=members))
    own = "user" not in request.POST
    if own:
        form.fields["user"].required = False
    if form.is_valid():
        member = form.cleaned_data.get("user") or user
        try:
            services.unavailability_add(
                by=user,
                user_id=member.pk,
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The absence has been saved."))
    else:
        messages.error(request, _("Enter the first and the last day."))
    return _back(request)


def _back(request: HttpRequest) -> HttpResponse:
    """Back to the page the form was on (this site only), else one's own work page."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts=None) and target.startswith("/"):
        return redirect(target)
    return redirect("team:my_work")


@any_capability_required(Capability.MANAGE_TEAMS, Capability.REPORT_HOURS)
@require_POST
def away_remove(request: HttpRequest, unavailability_id: int) -> HttpResponse:
    services.unavailability_remove(by=request_user(request), unavailability_id=unavailability_id)
    messages.success(request, _("The absence has been removed."))
    return _back(request)


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """A new volunteer chooses a password with the link from their activation (works once)."""

    template_name = "team/set_password.html"
    form_class = StyledSetPasswordForm
    success_url = reverse_lazy("login")
    post_reset_login = False

    def form_valid(self, form: StyledSetPasswordForm) -> HttpResponse:
        messages.success(self.request, _("Your password has been set. You can sign in now."))
        return super().form_valid(form)
