"""CM.com, Spryng, Bird and Twilio, each against a local fake speaking its documented API (messaging/providers.py).

Per provider: the send in its exact format, long and Turkish/Arabic texts, errors (401, 429 with
Retry-After, 5xx, a timeout) with retries and never a second text, delivery reports with their
authentication, and replies (STOP in Dutch, Turkish and Arabic) through its inbound webhook.
"""

import base64
import hashlib
import hmac
import json
import time
import urllib.parse
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import translation

from tests.conftest import Cast
from tests.messaging.conftest import live_in
from tests.messaging.providers import KEY, TWILIO_SID, FakeProvider, FakeProviderServer
from tests.messaging.test_yes_no import _invite, _registration, coffee_morning
from veerkracht.activities.services import registration_create
from veerkracht.core.models import OutboundMessage, OutboundStatus
from veerkracht.messaging.delivery import outbox_deliver
from veerkracht.messaging.models import Message, Recipient
from veerkracht.messaging.provider_webhooks import twilio_signature
from veerkracht.messaging.segments import Segments, sms_segments
from veerkracht.messaging.services import Draft, message_send
from veerkracht.people.models import Building, Resident

PROVIDERS = ("cm", "spryng", "bird", "twilio")
TOKEN = "hook-token-3f9a"
BIRD_SIGNING_KEY = "bird-signing-key"
PUBLIC = "https://veerkracht.example"
TURKISH = (
    "Merhaba Ayşe, cumartesi günü saat 14:00'te toplum merkezinde çay içmeye gelir misiniz? Kayıt için bizi arayın."
)
ARABIC = "مرحبا، هل تأتي يوم السبت إلى المركز؟"
DUTCH = (  # plain Dutch: GSM-7 only (no ë), more than 160 characters once the name is in
    "Hallo {first_name}, zaterdag 14 juni is er weer koffie in het buurthuis aan de Esdoornlaan, van 10:00 tot "
    "12:00 uur. Neem gerust een buurman of buurvrouw mee. Wilt u komen? Bel ons dan voor vrijdag. Tot ziens!"
)


@pytest.fixture(params=PROVIDERS)
def provider(request: pytest.FixtureRequest) -> Iterator[FakeProvider]:
    fake = FakeProvider(request.param)
    with (
        FakeProviderServer(fake),
        override_settings(
            SMS_BACKEND=request.param,
            SMS_PROVIDER_URL=fake.url,
            SMS_PROVIDER_KEY=KEY,
            SMS_TWILIO_ACCOUNT_SID=TWILIO_SID,
            SMS_BIRD_SIGNING_KEY=BIRD_SIGNING_KEY,
            SMS_SENDER="Buurtteam",
            SMS_WEBHOOK_SECRET=TOKEN,
            SMS_PUBLIC_URL=PUBLIC,
            SMS_GATEWAY_TIMEOUT_S=0.5,
            MESSAGE_RETRY_BACKOFF_MS=50,
            MESSAGE_SEND_ATTEMPTS=4,
        ),
    ):
        yield fake


def _sms(cast: Cast, text: str = "Hallo Annie", to: str = "+31612345678") -> OutboundMessage:
    return OutboundMessage.objects.create(organisation=cast.organisation, channel="sms", to=to, text=text)


def _deliver(*rows: OutboundMessage) -> dict[str, int]:
    return outbox_deliver([row.pk for row in rows], lambda percent: None)


# --- sending -----------------------------------------------------------------------------------------


def assert_documented_request(name: str, request: dict[str, Any], row: OutboundMessage) -> None:
    """The request for ``row`` as the provider documents it (tests/messaging/providers.py): authentication,
    sender name, number, the whole text with the coding left to the provider, reference and report address."""
    body = request["body"]
    digits = row.to.removeprefix("+")
    if name == "cm":
        msg = body["messages"]["msg"][0]
        assert body["messages"]["authentication"] == {"productToken": KEY}
        assert msg["from"] == "Buurtteam"
        assert msg["to"] == [{"number": "00" + digits}]
        assert msg["body"] == {"type": "auto", "content": row.text}  # "auto": GSM-7, or UCS-2 where needed
        assert (msg["minimumNumberOfMessageParts"], msg["maximumNumberOfMessageParts"]) == (1, 8)
        assert msg["reference"] == row.reference
    elif name == "spryng":
        assert request["headers"]["Authorization"] == f"Bearer {KEY}"
        assert body == {
            "body": row.text,
            "encoding": "auto",
            "originator": "Buurtteam",
            "recipients": [digits],
            "route": "business",
            "reference": row.reference,
        }
    elif name == "bird":
        assert request["headers"]["Authorization"] == f"AccessKey {KEY}"
        assert body == {
            "originator": "Buurtteam",
            "recipients": [int(digits)],
            "body": row.text,
            "reference": row.reference,
            "datacoding": "auto",
            "reportUrl": f"{PUBLIC}/sms/{TOKEN}/rapport/",
        }
    else:
        basic = base64.b64encode(f"{TWILIO_SID}:{KEY}".encode()).decode()
        assert request["headers"]["Authorization"] == f"Basic {basic}"
        assert request["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
        assert body == {  # no coding field: Twilio chooses GSM-7 or UCS-2 itself
            "To": row.to,
            "From": "Buurtteam",
            "Body": row.text,
            "StatusCallback": f"{PUBLIC}/sms/{TOKEN}/rapport/",
        }


def test_an_sms_reaches_the_provider_in_its_documented_format(cast: Cast, provider: FakeProvider):
    row = _sms(cast)
    assert _deliver(row) == {"sent": 1}
    row.refresh_from_db()
    (request,) = provider.requests
    assert (row.to, row.text) == ("+31612345678", "Hallo Annie")
    assert_documented_request(provider.name, request, row)
    if provider.name == "cm":
        assert row.provider_id == row.reference  # CM reports on our reference
    elif provider.name == "spryng":
        assert row.provider_id == "spryng-1"
    elif provider.name == "bird":
        assert row.provider_id.startswith("bird")
    else:
        assert row.provider_id.startswith("SM")
    assert (row.status, row.attempts) == ("sent", 1)


@pytest.mark.parametrize("text", [TURKISH + " " + TURKISH, ARABIC * 3], ids=["turkish", "arabic"])
def test_long_unicode_texts_go_whole_for_the_provider_to_split(cast: Cast, provider: FakeProvider, text: str):
    row = _sms(cast, text=text)
    assert _deliver(row) == {"sent": 1}
    (taken,) = provider.taken
    assert taken["text"] == text  # unchanged: no characters replaced, nothing cut off
    if provider.name == "cm":
        assert taken["body"]["type"] == "auto"  # CM chooses UCS-2 for ş, ğ and Arabic
        assert taken["maximumNumberOfMessageParts"] == 8
    elif provider.name in ("spryng", "bird"):
        assert taken.get("encoding", taken.get("datacoding")) == "auto"


def test_a_long_plain_dutch_sms_goes_whole_as_gsm7_and_the_preview_counts_its_parts(
    cast: Cast, provider: FakeProvider, client: Client, block: dict[str, Resident]
):
    """Over 160 GSM-7 characters: 2 parts of at most 153, which the provider makes and joins on the phone."""
    text = DUTCH.replace("{first_name}", "Annie")
    assert sms_segments(text) == Segments("GSM-7", len(text), 2)
    assert 160 < len(text) <= 306
    url = f"/berichten/nieuw/?resident={block['sms'].pk}"
    client.force_login(cast.coordinator)
    preview = client.post(url, {"text": DUTCH, "channels": ["sms"], "action": "preview"}).content.decode()
    assert f"Per sms: 2 delen ({len(text)} tekens, GSM-7)" in preview
    assert provider.requests == []
    client.post(url, {"text": DUTCH, "channels": ["sms"], "action": "send"})
    row = OutboundMessage.objects.get()
    assert (row.text, row.status) == (text, OutboundStatus.SENT)
    (request,) = provider.requests
    assert provider.taken[0]["text"] == text  # whole: not cut, not split by us, no character replaced
    # The coding: CM "type": "auto" (with at most 8 parts), Spryng "encoding": "auto", Bird "datacoding": "auto",
    # Twilio no field at all; each then sends this text as GSM-7.
    assert_documented_request(provider.name, request, row)


def _arabic(length: int) -> str:
    """An Arabic text of exactly ``length`` characters (UCS-2, one code unit each), ending in a letter."""
    text = ((ARABIC + " ") * 30)[:length].rstrip()
    return text + "ا" * (length - len(text))


def test_an_arabic_text_of_eight_parts_goes_to_cm_whole(cast: Cast):
    """536 UCS-2 characters is 8 parts of 67: CM.com's most, and the adapter allows it."""
    fake = FakeProvider("cm")
    with FakeProviderServer(fake), override_settings(SMS_BACKEND="cm", SMS_PROVIDER_URL=fake.url, SMS_PROVIDER_KEY=KEY):
        row = _sms(cast, text=_arabic(536))
        assert _deliver(row) == {"sent": 1}
    (taken,) = fake.taken
    assert (taken["text"], taken["maximumNumberOfMessageParts"]) == (_arabic(536), 8)


def test_the_cm_adapter_refuses_a_text_of_more_than_eight_parts_before_sending(cast: Cast):
    """A 580-character Arabic text takes 9 UCS-2 parts: CM.com would refuse or cut it, so it is not sent."""
    fake = FakeProvider("cm")
    with FakeProviderServer(fake), override_settings(SMS_BACKEND="cm", SMS_PROVIDER_URL=fake.url, SMS_PROVIDER_KEY=KEY):
        row = _sms(cast, text=_arabic(580))
        assert _deliver(row) == {"failed": 1}
    row.refresh_from_db()
    assert (row.attempts, fake.requests) == (1, [])
    assert "9 SMS parts" in row.last_error


def test_a_580_character_arabic_sms_is_left_out_with_the_reason_and_the_preview_warns(
    cast: Cast, provider: FakeProvider, client: Client, block: dict[str, Resident]
):
    """Under the 600 characters a text may have, but 9 parts as an SMS: the resident is left out, not sent to."""
    text = _arabic(580)
    client.force_login(cast.coordinator)
    preview = client.post(
        f"/berichten/nieuw/?resident={block['sms'].pk}", {"text": text, "channels": ["sms"], "action": "preview"}
    ).content.decode()
    assert "Te lang voor een sms: de tekst zou meer dan 8 delen nemen." in preview
    assert "De tekst is te lang voor een sms (meer dan 8 delen)" in preview
    message = message_send(
        by=cast.coordinator,
        draft=Draft(text=text, channels=("sms",), resident_ids=(block["sms"].pk, block["sms_b"].pk)),
        base_url=PUBLIC,
    )
    recipients = Recipient.objects.filter(message=message)
    assert {(r.channel, r.left_out_reason, r.outbound_id) for r in recipients} == {("", "sms_too_long", None)}
    assert not OutboundMessage.objects.exists()
    assert provider.requests == []
    page = client.get(f"/berichten/{message.pk}/").content.decode()
    assert "De tekst is te lang voor een sms (meer dan 8 delen)" in page


def test_the_ja_nee_question_counts_towards_the_parts(cast: Cast, block: dict[str, Resident]):
    """500 Arabic characters fit in 8 parts; with the JA/NEE question added they do not."""
    coffee = coffee_morning(cast)
    text = _arabic(500)
    draft = Draft(text=text, channels=("sms",), resident_ids=(block["sms"].pk,), activity_id=coffee.pk)
    sent = Recipient.objects.get(message=message_send(by=cast.coordinator, draft=draft, base_url=PUBLIC))
    assert (sent.channel, sent.left_out_reason) == ("sms", "")
    asking = Draft(**{**draft.__dict__, "ask_yes_no": True})
    left_out = Recipient.objects.get(message=message_send(by=cast.coordinator, draft=asking, base_url=PUBLIC))
    assert (left_out.channel, left_out.left_out_reason) == ("", "sms_too_long")


def test_a_rejected_key_fails_at_once_and_is_not_retried(cast: Cast, provider: FakeProvider):
    with override_settings(SMS_PROVIDER_KEY="wrong"):
        row = _sms(cast)
        assert _deliver(row) == {"failed": 1}
    row.refresh_from_db()
    assert (row.attempts, len(provider.requests), provider.taken) == (1, 1, [])
    assert "401" in row.last_error


def test_5xx_answers_are_retried_with_growing_waits(cast: Cast, provider: FakeProvider):
    provider.script = [(503, ""), (500, "")]
    row = _sms(cast)
    assert _deliver(row) == {"sent": 1}
    row.refresh_from_db()
    assert row.attempts == 3
    first, second, third = (request["at"] for request in provider.requests)
    assert second - first >= 0.05
    assert third - second >= 0.1
    assert len(provider.taken) == 1


def test_a_429_waits_for_its_retry_after(cast: Cast, provider: FakeProvider):
    provider.script = [(429, "1")]
    row = _sms(cast)
    assert _deliver(row) == {"sent": 1}
    first, second = (request["at"] for request in provider.requests)
    assert second - first >= 1.0  # Retry-After: 1, not the 50 ms back-off
    assert len(provider.taken) == 1


def test_a_timeout_after_the_provider_took_the_text_never_sends_it_twice(cast: Cast, provider: FakeProvider):
    provider.script = [("stall", "")]
    row = _sms(cast)
    assert _deliver(row) == {"failed": 1}
    row.refresh_from_db()
    assert len(provider.requests) == 1  # not sent again: the provider has no idempotency key
    assert len(provider.taken) == 1
    assert "not sent again" in row.last_error
    assert _deliver(row) == {"failed": 1}
    assert len(provider.requests) == 1


def test_a_sent_sms_is_never_sent_again(cast: Cast, provider: FakeProvider):
    row = _sms(cast)
    _deliver(row)
    _deliver(row)
    assert len(provider.requests) == 1


# --- delivery reports --------------------------------------------------------------------------------


def bird_jwt(url: str, body: bytes = b"", key: str = BIRD_SIGNING_KEY) -> str:
    """A MessageBird-Signature-JWT as Bird makes it: HS256 over url_hash and payload_hash."""

    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    claims: dict[str, Any] = {
        "iss": "MessageBird",
        "nbf": int(time.time()),
        "exp": int(time.time()) + 60,
        "url_hash": hashlib.sha256(url.encode()).hexdigest(),
    }
    if body:
        claims["payload_hash"] = hashlib.sha256(body).hexdigest()
    signing_input = part({"alg": "HS256", "typ": "JWT"}) + "." + part(claims)
    signature = hmac.new(key.encode(), signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + base64.urlsafe_b64encode(signature).rstrip(b"=").decode()


def _callback(
    client: Client, name: str, kind: str, params: dict[str, str], *, forged: bool = False, token: str = TOKEN
):
    """Call our webhook the way the provider does: GET for CM, Spryng and Bird, a signed POST for Twilio."""
    path = f"/sms/{token}/{kind}/"
    if name == "twilio":
        signature = twilio_signature(PUBLIC + path, params, "guess" if forged else KEY)
        return client.post(path, params, headers={"X-Twilio-Signature": signature})
    full = path + "?" + urllib.parse.urlencode(params)
    if name == "bird":
        jwt = bird_jwt(PUBLIC + full, key="guess" if forged else BIRD_SIGNING_KEY)
        return client.get(full, headers={"MessageBird-Signature-JWT": jwt})
    return client.get(full)


def _report(name: str, row: OutboundMessage, delivered: bool) -> dict[str, str]:
    digits = row.to.removeprefix("+")
    if name == "cm":
        return {"reference": row.reference, "statuscode": "2" if delivered else "3", "to": "00" + digits}
    if name == "spryng":
        return {"ID": row.provider_id, "REFERENCE": row.reference, "STATUS": "10" if delivered else "20"}
    if name == "bird":
        status = "delivered" if delivered else "delivery_failed"
        return {"id": row.provider_id, "reference": row.reference, "recipient": digits, "status": status}
    return {"MessageSid": row.provider_id, "MessageStatus": "delivered" if delivered else "undelivered"}


@pytest.mark.parametrize("delivered", [True, False], ids=["delivered", "failed"])
def test_a_delivery_report_changes_what_the_coordinator_sees(
    cast: Cast, provider: FakeProvider, client: Client, block: dict[str, Resident], delivered: bool
):
    message = message_send(
        by=cast.coordinator,
        draft=Draft(text="Hallo {first_name}", channels=("sms",), resident_ids=(block["sms"].pk,)),
        base_url=PUBLIC,
    )
    (recipient,) = Recipient.objects.filter(message=message)
    row = recipient.outbound
    assert row is not None
    _deliver(row)
    row.refresh_from_db()
    response = _callback(client, provider.name, "rapport", _report(provider.name, row, delivered))
    assert response.status_code == 200
    row.refresh_from_db()
    assert row.status == (OutboundStatus.DELIVERED if delivered else OutboundStatus.FAILED)
    client.force_login(cast.coordinator)
    page = client.get(f"/berichten/{message.pk}/").content.decode()
    with translation.override("nl"):
        assert str(row.get_status_display()) in page


def test_a_report_with_a_bad_signature_or_token_changes_nothing(cast: Cast, provider: FakeProvider, client: Client):
    row = _sms(cast)
    _deliver(row)
    row.refresh_from_db()
    params = _report(provider.name, row, delivered=False)
    bad_token = _callback(client, provider.name, "rapport", params, token="guessed")
    assert bad_token.status_code == 401
    if provider.name in ("bird", "twilio"):  # the providers that sign their callbacks
        assert _callback(client, provider.name, "rapport", params, forged=True).status_code == 401
    row.refresh_from_db()
    assert row.status == OutboundStatus.SENT


def test_a_timed_out_sms_that_cm_did_send_is_marked_delivered_by_its_report(cast: Cast, client: Client):
    fake = FakeProvider("cm", script=[("stall", "")])
    with (
        FakeProviderServer(fake),
        override_settings(
            SMS_BACKEND="cm",
            SMS_PROVIDER_URL=fake.url,
            SMS_PROVIDER_KEY=KEY,
            SMS_WEBHOOK_SECRET=TOKEN,
            SMS_GATEWAY_TIMEOUT_S=0.5,
        ),
    ):
        row = _sms(cast)
        assert _deliver(row) == {"failed": 1}
        assert _callback(client, "cm", "rapport", _report("cm", row, delivered=True)).status_code == 200
    row.refresh_from_db()
    assert (row.status, row.last_error) == (OutboundStatus.DELIVERED, "")


def test_twilio_signature_matches_twilios_documented_example():
    """The example of https://www.twilio.com/docs/usage/security#validating-requests."""
    params = {
        "CallSid": "CA1234567890ABCDE",
        "Caller": "+12349013030",
        "Digits": "1234",
        "From": "+12349013030",
        "To": "+18005551212",
    }
    assert (
        twilio_signature("https://mycompany.com/myapp.php?foo=1&bar=2", params, "12345")
        == "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
    )


# --- replies -----------------------------------------------------------------------------------------


def _inbound(name: str, text: str, number: str = "+31612345678") -> dict[str, str]:
    digits = number.removeprefix("+")
    return {
        "cm": {"from": "00" + digits, "to": "Buurtteam", "message": text},
        "spryng": {"ORIGINATOR": digits, "RECIPIENT": "Buurtteam", "BODY": text},
        "bird": {"originator": digits, "recipient": "Buurtteam", "body": text},
        "twilio": {"From": number, "To": "Buurtteam", "Body": text, "MessageSid": "SM1"},
    }[name]


def _sent_to_annie(cast: Cast, block: dict[str, Resident]) -> Message:
    message = message_send(
        by=cast.coordinator,
        draft=Draft(text="Komt u zaterdag, {first_name}?", channels=("sms",), resident_ids=(block["sms"].pk,)),
        base_url=PUBLIC,
    )
    _deliver(*OutboundMessage.objects.filter(recipient__message=message))
    return message


def test_a_reply_is_noted_on_the_message_and_counts_as_an_answer(
    cast: Cast, provider: FakeProvider, client: Client, block: dict[str, Resident]
):
    message = _sent_to_annie(cast, block)
    response = _callback(client, provider.name, "inkomend", _inbound(provider.name, "Ja, ik kom graag"))
    assert response.status_code == 200
    recipient = Recipient.objects.get(message=message)
    assert recipient.reply == "Ja, ik kom graag"
    assert recipient.replied_at is not None
    assert recipient.answered_at is not None
    block["sms"].refresh_from_db()
    assert block["sms"].consent_sms  # not a stop word
    client.force_login(cast.coordinator)
    assert "Ja, ik kom graag" in client.get(f"/berichten/{message.pk}/").content.decode()


@pytest.mark.parametrize("word", ["STOP", "stop.", "Afmelden", "DUR", "dur", "توقف"])
def test_a_stop_word_withdraws_the_sms_consent_at_once_and_is_confirmed(
    cast: Cast, provider: FakeProvider, client: Client, block: dict[str, Resident], word: str
):
    message = _sent_to_annie(cast, block)
    response = _callback(client, provider.name, "inkomend", _inbound(provider.name, word))
    assert response.status_code == 200
    block["sms"].refresh_from_db()
    assert not block["sms"].consent_sms
    client.force_login(cast.coordinator)  # the coordinator reads it in Dutch, whatever the word was
    page = client.get(f"/berichten/{message.pk}/").content.decode()
    assert "Geen sms meer: toestemming ingetrokken met dit antwoord" in recipient_row(page, block["sms"])
    confirmation = OutboundMessage.objects.filter(to="+31612345678").order_by("-pk").first()
    assert confirmation is not None
    assert "geen sms meer" in confirmation.text
    # The confirmation reaches the provider (the delivery run is queued; run it here).
    _deliver(confirmation)
    assert "geen sms meer" in provider.taken[-1]["text"]


def test_a_forged_reply_changes_nothing(cast: Cast, provider: FakeProvider, client: Client, block: dict[str, Resident]):
    _sent_to_annie(cast, block)
    assert (
        _callback(client, provider.name, "inkomend", _inbound(provider.name, "STOP"), token="guess").status_code == 401
    )
    if provider.name in ("bird", "twilio"):
        assert (
            _callback(client, provider.name, "inkomend", _inbound(provider.name, "STOP"), forged=True).status_code
            == 401
        )
    block["sms"].refresh_from_db()
    assert block["sms"].consent_sms


def test_a_reply_is_in_the_residents_export_and_goes_with_erasure(
    cast: Cast, provider: FakeProvider, client: Client, block: dict[str, Resident]
):
    from veerkracht.messaging.privacy import messaging_erase, messaging_export

    message = _sent_to_annie(cast, block)
    _callback(client, provider.name, "inkomend", _inbound(provider.name, "Ik bel morgen terug"))
    exported = json.dumps(messaging_export(block["sms"]), default=str, ensure_ascii=False)
    assert "Ik bel morgen terug" in exported
    messaging_erase(block["sms"])
    assert Recipient.objects.get(message=message).reply == ""


# --- JA/NEE through each provider's inbound webhook (the rest: tests/messaging/test_yes_no.py) --------------


def test_ja_through_each_providers_inbound_webhook_registers_and_the_coordinator_sees_it(
    cast: Cast, provider: FakeProvider, client: Client, block: dict[str, Resident]
):
    coffee = coffee_morning(cast)
    message = _invite(cast, block["sms"], coffee)
    _deliver(*OutboundMessage.objects.filter(recipient__message=message))
    assert _callback(client, provider.name, "inkomend", _inbound(provider.name, "JA")).status_code == 200
    assert _registration(coffee, block["sms"]) is not None
    client.force_login(cast.coordinator)
    page = client.get(f"/berichten/{message.pk}/").content.decode()
    assert "Aangemeld door het antwoord" in page


def test_nee_through_each_providers_inbound_webhook_cancels_and_the_coordinator_sees_it(
    cast: Cast, provider: FakeProvider, client: Client, block: dict[str, Resident]
):
    coffee = coffee_morning(cast)
    registration_create(activity_id=coffee.pk, mode="online", by=cast.coordinator, resident_id=block["sms"].pk)
    message = _invite(cast, block["sms"], coffee)
    _deliver(*OutboundMessage.objects.filter(recipient__message=message))
    assert _callback(client, provider.name, "inkomend", _inbound(provider.name, "NEE")).status_code == 200
    assert _registration(coffee, block["sms"]) is None
    assert Recipient.objects.get(message=message).reply_outcome == "cancelled"
    confirmation = OutboundMessage.objects.order_by("-pk").first()
    assert confirmation is not None
    assert (confirmation.channel, confirmation.to) == ("sms", "+31612345678")
    assert confirmation.text.startswith("U bent niet meer aangemeld voor Koffie online")
    client.force_login(cast.coordinator)
    page = client.get(f"/berichten/{message.pk}/").content.decode()
    assert "Afgemeld door het antwoord" in page


# --- issue 24's "Done means": a coordinator's message to a segment, there and back --------------------------


def recipient_row(page: str, resident: Resident) -> str:
    """The row of the message page's delivery table for ``resident`` (found by the link to their page)."""
    rows = [row for row in page.split("<tr")[1:] if f'href="/bewoners/{resident.pk}/"' in row]
    assert len(rows) == 1, f"{len(rows)} rows for resident {resident.pk}"
    return rows[0]


def test_a_coordinators_message_to_a_segment_reaches_the_provider_and_its_reports_and_replies_come_back(
    cast: Cast, provider: FakeProvider, client: Client, flats: Building, block: dict[str, Resident]
):
    """Written on the message page to the 75-plus of one block, asking JA or NEE: each SMS reaches the provider in
    its documented format; delivery reports and the replies JA and STOP come back through its webhooks, and the
    coordinator sees each of them on the message page."""
    annie, wim = block["sms"], block["sms_b"]
    joke = live_in(flats, "B", first_name="Joke", birth_year=1941, phone="06-33333333", consent_sms=True)
    coffee = coffee_morning(cast)
    form = {
        "building": "1234 AB 12",
        "marker": "aged_75_plus",
        "activity": coffee.pk,
        "ask_yes_no": "on",
        "channels": ["sms"],
        "text": "Hallo {first_name}, komt u naar {activity}?",
    }
    client.force_login(cast.coordinator)
    preview = client.post("/berichten/nieuw/", {**form, "action": "preview"}).content.decode()
    assert "Sms: 3" in preview
    assert provider.requests == []
    sent = client.post("/berichten/nieuw/", {**form, "action": "send"})
    message = Message.objects.get()
    message_page = f"/berichten/{message.pk}/"
    assert (sent.status_code, sent["Location"]) == (302, message_page)

    # Sent: once each, in the provider's format (Sanne is under 75, Bep has a landline, the others no SMS consent).
    rows = {r.resident_id: r.outbound for r in Recipient.objects.filter(message=message).select_related("outbound")}
    sms = {pk: row for pk, row in rows.items() if row is not None}
    assert set(sms) == {annie.pk, wim.pk, joke.pk}
    assert sms[annie.pk].text.startswith("Hallo Annie, komt u naar Koffie online?")
    assert "Antwoord JA om u aan te melden of NEE als u niet kunt komen." in sms[annie.pk].text
    assert len(provider.requests) == 3
    by_text = {row.text: row for row in sms.values()}
    for request, taken in zip(provider.requests, provider.taken, strict=True):
        assert_documented_request(provider.name, request, by_text[taken["text"]])
    assert {row.status for row in sms.values()} == {OutboundStatus.SENT}
    page = client.get(message_page).content.decode()
    assert all("Verstuurd" in recipient_row(page, resident) for resident in (annie, wim, joke))

    # Delivery reports through the provider's webhook.
    for resident, delivered in ((annie, True), (wim, True), (joke, False)):
        report = _report(provider.name, sms[resident.pk], delivered)
        assert _callback(client, provider.name, "rapport", report).status_code == 200
    page = client.get(message_page).content.decode()
    assert "Afgeleverd" in recipient_row(page, annie)
    assert "Afgeleverd" in recipient_row(page, wim)
    assert "Mislukt" in recipient_row(page, joke)
    assert "Verstuurd" not in recipient_row(page, annie)

    # Replies through the provider's inbound webhook: Annie's JA registers her, Wim's STOP ends his SMS.
    annie_number, wim_number = sms[annie.pk].to, sms[wim.pk].to
    assert (annie_number, wim_number) == ("+31612345678", "+31687654321")
    assert _callback(client, provider.name, "inkomend", _inbound(provider.name, "JA", annie_number)).status_code == 200
    assert _registration(coffee, annie) is not None
    assert _callback(client, provider.name, "inkomend", _inbound(provider.name, "STOP", wim_number)).status_code == 200
    wim.refresh_from_db()
    annie.refresh_from_db()
    assert (wim.consent_sms, annie.consent_sms) == (False, True)
    stop_confirmation = OutboundMessage.objects.filter(to=wim_number).order_by("-pk").first()
    assert stop_confirmation is not None
    assert "geen sms meer" in stop_confirmation.text
    assert_documented_request(provider.name, provider.requests[-1], stop_confirmation)  # it went out at once
    page = client.get(message_page).content.decode()
    assert "Antwoord: “JA” · Aangemeld door het antwoord" in recipient_row(page, annie)
    assert "Antwoord: “STOP”" in recipient_row(page, wim)
    assert "Geen sms meer: toestemming ingetrokken met dit antwoord" in recipient_row(page, wim)
    assert "Geen sms meer" not in recipient_row(page, annie)
