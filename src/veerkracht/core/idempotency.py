"""Writes sent twice with the same key take effect once and answer the same.

The API sends the key in an ``Idempotency-Key`` header; forms carry it in a hidden
``idempotency_key`` field (a fresh one each time the form is drawn), so a double tap on a phone
saves one contact, not two.
"""

import hashlib
import time
from collections.abc import Callable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

from veerkracht.core.api_auth import optional_bearer_user
from veerkracht.core.models import IdempotencyRecord
from veerkracht.core.queries import one_or_none

FIELD = "idempotency_key"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
ABANDONED_AFTER = timedelta(minutes=2)  # a first request that never finished (a killed worker)
WAIT_FOR_FIRST_S = 5.0


def _scope(request: HttpRequest) -> str:
    authorization = request.headers.get("Authorization", "")
    if not request.user.is_authenticated and authorization:
        # A valid API token is its user's, with the organisation set for row-level security, so
        # that the stored answer belongs to that organisation (core.dbroles).
        optional_bearer_user(request)
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    if authorization:
        return "token:" + hashlib.sha256(authorization.encode()).hexdigest()[:40]
    return "anonymous"


def _key(request: HttpRequest) -> str:
    key = request.headers.get("Idempotency-Key", "")
    if not key and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        key = request.POST.get(FIELD, "")
    return key.strip()[:100]


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(bytes(record.body), status=record.status or 200, content_type=record.content_type or None)
    if record.location:
        response["Location"] = record.location
    response["Idempotent-Replayed"] = "true"
    return response


def _claim(scope: str, key: str, request: HttpRequest) -> IdempotencyRecord | None:
    """Reserve the key for this request; None when an earlier request holds it."""
    IdempotencyRecord.objects.filter(
        scope=scope, key=key, status__isnull=True, created_at__lt=timezone.now() - ABANDONED_AFTER
    ).delete()
    try:
        with transaction.atomic():  # a savepoint, so a clash leaves any outer transaction usable
            return IdempotencyRecord.objects.create(
                scope=scope, key=key, method=request.method or "", path=request.path[:300]
            )
    except IntegrityError:
        return None


def _earlier_answer(scope: str, key: str, request: HttpRequest) -> HttpResponse:
    deadline = time.monotonic() + WAIT_FOR_FIRST_S
    while True:
        record = one_or_none(IdempotencyRecord.objects.filter(scope=scope, key=key))
        if record is None:
            return JsonResponse({"detail": "the earlier request with this key failed; send again"}, status=409)
        if (record.method, record.path) != (request.method, request.path[:300]):
            return JsonResponse({"detail": "Idempotency-Key was used for another request"}, status=422)
        if record.status is not None:
            return _replay(record)
        if time.monotonic() > deadline:
            return JsonResponse({"detail": "the earlier request with this key is still running"}, status=409)
        time.sleep(0.1)


def _store(record: IdempotencyRecord, response: HttpResponse) -> None:
    record.status = response.status_code
    record.content_type = response.get("Content-Type", "")
    record.location = response.get("Location", "")[:500]
    record.body = response.content
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
        scope = _scope(request)
        with transaction.atomic():
            record = _claim(scope, key, request)
            if record is not None:
                return self._first(request, record)
        return _earlier_answer(scope, key, request)

    def _first(self, request: HttpRequest, record: IdempotencyRecord) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code >= 500:
            transaction.set_rollback(True)  # the write and the claim go: the client may try again
        elif response.streaming:
            record.delete()  # a stream cannot be stored for a replay
        else:
            _store(record, response)
        return response
