"""The SMS gateway's delivery reports: a POST signed with HMAC-SHA256 over the body (SMS_WEBHOOK_SECRET).

The gateway sends ``X-Signature: sha256=<hex>``; without the right signature nothing changes.
"""

import hashlib
import hmac
import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from veerkracht.core.dbroles import ALL
from veerkracht.core.tenancy import organisation_context
from veerkracht.messaging.services import delivery_report_apply

HEADER = "X-Signature"


def signature(body: bytes, secret: str) -> str:
    """The value of the signature header for ``body``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signed(request: HttpRequest) -> bool:
    """True when a secret is configured and the request carries its signature over the body."""
    secret = settings.SMS_WEBHOOK_SECRET
    given = request.headers.get(HEADER, "")
    return bool(secret) and hmac.compare_digest(given, signature(request.body, secret))


@csrf_exempt  # a machine posts here; the HMAC signature takes the place of the CSRF token
@require_POST
def delivery_report(request: HttpRequest) -> HttpResponse:
    """Apply a delivery report: 204 when applied, 401 unsigned, 400 unreadable, 404 unknown reference."""
    if not signed(request):
        return JsonResponse({"detail": "invalid signature"}, status=401)
    try:
        report = json.loads(request.body)
        reference, status = str(report["reference"]), str(report["status"]).lower()
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"detail": "expected JSON with reference and status"}, status=400)
    # The provider is no user of an organisation: once its signature is checked, its report is
    # applied to the message it names, whichever organisation sent it (row-level security).
    with organisation_context(ALL):
        row = delivery_report_apply(reference=reference, provider_id=str(report.get("id") or ""), status=status)
    if row is None:
        return JsonResponse({"detail": "unknown reference"}, status=404)
    return HttpResponse(status=204)
