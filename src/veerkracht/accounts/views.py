"""Sign-in with a second factor, and the account's security page.

The password step (``SignInView``) signs in only users who need no second step; everyone else is
held as a *pending* sign-in (``pending.py``) until a code from their app or a recovery code, or,
the first time, the enrolment of an app, completes it.
"""

from base64 import b32encode
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device

from veerkracht.accounts import services
from veerkracht.accounts.device_cookie import remember_browser, trusted_device
from veerkracht.accounts.forms import (
    CodeForm,
    ConfirmCodeForm,
    EmailForm,
    LoginForm,
    PasswordForm,
    ReauthenticateForm,
    ReauthenticateWithCodeForm,
)
from veerkracht.accounts.models import RecoveryCode
from veerkracht.accounts.pending import pending_begin, pending_finish, pending_next, pending_user
from veerkracht.accounts.qr import qr_svg
from veerkracht.accounts.reauth import (
    reauthenticate_then,
    reauthenticated,
    reauthentication_required,
    recently_reauthenticated,
)
from veerkracht.core import throttle
from veerkracht.core.access import request_user
from veerkracht.core.account_policy import second_factor_required
from veerkracht.core.audit import audit_record
from veerkracht.core.models import AuditAction, AuditResult, User
from veerkracht.core.origin import client_ip

_CODES_KEY = "accounts.new_recovery_codes"


def _safe_next(request: HttpRequest, candidate: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return "/"


class SignInView(auth_views.LoginView):
    """The password step; a second step follows for users with (or obliged to have) a second factor."""

    template_name = "core/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        user = form.get_user()
        assert isinstance(user, User)  # noqa: S101 - the user model is ours
        if user_has_device(user) or second_factor_required(user):
            pending_begin(self.request, user, self.get_redirect_url())
            return redirect("accounts:verify" if user_has_device(user) else "accounts:enrol")
        return _signed_in(self.request, user, super().form_valid(form))


def _second_step_failed(request: HttpRequest, user: User, form: CodeForm | ConfirmCodeForm) -> None:
    throttle.note_failure(user.username, client_ip(request), trusted_device(request, user.username))
    audit_record(
        action=AuditAction.LOGIN_FAILED,
        actor=None,
        result=AuditResult.FAILED,
        object_type="core.user",
        object_id=user.pk,
        organisation=user.organisation,
        fields=["second_factor"],
    )
    if not form.has_error("code"):
        form.add_error("code", _("The code is not correct. Check the time on your phone and try again."))


def _signed_in(request: HttpRequest, user: User, response: HttpResponse) -> HttpResponse:
    """A completed sign-in: its failures are forgotten and the browser gets a new device cookie."""
    throttle.clear_failures(user.username, trusted_device(request, user.username))
    return remember_browser(response, user)


@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the app or a recovery code."""
    user = pending_user(request)
    if user is None:
        return redirect("login")
    if not user_has_device(user):
        return redirect("accounts:enrol")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if throttle.too_many_failures(user.username, client_ip(request), trusted_device(request, user.username)):
            form.add_error("code", _("Too many failed attempts. Wait a few minutes and try again."))
        elif (device := match_token(user, form.cleaned_data["code"])) is not None:
            next_url = pending_next(request)
            pending_finish(request, user, device)
            return _signed_in(request, user, redirect(_safe_next(request, next_url)))
        else:
            _second_step_failed(request, user, form)
    return render(request, "accounts/verify.html", {"form": form})


@never_cache
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan, type the first code, receive recovery codes.

    Reached during a first sign-in (pending, only while the user has no app yet) or from the
    security page (signed in, after the password was asked again; replacing an app also asks for
    its current code or a recovery code).
    """
    if request.user.is_authenticated:
        return _enrol_signed_in(request)
    user = pending_user(request)
    if user is None:
        return redirect("login")
    if user_has_device(user):
        # The password alone never shows a new secret: a user with an app passes it first.
        return redirect("accounts:verify")
    return _enrol_page(request, user, replace=False)


@reauthentication_required
def _enrol_signed_in(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    replacing = user_has_device(user)
    if replacing and not recently_reauthenticated(request, with_second_factor=True):
        return reauthenticate_then(request.path)
    return _enrol_page(request, user, replace=replacing)


def _enrol_page(request: HttpRequest, user: User, *, replace: bool) -> HttpResponse:
    device = services.totp_device_start(user=user)
    form = ConfirmCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.totp_device_confirm(user=user, code=form.cleaned_data["code"], replace=replace)
        except ValidationError as error:
            form.add_service_errors(error)
            _second_step_failed(request, user, form)
        else:
            request.session[_CODES_KEY] = codes
            if request.user.is_authenticated:
                otp_login(request, device)
            else:
                pending_finish(request, user, device)
            return _signed_in(request, user, redirect("accounts:recovery_codes"))
    context = {"form": form, "qr": qr_svg(device.config_url), "secret": _grouped(device.bin_key)}
    return render(request, "accounts/enrol.html", context)


def _grouped(key: bytes) -> str:
    """The secret in base32, in groups of four, for typing it into an app without a camera."""
    text = b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@login_required
@never_cache
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """The new recovery codes, shown once."""
    codes = request.session.pop(_CODES_KEY, None)
    if not codes:
        return redirect("accounts:security")
    return render(request, "accounts/recovery_codes.html", {"codes": codes})


@login_required
@require_POST
@reauthentication_required
def recovery_codes_renew(request: HttpRequest) -> HttpResponse:
    try:
        request.session[_CODES_KEY] = services.recovery_codes_renew(user=request_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("accounts:security")
    return redirect("accounts:recovery_codes")


@login_required
@require_POST
@reauthentication_required
def second_factor_remove(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if second_factor_required(user):
        messages.error(request, _("Your role must use a second factor. Set up a new app instead."))
        return redirect("accounts:security")
    services.second_factor_remove(user=user)
    messages.success(request, _("Two-step verification is switched off."))
    return redirect("accounts:security")


@login_required
@never_cache
def security(request: HttpRequest) -> HttpResponse:
    """Sign-in and security: the second factor, e-mail, password, and signing out everywhere."""
    user = request_user(request)
    context: dict[str, Any] = {
        "has_app": user_has_device(user),
        "required": second_factor_required(user),
        "codes_left": RecoveryCode.objects.filter(device__user=user).count(),
    }
    return render(request, "accounts/security.html", context)


@login_required
@never_cache
def reauthenticate(request: HttpRequest) -> HttpResponse:
    """The password again (with a code when the user has a second factor) before a sensitive change."""
    user = request_user(request)
    with_code = user_has_device(user)
    form_class = ReauthenticateWithCodeForm if with_code else ReauthenticateForm
    form = form_class(request.POST or None)
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next", ""))
    if request.method == "POST" and form.is_valid():
        device = trusted_device(request, user.username)
        if throttle.too_many_failures(user.username, client_ip(request), device):
            form.add_error(None, _("Too many failed attempts. Wait a few minutes and try again."))
        elif user.check_password(form.cleaned_data["password"]) and (
            not with_code or match_token(user, form.cleaned_data["code"]) is not None
        ):
            reauthenticated(request, with_second_factor=with_code)
            return redirect(next_url)
        else:
            throttle.note_failure(user.username, client_ip(request), device)
            form.add_error(None, _("The password or code is not correct."))
    return render(request, "accounts/reauthenticate.html", {"form": form, "next": next_url})


@login_required
@never_cache
@reauthentication_required
def email(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = EmailForm(request.POST or None, initial={"email": user.email})
    if request.method == "POST" and form.is_valid():
        try:
            services.email_change(user=user, email=form.cleaned_data["email"])
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Your e-mail address is changed."))
            return redirect("accounts:security")
    return render(request, "accounts/form.html", {"form": form, "title": _("Change e-mail address")})


@login_required
@never_cache
@reauthentication_required
def password(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = PasswordForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        services.password_change(user=user, password=form.cleaned_data["new_password"])
        update_session_auth_hash(request, user)  # this session stays signed in
        messages.success(request, _("Your password is changed. Other devices are signed out."))
        return redirect("accounts:security")
    return render(request, "accounts/form.html", {"form": form, "title": _("Change password")})


@login_required
@require_POST
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    """End every session of the user, this one too, and revoke their API tokens."""
    services.sign_out_everywhere(user=request_user(request))
    logout(request)
    messages.success(request, _("You are signed out on every device."))
    return redirect("login")
