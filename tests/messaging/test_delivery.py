"""Delivering the outbox through the SMS gateway adapter: retries with back-off, never sent twice."""

import json

import pytest
from django.core import mail
from django.test import override_settings

from tests.conftest import Cast
from tests.messaging.gateway import Gateway
from veerkracht.core.models import OutboundMessage, OutboundStatus
from veerkracht.messaging.backends import memory
from veerkracht.messaging.delivery import _claim, _send, backoff, outbox_deliver
from veerkracht.messaging.webhook import signature


def _sms(cast: Cast, to: str = "0612345678", text: str = "Hallo Annie") -> OutboundMessage:
    return OutboundMessage.objects.create(organisation=cast.organisation, channel="sms", to=to, text=text)


def _deliver(*rows: OutboundMessage) -> dict[str, int]:
    return outbox_deliver([row.pk for row in rows], lambda percent: None)


def test_an_sms_goes_to_the_gateway_in_international_form_with_its_reference(cast: Cast, gateway: Gateway):
    row = _sms(cast)
    assert _deliver(row) == {"sent": 1}
    row.refresh_from_db()
    (request,) = gateway.requests
    assert request["to"] == "+31612345678"
    assert request["text"] == "Hallo Annie"
    assert request["reference"] == row.reference
    assert (row.status, row.attempts, row.provider_id) == ("sent", 1, "gw-1")
    assert row.sent_at is not None


def test_a_gateway_answering_500_is_retried_with_growing_waits(cast: Cast, gateway: Gateway):
    gateway.fail_first = 2
    row = _sms(cast)
    assert _deliver(row) == {"sent": 1}
    row.refresh_from_db()
    assert row.attempts == 3
    first, second, third = (request["at"] for request in gateway.requests)
    # Back-off of 50 ms, then 100 ms (doubling), measured at the gateway.
    assert second - first >= 0.05
    assert third - second >= 0.1
    assert gateway.phones() == ["+31612345678"]


def test_a_gateway_that_times_out_after_taking_the_text_does_not_send_it_twice(cast: Cast, gateway: Gateway):
    gateway.stall_first = 1  # the first attempt reaches the gateway, its answer comes too late
    row = _sms(cast)
    assert _deliver(row) == {"sent": 1}
    row.refresh_from_db()
    assert row.attempts == 2
    assert len(gateway.requests) == 2
    assert {request["reference"] for request in gateway.requests} == {row.reference}
    assert gateway.phones() == ["+31612345678"]  # on its way to the phone once


def test_a_gateway_that_keeps_failing_marks_the_message_failed_after_the_last_attempt(cast: Cast, gateway: Gateway):
    gateway.fail_first = 100
    row = _sms(cast)
    assert _deliver(row) == {"failed": 1}
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("failed", 4)
    assert "500" in row.last_error
    assert gateway.sent == {}
    # A second run (a duplicate in the queue, a restarted worker) leaves a failed message alone.
    assert _deliver(row) == {"failed": 1}
    assert len(gateway.requests) == 4


def test_a_refusal_by_the_gateway_is_not_retried(cast: Cast, gateway: Gateway):
    gateway.status_code = 422
    row = _sms(cast)
    assert _deliver(row) == {"failed": 1}
    row.refresh_from_db()
    assert row.attempts == 1


def test_a_gateway_answering_429_is_retried_no_sooner_than_its_retry_after(cast: Cast, gateway: Gateway):
    gateway.busy_first, gateway.retry_after = 1, "1"
    row = _sms(cast)
    assert _deliver(row) == {"sent": 1}
    row.refresh_from_db()
    assert row.attempts == 2
    first, second = (request["at"] for request in gateway.requests)
    assert second - first >= 1.0  # Retry-After: 1, not the 50 ms back-off
    assert gateway.phones() == ["+31612345678"]


def test_a_gateway_refusing_the_key_with_401_fails_at_once_and_is_not_retried(cast: Cast, gateway: Gateway):
    with override_settings(SMS_GATEWAY_KEY="wrong-key"):
        row = _sms(cast)
        assert _deliver(row) == {"failed": 1}
    row.refresh_from_db()
    assert (row.status, row.attempts, len(gateway.requests)) == ("failed", 1, 1)
    assert "401" in row.last_error
    assert gateway.sent == {}


def test_a_landline_is_never_sent_to(cast: Cast, gateway: Gateway):
    row = _sms(cast, to="0101234567")
    assert _deliver(row) == {"failed": 1}
    assert gateway.requests == []


def test_a_sent_message_is_never_sent_again(cast: Cast, gateway: Gateway):
    row = _sms(cast)
    _deliver(row)
    _deliver(row)
    assert len(gateway.requests) == 1


def test_a_message_is_claimed_by_one_worker_at_a_time(cast: Cast):
    row = _sms(cast)
    assert _claim(row.pk) is not None
    assert _claim(row.pk) is None  # the first worker's lease holds


def test_the_back_off_doubles():
    with override_settings(MESSAGE_RETRY_BACKOFF_MS=2000):
        assert [backoff(n).total_seconds() for n in (1, 2, 3)] == [2, 4, 8]


def test_an_email_goes_through_django_mail_with_its_reference(cast: Cast):
    row = OutboundMessage.objects.create(
        organisation=cast.organisation, channel="email", to="gerrit@example.org", subject="Uitnodiging", text="Hallo"
    )
    assert _deliver(row) == {"sent": 1}
    (email,) = mail.outbox
    assert (email.to, email.subject, email.body) == (["gerrit@example.org"], "Uitnodiging", "Hallo")
    assert email.extra_headers["X-Veerkracht-Reference"] == row.reference


def test_every_attempt_of_an_email_carries_the_same_message_id(cast: Cast):
    """A retry after a worker died mid-send is recognisable as the same message (docs/adr/0020)."""
    row = OutboundMessage.objects.create(
        organisation=cast.organisation, channel="email", to="g@example.org", text="Hoi"
    )
    _send(row)
    _send(row)
    first, second = (email.message()["Message-ID"] for email in mail.outbox)
    assert first == second
    assert row.reference in first


def test_the_development_file_backend_writes_one_line_per_sms(cast: Cast, tmp_path):
    path = tmp_path / "sms.jsonl"
    with override_settings(SMS_BACKEND="file", SMS_FILE_PATH=path):
        _deliver(_sms(cast))
    (line,) = path.read_text().splitlines()
    assert json.loads(line)["to"] == "+31612345678"


def test_the_test_backend_keeps_sent_texts(cast: Cast):
    _deliver(_sms(cast))
    assert [sms.to for sms in memory.outbox] == ["+31612345678"]


@override_settings(SMS_WEBHOOK_SECRET="shared-secret")
@pytest.mark.parametrize(
    ("status", "expected"), [("delivered", "delivered"), ("failed", "failed"), ("buffered", "sent")]
)
def test_a_signed_delivery_report_updates_the_message(cast: Cast, client, status, expected):
    row = _sms(cast)
    _deliver(row)
    row.refresh_from_db()
    body = json.dumps({"id": row.provider_id, "reference": row.reference, "status": status}).encode()
    response = client.post(
        "/sms/afleverrapport/",
        body,
        content_type="application/json",
        headers={"X-Signature": signature(body, "shared-secret")},
    )
    assert response.status_code == 204
    row.refresh_from_db()
    assert row.status == expected


@override_settings(SMS_WEBHOOK_SECRET="shared-secret")
def test_an_unsigned_or_forged_delivery_report_changes_nothing(cast: Cast, client):
    row = _sms(cast)
    _deliver(row)
    body = json.dumps({"reference": row.reference, "status": "failed"}).encode()
    unsigned = client.post("/sms/afleverrapport/", body, content_type="application/json")
    forged = client.post(
        "/sms/afleverrapport/", body, content_type="application/json", headers={"X-Signature": signature(body, "guess")}
    )
    assert (unsigned.status_code, forged.status_code) == (401, 401)
    row.refresh_from_db()
    assert row.status == OutboundStatus.SENT


def test_without_a_secret_the_webhook_accepts_nothing(cast: Cast, client):
    body = b'{"reference": "x", "status": "delivered"}'
    response = client.post(
        "/sms/afleverrapport/", body, content_type="application/json", headers={"X-Signature": signature(body, "")}
    )
    assert response.status_code == 401


@override_settings(SMS_WEBHOOK_SECRET="shared-secret")
def test_a_report_about_an_unknown_reference_answers_404(db, client):
    body = b'{"reference": "nope", "status": "delivered"}'
    headers = {"X-Signature": signature(body, "shared-secret")}
    assert (
        client.post("/sms/afleverrapport/", body, content_type="application/json", headers=headers).status_code == 404
    )
