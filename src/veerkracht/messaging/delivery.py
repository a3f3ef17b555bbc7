"""Delivering the outbox: each SMS or e-mail claimed, sent, and recorded, with retries and back-off.

A row is claimed with a conditional update (queued → sending, with a lease), so two workers never
send the same row at once. A temporary failure (timeout, 5xx) puts it back in the queue with a
doubling delay; after ``MESSAGE_SEND_ATTEMPTS`` attempts it is failed. The reference goes with
every attempt, so a gateway that received the first attempt before timing out does not send the
text again: a message is never sent twice. A row whose worker died while sending is claimed again
once its lease has run out, with the same reference.

The providers (CM.com, Spryng, Bird, Twilio) do not promise to send a reference once: when one of them
does not answer in time after the request went out, the row is not sent again but marked failed with
the reason, and a later delivery report (found by reference or provider id) may still mark it delivered.
A 429 is retried no sooner than its Retry-After. With no provider configured (SMS_PROVIDER=none) SMS rows
are not touched: they stay queued and the message page says why.
"""

import smtplib
import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from veerkracht.core.models import Organisation, OutboundMessage, OutboundStatus, TaskRun
from veerkracht.core.outbox import DELIVER, outbox_deliver_start
from veerkracht.core.tasks import Report, register
from veerkracht.messaging.backends import (
    MaybeSentError,
    PermanentFailureError,
    SentSms,
    TemporaryFailureError,
    sms_backend,
    sms_configured,
    whatsapp_backend,
    whatsapp_configured,
    whatsapp_template,
)
from veerkracht.messaging.mail import email_of
from veerkracht.messaging.models import Recipient
from veerkracht.messaging.phones import mobile_e164

LEASE_MARGIN = timedelta(seconds=30)
PENDING = (OutboundStatus.QUEUED, OutboundStatus.SENDING)

Sleep = Callable[[float], None]


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed attempt: the base, then doubling."""
    return timedelta(milliseconds=settings.MESSAGE_RETRY_BACKOFF_MS * 2 ** max(0, attempts - 1))


def _lease() -> timedelta:
    return timedelta(seconds=float(settings.SMS_GATEWAY_TIMEOUT_S)) + LEASE_MARGIN


def _claim(row_id: int) -> OutboundMessage | None:
    """Take the row for one attempt, or None when it is not due or another worker holds it."""
    now = timezone.now()
    due = Q(status=OutboundStatus.QUEUED) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    lease_ran_out = Q(status=OutboundStatus.SENDING, next_attempt_at__lte=now)
    claimed = OutboundMessage.objects.filter(due | lease_ran_out, pk=row_id).update(
        status=OutboundStatus.SENDING, attempts=F("attempts") + 1, next_attempt_at=now + _lease()
    )
    return OutboundMessage.objects.select_related("organisation").get(pk=row_id) if claimed else None


def _send(row: OutboundMessage) -> SentSms:
    if row.channel == "email":
        try:
            email_of(row).send()
        except smtplib.SMTPRecipientsRefused as error:  # the server refused the address itself: no retry helps
            raise PermanentFailureError(f"mail server refused the address: {_codes(error)}") from None
        except OSError as error:  # smtplib's errors are OSErrors; so are refused connections
            raise TemporaryFailureError(f"mail server: {type(error).__name__}") from None
        return SentSms(id=f"email-{row.reference}", status="sent")
    to = mobile_e164(row.to)
    if to is None:
        raise PermanentFailureError("not a mobile number")
    if row.channel == "app":
        return _send_whatsapp(row, to)
    backend = sms_backend(sender=row.organisation.sms_sender)
    try:
        return backend.send(to=to, text=row.text, reference=row.reference)
    except MaybeSentError as error:
        if backend.idempotent:
            raise
        raise PermanentFailureError(f"{error}; not sent again, so it cannot arrive twice") from None


WINDOW = timedelta(hours=24)  # WhatsApp's customer-service window after the resident's last message


def whatsapp_window_open(number: str) -> bool:
    """True when the resident wrote to us by WhatsApp in the last 24 hours: free text may go then."""
    since = timezone.now() - WINDOW
    return Recipient.objects.filter(outbound__channel="app", outbound__to=number, replied_at__gte=since).exists()


def _send_whatsapp(row: OutboundMessage, to: str) -> SentSms:
    """Free text inside the 24-hour window, the approved template outside it (the provider requires it):
    the template approved in the text's language where there is one, else the Dutch one.

    CM.com and Twilio do not promise to send a reference once: a timeout is not retried (as for SMS).
    """
    template = None if whatsapp_window_open(row.to) else whatsapp_template(row.language)
    backend = whatsapp_backend(sender=row.organisation.sms_sender)
    try:
        return backend.send_whatsapp(to=to, text=row.text, reference=row.reference, template=template)
    except MaybeSentError as error:
        raise PermanentFailureError(f"{error}; not sent again, so it cannot arrive twice") from None


def _codes(error: smtplib.SMTPRecipientsRefused) -> str:
    return ", ".join(str(code) for code, _text in error.recipients.values())


def _attempt(row: OutboundMessage) -> None:
    """One attempt; its outcome is recorded on the row (the attempt was counted when it was claimed)."""
    mine = OutboundMessage.objects.filter(pk=row.pk, status=OutboundStatus.SENDING)
    try:
        sent = _send(row)
    except PermanentFailureError as error:
        mine.update(status=OutboundStatus.FAILED, last_error=str(error)[:200], next_attempt_at=None)
    except TemporaryFailureError as error:
        if row.attempts >= settings.MESSAGE_SEND_ATTEMPTS:
            mine.update(status=OutboundStatus.FAILED, last_error=str(error)[:200], next_attempt_at=None)
        else:
            wait = max(backoff(row.attempts), timedelta(seconds=error.retry_after_s))
            retry_at = timezone.now() + wait
            mine.update(status=OutboundStatus.QUEUED, last_error=str(error)[:200], next_attempt_at=retry_at)
    else:
        mine.update(
            status=OutboundStatus.SENT, provider_id=sent.id, sent_at=timezone.now(), next_attempt_at=None, last_error=""
        )


def _pending(row_ids: list[int]) -> "QuerySet[OutboundMessage]":
    """The rows still to send; SMS only when a provider is configured (else they wait in the queue)."""
    rows = OutboundMessage.objects.filter(pk__in=row_ids, status__in=PENDING)
    rows = rows if sms_configured() else rows.exclude(channel="sms")
    return rows if whatsapp_configured() else rows.exclude(channel="app")


def _next_wait(row_ids: list[int]) -> float | None:
    """Seconds until the earliest pending row is due; None when nothing is pending."""
    pending = list(_pending(row_ids).values_list("next_attempt_at", flat=True))
    if not pending:
        return None
    if None in pending:
        return 0.0
    earliest = min(moment for moment in pending if moment is not None)
    return max(0.0, (earliest - timezone.now()).total_seconds())


def outbox_deliver(row_ids: list[int], report: Report, sleep: Sleep = time.sleep) -> dict[str, int]:
    """Send every pending row of ``row_ids``, retrying temporary failures; returns counts per status."""
    while (wait := _next_wait(row_ids)) is not None:
        sleep(wait)
        due = _pending(row_ids).values_list("pk", flat=True)
        for row_id in list(due):
            row = _claim(row_id)
            if row is not None:
                _attempt(row)
        done = OutboundMessage.objects.filter(pk__in=row_ids).exclude(status__in=PENDING).count()
        report(100 * done // max(1, len(row_ids)))
    return dict(Counter(OutboundMessage.objects.filter(pk__in=row_ids).values_list("status", flat=True)))


HELD_FOR = timedelta(minutes=5)  # younger rows are still their own run's business


def held_sms_release() -> int:
    """Queue a delivery run for SMS that waited while no provider was configured; returns the rows.

    A periodic job (``core.daily``): cheap when nothing waits, and safe twice (a row is claimed once).
    Only rows never tried are taken; rows in back-off belong to a run that is still going.
    """
    if not sms_configured():
        return 0
    held = OutboundMessage.objects.filter(
        channel="sms",
        status=OutboundStatus.QUEUED,
        attempts=0,
        next_attempt_at__isnull=True,
        created_at__lt=timezone.now() - HELD_FOR,
    )
    per_organisation: dict[int, list[int]] = {}
    for row_id, organisation_id in held.values_list("pk", "organisation_id")[:5000]:
        per_organisation.setdefault(organisation_id, []).append(row_id)
    with transaction.atomic():
        for organisation in Organisation.objects.filter(pk__in=per_organisation):
            outbox_deliver_start(organisation=organisation, by=None, outbound_ids=per_organisation[organisation.pk])
    return sum(len(ids) for ids in per_organisation.values())


def held_sms_job() -> None:
    held_sms_release()


@register(DELIVER)
def deliver_run(run: TaskRun, report: Report) -> dict[str, Any]:
    """The delivery run of a message (or a waitlist SMS): idempotent, since sent rows are never claimed."""
    return outbox_deliver([int(row_id) for row_id in run.params.get("outbound_ids", [])], report)
