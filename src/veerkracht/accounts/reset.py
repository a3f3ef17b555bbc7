"""Forgotten password: a link by e-mail that sets a new one, once, and never skips the second factor.

Django's own reset views, with three changes: the request page answers the same whether or not
the address is known (Django's form already sends nothing then) and is throttled per address and
per client; links are signed with their own salt and expire after ``PASSWORD_RESET_LINK_S``; and
a new password ends every session and API token of the account without signing anyone in.
"""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.http import base36_to_int
from django.utils.translation import gettext as _

from veerkracht.accounts import services
from veerkracht.accounts.forms import NewPasswordForm, ResetRequestForm
from veerkracht.core import throttle
from veerkracht.core.models import User
from veerkracht.core.origin import client_ip

_HOUR_S = 3600


class ResetTokens(PasswordResetTokenGenerator):
    """Reset links: their own salt (an activation link cannot serve as one) and a short life.

    The signature covers the password hash, so a link stops working once it has been used.
    """

    key_salt = "veerkracht.accounts.reset.ResetTokens"

    def check_token(self, user: User | None, token: str | None) -> bool:
        if not super().check_token(user, token) or token is None:
            return False
        issued = base36_to_int(token.split("-")[0])
        return self._num_seconds(self._now()) - issued <= settings.PASSWORD_RESET_LINK_S


reset_tokens = ResetTokens()


def _over_limit(ip: str | None, email: str) -> bool:
    """Count this request for the client and the address; True once either has asked too often."""
    address = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    limit = settings.PASSWORD_RESETS_PER_HOUR
    by_client = throttle.over_rate("password-reset:client", ip, limit=limit, window_s=_HOUR_S)
    by_address = throttle.over_rate("password-reset:address", address, limit=limit, window_s=_HOUR_S)
    return by_client or by_address


class ResetRequestView(auth_views.PasswordResetView):
    """Ask for a link; the next page says the same whether the address exists, or was throttled."""

    template_name = "accounts/password_reset.html"
    form_class = ResetRequestForm
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    token_generator = reset_tokens
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: ResetRequestForm) -> HttpResponse:
        if _over_limit(client_ip(self.request), form.cleaned_data["email"]):
            return redirect(self.success_url)
        return super().form_valid(form)


class ResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choose the new password; then sign in as usual, second factor included."""

    template_name = "accounts/password_reset_confirm.html"
    form_class = NewPasswordForm
    token_generator = reset_tokens
    post_reset_login = False  # never: signing in here would skip the second factor
    success_url = reverse_lazy("login")

    def form_valid(self, form: NewPasswordForm) -> HttpResponse:
        services.password_reset(user=form.user, password=form.cleaned_data["new_password1"])
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        messages.success(self.request, _("Your new password is set. Sign in with it."))
        return redirect(self.success_url)
