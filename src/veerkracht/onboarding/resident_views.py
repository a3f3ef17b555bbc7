"""Pages of residents' own accounts: the worker's invitation (on the resident's page) and the resident's link."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from veerkracht.core.access import Capability, can, request_user
from veerkracht.core.account_policy import second_factor_required
from veerkracht.core.decorators import capability_required
from veerkracht.core.models import AuditAction, User
from veerkracht.onboarding.forms import ResidentAcceptForm, ResidentInviteForm
from veerkracht.onboarding.resident_accounts import (
    default_language,
    invitation_languages,
    login_name_for,
    open_invitation,
    resident_invitation_accept,
    resident_invitation_by_token,
    resident_invitation_withdraw,
    resident_invite,
    route_for,
)
from veerkracht.onboarding.services import INVITATION_DAYS
from veerkracht.people.models import Resident
from veerkracht.people.selectors import resident_for

_NAMES = dict(settings.LANGUAGES)


def resident_panel_context(user: User, resident: Resident) -> dict[str, Any]:
    """The panel of a resident's page (people/panels.py): the own account, or the way to invite them."""
    if not can(user, Capability.SEND_MESSAGES):
        return {"own_account": None}
    if resident.user_id is not None:  # an account of their own: no invitation to show
        return {"own_account": {"has_account": True, "pending": None}}
    return {"own_account": {"has_account": False, "pending": open_invitation(resident)}}


def _language_choices(resident: Resident) -> list[tuple[str, str]]:
    return [(code, _NAMES.get(code, code)) for code in invitation_languages(resident)]


@capability_required(Capability.SEND_MESSAGES)
@require_http_methods(["GET", "POST"])
@never_cache
def invite(request: HttpRequest, resident_id: int) -> HttpResponse:
    """Invite the resident to an account of their own: which channel, or why not; send, send again."""
    user = request_user(request)
    resident = resident_for(user, resident_id, action=AuditAction.VIEW)
    languages = _language_choices(resident)
    form = ResidentInviteForm(
        request.POST or None, initial={"language": default_language(resident)}, languages=languages
    )
    if request.method == "POST" and form.is_valid():
        try:
            sent = resident_invite(
                by=user,
                resident_id=resident.pk,
                language=form.cleaned_data["language"],
                base_url=request.build_absolute_uri("/"),
                again=request.POST.get("again") == "yes",
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            channel = sent.invitation.get_channel_display().lower()  # "per sms", "per e-mail"
            # Without the number or address: the messages are kept in a cookie (MESSAGE_STORAGE).
            messages.success(
                request,
                _("The invitation has been sent by %(channel)s. The link works once, for %(days)d days.")
                % {"channel": channel, "days": INVITATION_DAYS},
            )
            return redirect("people:detail", resident_id=resident.pk)
    context = {
        "resident": resident,
        "form": form,
        "route": route_for(resident),
        "pending": open_invitation(resident),
        "days": INVITATION_DAYS,
    }
    return render(request, "onboarding/resident_invite.html", context)


@capability_required(Capability.SEND_MESSAGES)
@require_POST
def withdraw(request: HttpRequest, resident_id: int) -> HttpResponse:
    """Withdraw the open invitation: its link stops working."""
    withdrawn = resident_invitation_withdraw(by=request_user(request), resident_id=resident_id)
    if withdrawn:
        messages.success(request, _("The invitation has been withdrawn; its link no longer works."))
    else:
        messages.info(request, _("There was no open invitation to withdraw."))
    return redirect("people:detail", resident_id=resident_id)


@never_cache
@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, token: str) -> HttpResponse:
    """The resident chooses a password, in the language of the invitation, and is signed in."""
    invitation = resident_invitation_by_token(token)
    language = invitation.language if invitation is not None else _browser_language(request)
    with translation.override(language):
        request.LANGUAGE_CODE = language
        if invitation is None or not invitation.usable():
            return _page(request, language, {"invitation": None}, status=404)
        form = ResidentAcceptForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                user = resident_invitation_accept(token=token, password=form.cleaned_data["password"])
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                return _signed_in(request, user)
        context = {"invitation": invitation, "form": form, "login_name": login_name_for(invitation)}
        return _page(request, language, context)


def _page(request: HttpRequest, language: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    response = render(request, "onboarding/resident_accept.html", context, status=status)
    response["Content-Language"] = language
    return response


def _browser_language(request: HttpRequest) -> str:
    """For a link that is no invitation: the visitor's language among the site's, else Dutch."""
    wanted = translation.get_language_from_request(request)
    return wanted if wanted in _NAMES else settings.LANGUAGE_CODE


def _signed_in(request: HttpRequest, user: User) -> HttpResponse:
    """Straight to their start page in their language, where their role needs no second factor."""
    if second_factor_required(user):
        messages.success(
            request,
            _("Your account is ready. Sign in with %(login)s and your new password.") % {"login": user.username},
        )
        response = redirect("login")
    else:
        login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
        messages.success(
            request, _("Welcome! Your account is ready. Your login name is %(login)s.") % {"login": user.username}
        )
        response = redirect("home")
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        user.language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
    )
    return response
