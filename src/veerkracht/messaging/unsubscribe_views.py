"""The page behind the unsubscribe link of a bulk e-mail: one POST withdraws the e-mail consent (RFC 8058)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from veerkracht.core.middleware import multilingual
from veerkracht.core.tenancy import as_anonymous
from veerkracht.messaging.unsubscribe import email_consent_withdraw, unsubscribe_organisation


@csrf_exempt  # the mail program POSTs without a session (RFC 8058 §3.1); the signed token is the proof
@multilingual
@never_cache
@require_http_methods(["GET", "POST"])
def email_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button and changes nothing (mail scanners open links); POST withdraws the consent."""
    with as_anonymous():  # the same for everyone, signed in or not
        if request.method == "POST":
            organisation = email_consent_withdraw(token=token)
        else:
            organisation = unsubscribe_organisation(token)
    if organisation is None:
        raise Http404
    context = {"organisation": organisation, "done": request.method == "POST"}
    return render(request, "messaging/unsubscribe.html", context)
