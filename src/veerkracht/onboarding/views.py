"""Pages of going live: accepting an invitation (public, with its link) and the coordinator's staff pages."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from veerkracht.accounts.reauth import reauthenticate_then, recently_reauthenticated
from veerkracht.core.access import Capability, accounts_manageable_by, request_user, within_organisation
from veerkracht.core.decorators import capability_required
from veerkracht.core.models import Team, User
from veerkracht.onboarding import selectors, services
from veerkracht.onboarding.forms import AcceptForm, InviteForm, MemberForm


@never_cache
@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, token: str) -> HttpResponse:
    """The invited person chooses a password; then signs in (and enrols the second factor where needed)."""
    invitation = services.invitation_by_token(token)
    if invitation is None:
        return render(request, "onboarding/accept.html", {"invitation": None}, status=404)
    initial = {"first_name": invitation.first_name, "last_name": invitation.last_name}
    form = AcceptForm(request.POST or None, initial=initial, email_known=bool(invitation.email))
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(token=token, acceptance=form.acceptance())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                _("Your account is ready. Sign in with your e-mail address %(email)s and your new password.")
                % {"email": user.username},
            )
            return redirect("login")
    return render(request, "onboarding/accept.html", {"invitation": invitation, "form": form})


def _teams(user: User) -> QuerySet[Team]:
    return within_organisation(Team.objects.all(), user).order_by("name")


@capability_required(Capability.MANAGE_TEAMS)
@never_cache
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest) -> HttpResponse:
    """Invite a colleague by e-mail: name, role and team."""
    user = request_user(request)
    form = InviteForm(request.POST or None, teams=_teams(user))
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.invitation_create(by=user, invite=form.invite(), base_url=request.build_absolute_uri("/"))
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                _("%(name)s has been e-mailed an invitation. The link works once, for 7 days.")
                % {"name": issued.invitation.display_name},
            )
            return redirect("onboarding:invite")
    context = {"form": form, "invitations": selectors.open_invitations(user)}
    return render(request, "onboarding/invite.html", context)


@capability_required(Capability.MANAGE_TEAMS)
@require_POST
def revoke(request: HttpRequest, invitation_id: int) -> HttpResponse:
    services.invitation_revoke(by=request_user(request), invitation_id=invitation_id)
    messages.success(request, _("The invitation has been withdrawn; its link no longer works."))
    return redirect("onboarding:invite")


def _managed(user: User, user_id: int) -> User:
    member = accounts_manageable_by(user).filter(pk=user_id).first()
    if member is None:
        raise Http404
    return member


@capability_required(Capability.MANAGE_TEAMS)
@never_cache
@require_http_methods(["GET", "POST"])
def member(request: HttpRequest, user_id: int) -> HttpResponse:
    """Change a colleague's role and teams; end their account."""
    user = request_user(request)
    found = _managed(user, user_id)
    initial = {"role": found.role, "job_title": found.job_title, "teams": list(found.teams.all())}
    form = MemberForm(request.POST or None, initial=initial, teams=_teams(user))
    if request.method == "POST" and form.is_valid():
        try:
            services.member_change(by=user, user_id=found.pk, change=form.change())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The changes for %(name)s are saved.") % {"name": found.display_name})
            return redirect("team:accounts")
    return render(request, "onboarding/member.html", {"form": form, "member": found})


@capability_required(Capability.MANAGE_TEAMS)
@require_POST
def member_end(request: HttpRequest, user_id: int) -> HttpResponse:
    """End the account (after the password again): blocked and out of every team."""
    user = request_user(request)
    found = _managed(user, user_id)
    if not recently_reauthenticated(request):
        return reauthenticate_then(f"/gebruikers/{found.pk}/wijzigen/")
    services.member_end(by=user, user_id=found.pk)
    messages.success(request, _("The account of %(name)s has been ended.") % {"name": found.display_name})
    return redirect("team:accounts")
