"""Delivery reports and replies from the SMS providers, each in its own documented form.

Both come to ``/sms/<token>/rapport/`` and ``/sms/<token>/inkomend/``; ``token`` is SMS_WEBHOOK_SECRET,
configured as the callback URL at the provider. How each provider's callback is authenticated:

- CM.com: report by GET/POST ``reference`` + ``statuscode`` (0 accepted, 1 rejected, 2 delivered,
  3 failed) or JSON ``messages.msg`` (``reference``, ``status.code``;
  https://developers.cm.com/messaging/docs/incoming-status-report); reply ``from``, ``message``, or JSON
  ``from.number``, ``message.text``, ``channel`` (https://developers.cm.com/messaging/docs/incoming-messages).
  No signature is documented: the token.
- Spryng: report by GET ``ID``, ``REFERENCE``, ``STATUS`` (10 delivered, 20 not delivered); reply
  ``ORIGINATOR``, ``BODY``. No signature is documented: the token.
- Bird: report by GET ``id``, ``reference``, ``status`` (delivered, delivery_failed, expired, ...); reply
  ``originator``, ``body``. The token, and ``MessageBird-Signature-JWT``: HS256 with the signing key,
  claims ``url_hash`` and ``payload_hash`` (SHA-256 of the URL and body), ``nbf``/``exp``.
- Twilio: report by POST form ``MessageSid``, ``MessageStatus``; reply ``From``, ``Body``. The token, and
  ``X-Twilio-Signature``: base64 HMAC-SHA1 (key: the auth token) of the URL + each sorted key and value.

A request without the token or signature changes nothing and gets 401.
"""

import base64
import binascii
import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from veerkracht.core.dbroles import ALL
from veerkracht.core.tenancy import organisation_context
from veerkracht.messaging.replies import reply_record
from veerkracht.messaging.services import delivery_report_apply

CM_STATUS = {"0": "accepted", "1": "rejected", "2": "delivered", "3": "failed", "4": "read"}  # 4: WhatsApp
SPRYNG_STATUS = {"10": "delivered", "20": "failed"}


def twilio_signature(url: str, params: Mapping[str, str], auth_token: str) -> str:
    """Twilio's X-Twilio-Signature: HMAC-SHA1 of the URL followed by each POST key and value, sorted by key."""
    data = url + "".join(key + params[key] for key in sorted(params))
    return base64.b64encode(hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()).decode()


def _b64url(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def bird_jwt_valid(token: str, *, url: str, body: bytes, signing_key: str, now: float | None = None) -> bool:
    """MessageBird-Signature-JWT: HS256 with the signing key, for this URL and body, within its validity."""
    try:
        header_b64, claims_b64, signature_b64 = token.split(".")
        header, claims = json.loads(_b64url(header_b64)), json.loads(_b64url(claims_b64))
        signature = _b64url(signature_b64)
    except (ValueError, binascii.Error):
        return False
    expected = hmac.new(signing_key.encode(), f"{header_b64}.{claims_b64}".encode(), hashlib.sha256).digest()
    if not isinstance(header, dict) or header.get("alg") != "HS256" or not hmac.compare_digest(signature, expected):
        return False
    moment = time.time() if now is None else now
    if not isinstance(claims, dict) or not (claims.get("nbf", 0) - 1 <= moment < claims.get("exp", 0) + 1):
        return False
    if claims.get("url_hash") != hashlib.sha256(url.encode()).hexdigest():
        return False
    return not body or claims.get("payload_hash") == hashlib.sha256(body).hexdigest()


def _url(request: HttpRequest) -> str:
    """The URL as the provider called it: behind a proxy, the configured public address."""
    if settings.SMS_PUBLIC_URL:
        return settings.SMS_PUBLIC_URL.rstrip("/") + request.get_full_path()
    return request.build_absolute_uri()


def _params(request: HttpRequest) -> dict[str, str]:
    params = {key: request.GET[key] for key in request.GET}
    params |= {key: request.POST[key] for key in request.POST}
    return params


def authentic(request: HttpRequest, token: str) -> bool:
    """The secret token in the URL, and the provider's own signature where it has one."""
    secret = settings.SMS_WEBHOOK_SECRET
    if not secret or not hmac.compare_digest(token.encode(), secret.encode()):
        return False
    provider = settings.SMS_BACKEND
    if provider == "twilio":
        form = {key: request.POST[key] for key in request.POST}
        expected = twilio_signature(_url(request), form, settings.SMS_PROVIDER_KEY)
        return hmac.compare_digest(request.headers.get("X-Twilio-Signature", "").encode(), expected.encode())
    if provider == "bird":
        key = settings.SMS_BIRD_SIGNING_KEY
        jwt = request.headers.get("MessageBird-Signature-JWT", "")
        return bool(key) and bird_jwt_valid(jwt, url=_url(request), body=request.body, signing_key=key)
    return provider in ("cm", "spryng")


def _lower(params: Mapping[str, str]) -> dict[str, str]:
    return {key.lower(): value for key, value in params.items()}


def report_fields(provider: str, request: HttpRequest) -> tuple[str, str, str]:
    """(reference, provider id, status) of a delivery report, the status in our words."""
    params = _lower(_params(request))
    if provider == "cm":
        if request.content_type == "application/json":
            msg: Any = json.loads(request.body or b"{}").get("messages", {}).get("msg", {})
            msg = msg[0] if isinstance(msg, list) else msg
            code = str((msg.get("status") or {}).get("code", ""))
            return str(msg.get("reference", "")), "", CM_STATUS.get(code, code)
        code = params.get("statuscode", params.get("status", ""))
        return params.get("reference", ""), "", CM_STATUS.get(code, code)
    if provider == "spryng":
        code = params.get("status", "")
        return params.get("reference", ""), params.get("id", ""), SPRYNG_STATUS.get(code, code)
    if provider == "bird":
        return params.get("reference", ""), params.get("id", ""), params.get("status", "").lower()
    if provider == "twilio":
        return "", params.get("messagesid", ""), params.get("messagestatus", "").lower()
    raise ValueError(provider)


def inbound_fields(provider: str, request: HttpRequest) -> tuple[str, str, str]:
    """(sender's number, text, channel "sms" or "app") of a reply.

    WhatsApp replies come to the same address: CM.com posts them as JSON with ``"channel": "WhatsApp"``,
    ``from.number`` and ``message.text``; Twilio's ``From`` reads ``whatsapp:+31...``.
    """
    params = _lower(_params(request))
    if provider == "cm":
        if request.content_type == "application/json":
            data: Any = json.loads(request.body or b"{}")
            channel = "app" if str(data.get("channel", "")).lower() == "whatsapp" else "sms"
            return (
                str((data.get("from") or {}).get("number", "")),
                str((data.get("message") or {}).get("text", "")),
                channel,
            )
        return params.get("from", ""), params.get("message", ""), "sms"
    if provider in ("spryng", "bird"):
        return params.get("originator", ""), params.get("body", ""), "sms"
    if provider == "twilio":
        sender = params.get("from", "")
        if sender.startswith("whatsapp:"):
            return sender.removeprefix("whatsapp:"), params.get("body", ""), "app"
        return sender, params.get("body", ""), "sms"
    raise ValueError(provider)


@csrf_exempt  # a provider calls here; the token and its signature take the place of the CSRF token
@require_http_methods(["GET", "POST"])
def provider_report(request: HttpRequest, token: str) -> HttpResponse:
    """A delivery report: 200 when taken (also for statuses that change nothing), 401 unauthentic, 404 unknown."""
    if not authentic(request, token):
        return JsonResponse({"detail": "invalid token or signature"}, status=401)
    try:
        reference, provider_id, status = report_fields(settings.SMS_BACKEND, request)
    except (ValueError, AttributeError, TypeError):
        return JsonResponse({"detail": "unreadable report"}, status=400)
    with organisation_context(ALL):  # authentic: the report applies to the message it names, whichever organisation's
        applied = delivery_report_apply(reference=reference, provider_id=provider_id, status=status)
    if applied is None:
        return JsonResponse({"detail": "unknown message"}, status=404)
    return HttpResponse("OK")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def provider_inbound(request: HttpRequest, token: str) -> HttpResponse:
    """A resident's reply: noted on the message; a stop word withdraws the SMS consent."""
    if not authentic(request, token):
        return JsonResponse({"detail": "invalid token or signature"}, status=401)
    try:
        sender, text, channel = inbound_fields(settings.SMS_BACKEND, request)
    except (ValueError, AttributeError, TypeError):
        return JsonResponse({"detail": "unreadable reply"}, status=400)
    with organisation_context(ALL):  # authentic: the reply is noted on the last message to that number
        reply_record(sender=sender, text=text, channel=channel)
    if settings.SMS_BACKEND == "twilio":  # Twilio expects TwiML; an empty Response sends nothing back
        return HttpResponse("<Response/>", content_type="text/xml")
    return HttpResponse("OK")
