"""Writes sent twice with the same key take effect once and answer the same.

The API sends the key in an ``Idempotency-Key`` header; forms carry it in a hidden
``idempotency_key`` field (a fresh one each time the form is drawn), so a double tap on a phone
saves one contact, not two.

A key belongs to its caller: a signed-in user (or the user of an API token), or for anonymous
callers the key together with a digest of what they sent, so two strangers never share one. It
is replayed only for the same request; the same caller sending something else under it gets 422
naming the ``Idempotency-Key`` header (type ``idempotency_key_reused``). The stored answer is
sealed with a secret derived from the key itself, which is stored only as a digest: the table
holds nothing readable (docs/adr/0019).
"""

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from veerkracht.core.api_auth import optional_bearer_user
from veerkracht.core.models import IdempotencyRecord

FIELD = "idempotency_key"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
ABANDONED_AFTER = timedelta(minutes=2)  # a first request that never finished (a killed worker)
WAIT_FOR_FIRST_S = 5.0
REUSED = "idempotency_key_reused"
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


@dataclass(frozen=True)
class Claim:
    """Who sent a key, and what: the row's look-up values and the seal's secret."""

    scope: str
    key_digest: str
    request_digest: str
    organisation_id: int | None
    seal: Fernet


def _mac(purpose: str, *parts: str | bytes) -> bytes:
    message = b"\0".join(part.encode() if isinstance(part, str) else part for part in (purpose, *parts))
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).digest()


def _key(request: HttpRequest) -> str:
    key = request.headers.get("Idempotency-Key", "")
    if not key and request.content_type in FORM_CONTENT_TYPES:
        key = request.POST.get(FIELD, "")
    return key.strip()[:100]


def _file_digest(name: str, upload: UploadedFile) -> list[str]:
    digest = hashlib.sha256(upload.read()).hexdigest()
    upload.seek(0)  # the view reads it again
    return [name, upload.name or "", digest]


def _canonical_body(request: HttpRequest) -> bytes:
    """What was sent, independent of how it was framed (a multipart boundary, JSON spacing)."""
    if request.content_type in FORM_CONTENT_TYPES:
        fields = sorted((name, sorted(values)) for name, values in request.POST.lists())
        files = [_file_digest(name, upload) for name in sorted(request.FILES) for upload in request.FILES.getlist(name)]
        return json.dumps([fields, files]).encode()
    try:
        return json.dumps(json.loads(request.body), sort_keys=True).encode()
    except ValueError:
        return request.body


def _caller(request: HttpRequest) -> tuple[str, int | None] | None:
    """The signed-in user or the user of a valid API token, with their organisation; None if anonymous."""
    if not request.user.is_authenticated and request.headers.get("Authorization"):
        # A valid API token is its user's, with the organisation set for row-level security, so
        # that the stored answer belongs to that organisation (core.dbroles).
        optional_bearer_user(request)
    user = request.user
    if user.is_authenticated:
        return f"user:{user.pk}", getattr(user, "organisation_id", None)
    return None


def _claim_for(request: HttpRequest, key: str) -> Claim:
    request_digest = _mac("request", request.method or "", request.path, _canonical_body(request)).hex()
    caller = _caller(request)
    scope, organisation_id = caller or (f"anonymous:{request_digest}", None)
    secret = base64.urlsafe_b64encode(_mac("seal", scope, key))
    return Claim(scope, _mac("key", scope, key).hex(), request_digest, organisation_id, Fernet(secret))


def _replay(record: IdempotencyRecord, claim: Claim) -> HttpResponse:
    try:
        body = claim.seal.decrypt(bytes(record.body)) if record.body else b""
    except InvalidToken:  # sealed under an older SECRET_KEY: the answer cannot be given again
        detail = "the earlier answer to this key cannot be opened; send again with a new key"
        return JsonResponse({"detail": detail}, status=409)
    response = HttpResponse(body, status=record.status or 200, content_type=record.content_type or None)
    if record.location:
        response["Location"] = record.location
    response["Idempotent-Replayed"] = "true"
    return response


def _reused(request: HttpRequest) -> HttpResponse:
    """422: API clients get the code on the header (the API's 422 shape), people a page in their language."""
    if request.headers.get("Idempotency-Key") or request.path.startswith("/api/"):
        error = {"loc": ["header", "Idempotency-Key"], "msg": "this key was sent with another request", "type": REUSED}
        return JsonResponse({"detail": [error]}, status=422)
    return render(request, "core/key_reused.html", status=422)


def _claim(claim: Claim, request: HttpRequest) -> IdempotencyRecord | None:
    """Reserve the key for this request; None when an earlier request holds it."""
    now = timezone.now()
    # A first attempt that never finished, or an answer past its term (RETENTION_IDEMPOTENCY_HOURS,
    # after which `veerkracht retention` removes it anyway): the key may be used afresh.
    kept = timedelta(hours=settings.RETENTION_IDEMPOTENCY_HOURS)
    stale = Q(status__isnull=True, created_at__lt=now - ABANDONED_AFTER) | Q(created_at__lt=now - kept)
    IdempotencyRecord.objects.filter(stale, scope=claim.scope, key=claim.key_digest).delete()
    try:
        with transaction.atomic():  # a savepoint, so a clash leaves any outer transaction usable
            return IdempotencyRecord.objects.create(
                scope=claim.scope,
                key=claim.key_digest,
                request_digest=claim.request_digest,
                organisation_id=claim.organisation_id,
                method=request.method or "",
                path=request.path[:300],
            )
    except IntegrityError:
        return None


def _earlier_answer(claim: Claim, request: HttpRequest) -> HttpResponse:
    deadline = time.monotonic() + WAIT_FOR_FIRST_S
    while True:
        record = IdempotencyRecord.objects.filter(scope=claim.scope, key=claim.key_digest).first()
        if record is None:
            return JsonResponse({"detail": "the earlier request with this key failed; send again"}, status=409)
        if not hmac.compare_digest(record.request_digest, claim.request_digest):
            return _reused(request)
        if record.status is not None:
            return _replay(record, claim)
        if time.monotonic() > deadline:
            return JsonResponse({"detail": "the earlier request with this key is still running"}, status=409)
        time.sleep(0.1)


def _store(record: IdempotencyRecord, response: HttpResponse, claim: Claim) -> None:
    record.status = response.status_code
    record.content_type = response.get("Content-Type", "")[:100]
    record.location = response.get("Location", "")[:500]
    record.body = claim.seal.encrypt(response.content) if response.content else b""
    record.save(update_fields=["status", "content_type", "location", "body"])


class IdempotencyMiddleware:
    """Replays the stored answer to a write whose key was seen before from the same caller.

    The claim on the key, the write and the stored answer are one transaction. An attempt cut off
    by a crash or a database restart leaves nothing, not even its claim, so the client's retry with
    the same key simply runs; and a duplicate sent meanwhile waits on the claim's unique index
    until the first commits, then replays its answer. A write is never half-done nor done twice.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = _key(request) if request.method in WRITE_METHODS else ""
        if not key:
            return self.get_response(request)
        claim = _claim_for(request, key)
        with transaction.atomic():
            record = _claim(claim, request)
            if record is not None:
                return self._first(request, record, claim)
        return _earlier_answer(claim, request)

    def _first(self, request: HttpRequest, record: IdempotencyRecord, claim: Claim) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code >= 500:
            transaction.set_rollback(True)  # the write and the claim go: the client may try again
        elif response.streaming:
            record.delete()  # a stream cannot be stored for a replay
        else:
            _store(record, response, claim)
        return response
