"""WhatsApp (the channel "app") through CM.com and Twilio, against the local fakes (messaging/providers.py).

The request and response shapes tested here follow the providers' documentation:
- CM.com, https://developers.cm.com/messaging/docs/whatsapp-templates: the Business Messaging message with
  ``"allowedChannels": ["WhatsApp"]``; outside the 24-hour window ``richContent.conversation[0].template.whatsapp``
  = ``{"namespace", "element_name", "language": {"policy": "deterministic", "code"}, "components": [{"type":
  "body", "parameters": [{"type": "text", "text"}]}]}``; the answer as for SMS (``{"details": "Created 1
  message(s)", "errorCode": 0, "messages": [{"to", "status": "Accepted", "reference", "parts"}]}``). Inbound
  (MO) messages are JSON ``{"reference", "from": {"number", "name"}, "to": {"number"}, "message": {"text"}, "groupings",
  "timeUtc", "channel": "WhatsApp", "messageContext"}`` (https://developers.cm.com/messaging/docs/incoming-messages);
  reports JSON ``{"messages": {"msg": {"received", "to", "reference", "status": {"code", "errorCode",
  "errorDescription"}, "operator"}}}`` (https://developers.cm.com/messaging/docs/incoming-status-report).
- Twilio, https://www.twilio.com/docs/content/send-templates-created-with-the-content-template-builder and
  https://www.twilio.com/en-us/changelog/content-templates-messaging-services-optional: ``To=whatsapp:+31...``,
  ``From=whatsapp:+31...``, ``ContentSid=HX...`` and ``ContentVariables={"1": "..."}`` instead of ``Body``;
  the answer 201 ``{"sid": "SM...", "status": "queued"}``; inbound and status callbacks as for SMS, with
  ``From=whatsapp:+31...``, signed with ``X-Twilio-Signature``.
"""

import json
from collections.abc import Iterator

import pytest
from django.test import Client, override_settings

from tests.conftest import Cast
from tests.messaging.conftest import live_in
from tests.messaging.providers import KEY, TWILIO_SID, FakeProvider, FakeProviderServer
from tests.messaging.test_providers import recipient_row
from tests.messaging.test_yes_no import _registration, coffee_morning
from veerkracht.activities.models import Activity
from veerkracht.activities.services import registration_create
from veerkracht.core.models import OutboundMessage, OutboundStatus
from veerkracht.messaging.delivery import outbox_deliver, whatsapp_window_open
from veerkracht.messaging.models import Message, Recipient
from veerkracht.messaging.provider_webhooks import twilio_signature
from veerkracht.messaging.services import Draft, message_send
from veerkracht.people.models import Building, Resident

TOKEN = "hook-token-3f9a"
PUBLIC = "https://veerkracht.example"
BUSINESS_NUMBER = "+31 97 010 2030"
CM_TEMPLATE, CM_NAMESPACE = "veerkracht_bericht", "c0ffee00_1234_5678_9abc_def012345678"
TWILIO_CONTENT_SID = "HX0123456789abcdef0123456789abcdef"
FATMA = "+31623456789"


@pytest.fixture(params=("cm", "twilio"))
def provider(request: pytest.FixtureRequest) -> Iterator[FakeProvider]:
    fake = FakeProvider(request.param)
    with (
        FakeProviderServer(fake),
        override_settings(
            SMS_BACKEND=request.param,
            SMS_PROVIDER_URL=fake.url,
            SMS_PROVIDER_KEY=KEY,
            SMS_TWILIO_ACCOUNT_SID=TWILIO_SID,
            SMS_SENDER="Buurtteam",
            SMS_WEBHOOK_SECRET=TOKEN,
            SMS_PUBLIC_URL=PUBLIC,
            SMS_GATEWAY_TIMEOUT_S=0.5,
            MESSAGE_RETRY_BACKOFF_MS=50,
            MESSAGE_SEND_ATTEMPTS=4,
            WHATSAPP_SENDER=BUSINESS_NUMBER,
            WHATSAPP_TEMPLATE=CM_TEMPLATE if request.param == "cm" else TWILIO_CONTENT_SID,
            WHATSAPP_TEMPLATE_NAMESPACE=CM_NAMESPACE if request.param == "cm" else "",
        ),
    ):
        yield fake


@pytest.fixture
def fatma(flats: Building) -> Resident:
    """WhatsApp and SMS consent, one mobile number."""
    return live_in(flats, first_name="Fatma", phone="06-23456789", consent_app=True, consent_sms=True)


def _send(cast: Cast, resident: Resident, text: str = "Hallo {first_name}, komt u zaterdag?") -> OutboundMessage:
    message = message_send(
        by=cast.coordinator,
        draft=Draft(text=text, channels=("app", "sms"), resident_ids=(resident.pk,)),
        base_url=PUBLIC,
    )
    recipient = Recipient.objects.get(message=message)
    assert recipient.channel == "app"
    assert recipient.outbound is not None
    return recipient.outbound


def _deliver(*rows: OutboundMessage) -> dict[str, int]:
    return outbox_deliver([row.pk for row in rows], lambda percent: None)


def _inbound(client: Client, provider: FakeProvider, text: str, *, forged: bool = False, token: str = TOKEN):
    """Fatma writes by WhatsApp: CM posts JSON, Twilio a signed form with a whatsapp: sender.

    Her message opens the 24-hour window at the provider first, whatever our webhook then makes of it.
    """
    provider.whatsapp_window.add(FATMA)
    path = f"/sms/{token}/inkomend/"
    if provider.name == "cm":
        # The fields CM.com documents for an incoming message, written out here (not copied): "Incoming
        # Messages", https://developers.cm.com/messaging/docs/incoming-messages (from, to, message, reference,
        # groupings: exactly three strings, timeUtc as yyyy-MM-ddTHH:mm:ss, channel, messageContext), with the
        # numbers in the "+31..." form of the WhatsApp examples, https://developers.cm.com/messaging/docs/whatsapp-inbound.
        body = {
            "reference": "5b1f2c3d-0000-4000-8000-00000000cafe",
            "from": {"number": FATMA, "name": "Fatma"},
            "to": {"number": "+31970102030"},
            "message": {"text": text, "custom": {}},
            "groupings": ["", "", ""],
            "timeUtc": "2026-06-17T08:00:00",
            "channel": "WhatsApp",
            "messageContext": "",
        }
        return client.post(path, json.dumps(body), content_type="application/json")
    params = {"From": "whatsapp:" + FATMA, "To": "whatsapp:+31970102030", "Body": text, "MessageSid": "SMin1"}
    signature = twilio_signature(PUBLIC + path, params, "guess" if forged else KEY)
    return client.post(path, params, headers={"X-Twilio-Signature": signature})


def _report(client: Client, name: str, row: OutboundMessage, status: str, *, forged: bool = False, token: str = TOKEN):
    path = f"/sms/{token}/rapport/"
    if name == "cm":
        # The JSON status report CM.com documents, written out here (not copied): "Incoming Status Reports",
        # https://developers.cm.com/messaging/docs/incoming-status-report: messages.msg with received, to,
        # reference, status {code, errorCode, errorDescription} and operator; no channel (the reference names
        # the message). The codes are those of messaging/provider_webhooks.CM_STATUS; that page's excerpt as
        # found gives the shape only, so "4" for read on WhatsApp is not confirmed by it.
        code = {"delivered": "2", "read": "4", "failed": "3"}[status]
        msg = {
            "received": "2026-06-17T08:00:05",
            "to": "0031623456789",
            "reference": row.reference,
            "status": {"code": code, "errorCode": "", "errorDescription": ""},
            "operator": "",
        }
        return client.post(path, json.dumps({"messages": {"msg": msg}}), content_type="application/json")
    params = {
        "MessageSid": row.provider_id,
        "MessageStatus": status,
        "ChannelPrefix": "whatsapp",
        "To": "whatsapp:" + FATMA,
    }
    signature = twilio_signature(PUBLIC + path, params, "guess" if forged else KEY)
    return client.post(path, params, headers={"X-Twilio-Signature": signature})


def test_outside_the_window_the_message_goes_as_the_approved_template(cast: Cast, provider: FakeProvider, fatma):
    row = _send(cast, fatma)
    assert row.to == FATMA
    assert _deliver(row) == {"sent": 1}
    (request,) = provider.requests
    body = request["body"]
    text = "Hallo Fatma, komt u zaterdag?"
    if provider.name == "cm":
        msg = body["messages"]["msg"][0]
        assert body["messages"]["authentication"] == {"productToken": KEY}
        assert msg["allowedChannels"] == ["WhatsApp"]
        assert msg["from"] == "0031970102030"
        assert msg["to"] == [{"number": "0031623456789"}]
        assert msg["reference"] == row.reference
        assert msg["richContent"] == {
            "conversation": [
                {
                    "template": {
                        "whatsapp": {
                            "namespace": CM_NAMESPACE,
                            "element_name": CM_TEMPLATE,
                            "language": {"policy": "deterministic", "code": "nl"},
                            "components": [{"type": "body", "parameters": [{"type": "text", "text": text}]}],
                        }
                    }
                }
            ]
        }
    else:
        assert body == {
            "To": "whatsapp:" + FATMA,
            "From": "whatsapp:+31970102030",
            "ContentSid": TWILIO_CONTENT_SID,
            "ContentVariables": json.dumps({"1": text}),
            "StatusCallback": f"{PUBLIC}/sms/{TOKEN}/rapport/",
        }
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 1)


TWILIO_CONTENT_SID_TR = "HX11111111111111111111111111111111"
TWILIO_CONTENT_SID_AR = "HX22222222222222222222222222222222"


def _template_languages(provider: FakeProvider) -> list[str]:
    # CM.com: the one element_name, approved in Turkish and Arabic too; Twilio: a Content template per language.
    return ["tr", "ar"] if provider.name == "cm" else [f"tr={TWILIO_CONTENT_SID_TR}", f"ar={TWILIO_CONTENT_SID_AR}"]


def _template_language(provider: FakeProvider) -> str:
    """The language of the template the provider was asked for: CM's code, or the language of Twilio's ContentSid."""
    body = provider.requests[-1]["body"]
    if provider.name == "cm":
        whatsapp = body["messages"]["msg"][0]["richContent"]["conversation"][0]["template"]["whatsapp"]
        assert whatsapp["element_name"] == CM_TEMPLATE
        assert whatsapp["language"]["policy"] == "deterministic"
        return str(whatsapp["language"]["code"])
    sids = {TWILIO_CONTENT_SID: "nl", TWILIO_CONTENT_SID_TR: "tr", TWILIO_CONTENT_SID_AR: "ar"}
    assert "Body" not in body
    return sids[body["ContentSid"]]


@pytest.mark.parametrize(
    ("languages", "expected", "opening"),
    [(["tr"], "tr", "Merhaba Fatma"), (["pl", "ar"], "ar", "مرحبًا Fatma"), (["pl"], "nl", "Hallo Fatma")],
)
def test_a_template_goes_in_the_approved_template_of_the_texts_language(
    cast: Cast, provider: FakeProvider, fatma, languages: list[str], expected: str, opening: str
):
    """The text's language (core/text_language.language_for) chooses the WhatsApp template; else the Dutch one."""
    fatma.languages = languages
    fatma.save()
    with override_settings(WHATSAPP_TEMPLATE_LANGUAGES=_template_languages(provider)):
        message = message_send(
            by=cast.coordinator,
            draft=Draft(template="check_in", channels=("app",), resident_ids=(fatma.pk,)),
            base_url=PUBLIC,
        )
        row = Recipient.objects.get(message=message).outbound
        assert row is not None
        assert row.language == expected
        assert _deliver(row) == {"sent": 1}
    assert _template_language(provider) == expected
    body = provider.requests[-1]["body"]
    text = json.dumps(body, ensure_ascii=False)
    assert opening in text


def test_without_a_template_in_the_texts_language_the_dutch_one_carries_it(cast: Cast, provider: FakeProvider, fatma):
    fatma.languages = ["tr"]
    fatma.save()
    row = _send(cast, fatma, "Merhaba {first_name}")  # the writer's own words: Dutch as far as templates go
    assert row.language == "nl"
    with override_settings(WHATSAPP_TEMPLATE_LANGUAGES=_template_languages(provider)):
        assert _deliver(row) == {"sent": 1}
    assert _template_language(provider) == "nl"
    fatma_tr = _send(cast, fatma, "x")
    OutboundMessage.objects.filter(pk=fatma_tr.pk).update(language="tr")
    fatma_tr.refresh_from_db()
    assert _deliver(fatma_tr) == {"sent": 1}  # no Turkish template configured: the Dutch one
    assert _template_language(provider) == "nl"


def test_the_stop_confirmation_by_whatsapp_is_turkish_for_a_turkish_resident(
    cast: Cast, provider: FakeProvider, fatma, client: Client
):
    fatma.languages = ["tr"]
    fatma.save()
    _deliver(_send(cast, fatma))
    assert _inbound(client, provider, "DUR").status_code == 200
    confirmation = OutboundMessage.objects.order_by("-pk").first()
    assert confirmation is not None
    assert confirmation.channel == "app"
    assert confirmation.language == "tr"
    assert confirmation.text.startswith("Artık ")
    assert "WhatsApp mesajı almayacaksınız" in confirmation.text


def test_inside_the_window_free_text_goes_and_arabic_stays_whole(
    cast: Cast, provider: FakeProvider, fatma, client: Client
):
    _deliver(_send(cast, fatma))
    assert _inbound(client, provider, "Ja, graag").status_code == 200
    arabic = "مرحبا فاطمة، هل تأتين يوم السبت إلى المركز؟ " * 4
    row = _send(cast, fatma, arabic)
    assert _deliver(row) == {"sent": 1}
    body = provider.requests[-1]["body"]
    if provider.name == "cm":
        msg = body["messages"]["msg"][0]
        assert msg["allowedChannels"] == ["WhatsApp"]
        assert "richContent" not in msg
        assert msg["body"] == {"type": "auto", "content": arabic.strip()}
    else:
        assert body["Body"] == arabic.strip()
        assert "ContentSid" not in body
        assert body["To"] == "whatsapp:" + FATMA


def test_a_sent_whatsapp_message_is_never_sent_again(cast: Cast, provider: FakeProvider, fatma):
    row = _send(cast, fatma)
    assert _deliver(row) == {"sent": 1}
    assert _deliver(row) == {"sent": 1}
    assert len(provider.taken) == 1


def test_5xx_and_429_are_retried_with_back_off_and_sent_once(cast: Cast, provider: FakeProvider, fatma):
    provider.script = [(503, ""), (429, "1")]
    row = _send(cast, fatma)
    assert _deliver(row) == {"sent": 1}
    first, second, third = (request["at"] for request in provider.requests)
    assert second - first >= 0.05
    assert third - second >= 1.0  # Retry-After: 1
    assert len(provider.taken) == 1
    row.refresh_from_db()
    assert row.attempts == 3


def test_a_rejected_key_fails_at_once_and_is_not_retried(
    cast: Cast, provider: FakeProvider, fatma: Resident, client: Client
):
    """A 401 is no passing trouble: the message fails at its first attempt and the coordinator sees it failed."""
    with override_settings(SMS_PROVIDER_KEY="wrong"):
        row = _send(cast, fatma)  # the delivery run goes at once (the tests run tasks at once)
        assert _deliver(row) == {"failed": 1}  # and a second run does not try it again
    row.refresh_from_db()
    assert (row.status, row.attempts, len(provider.requests), provider.taken) == (OutboundStatus.FAILED, 1, 1, [])
    assert "401" in row.last_error
    message = Recipient.objects.get(outbound=row).message
    client.force_login(cast.coordinator)
    assert "Mislukt" in recipient_row(client.get(f"/berichten/{message.pk}/").content.decode(), fatma)


def test_a_timeout_after_the_provider_took_it_is_not_sent_again(cast: Cast, provider: FakeProvider, fatma):
    provider.script = [("stall", "")]
    row = _send(cast, fatma)
    assert _deliver(row) == {"failed": 1}
    assert len(provider.taken) == 1
    row.refresh_from_db()
    assert "not sent again" in row.last_error


@pytest.mark.parametrize("status", ["delivered", "read"])
def test_a_status_callback_marks_it_delivered(cast: Cast, provider: FakeProvider, fatma, client: Client, status: str):
    row = _send(cast, fatma)
    _deliver(row)
    row.refresh_from_db()
    assert _report(client, provider.name, row, status).status_code == 200
    row.refresh_from_db()
    assert row.status == OutboundStatus.DELIVERED


def test_a_failed_status_callback_marks_it_failed(cast: Cast, provider: FakeProvider, fatma, client: Client):
    row = _send(cast, fatma)
    _deliver(row)
    row.refresh_from_db()
    assert row.status == OutboundStatus.SENT
    assert _report(client, provider.name, row, "failed").status_code == 200
    row.refresh_from_db()
    assert row.status == OutboundStatus.FAILED
    assert row.delivered_at is None


@pytest.mark.parametrize(
    ("status", "shown"), [("delivered", "Afgeleverd"), ("read", "Afgeleverd"), ("failed", "Mislukt")]
)
def test_a_status_callback_changes_what_the_coordinator_sees_on_the_message_page(
    cast: Cast, provider: FakeProvider, fatma: Resident, client: Client, status: str, shown: str
):
    row = _send(cast, fatma)
    message = Recipient.objects.get(outbound=row).message
    row.refresh_from_db()
    client.force_login(cast.coordinator)
    before = recipient_row(client.get(f"/berichten/{message.pk}/").content.decode(), fatma)
    assert "WhatsApp" in before
    assert "Verstuurd" in before
    assert _report(client, provider.name, row, status).status_code == 200
    after = recipient_row(client.get(f"/berichten/{message.pk}/").content.decode(), fatma)
    assert shown in after
    assert "Verstuurd" not in after


def test_a_status_callback_without_token_or_signature_changes_nothing(
    cast: Cast, provider: FakeProvider, fatma, client: Client
):
    row = _send(cast, fatma)
    _deliver(row)
    row.refresh_from_db()
    assert _report(client, provider.name, row, "failed", token="guessed").status_code == 401
    if provider.name == "twilio":
        assert _report(client, provider.name, row, "failed", forged=True).status_code == 401
    row.refresh_from_db()
    assert row.status == OutboundStatus.SENT


def test_a_reply_is_noted_and_opens_the_window(cast: Cast, provider: FakeProvider, fatma, client: Client):
    row = _send(cast, fatma)
    _deliver(row)
    assert _inbound(client, provider, "Ik kom!").status_code == 200
    recipient = Recipient.objects.get(outbound=row)
    assert (recipient.reply, recipient.answered_at is not None) == ("Ik kom!", True)
    assert whatsapp_window_open(FATMA)


@pytest.mark.parametrize("word", ["STOP", "Afmelden", "DUR", "توقف"])
def test_stop_by_whatsapp_withdraws_the_app_consent_only_and_is_confirmed(
    cast: Cast, provider: FakeProvider, fatma, client: Client, word: str
):
    invitation = _send(cast, fatma)
    _deliver(invitation)
    assert _inbound(client, provider, word).status_code == 200
    fatma.refresh_from_db()
    assert not fatma.consent_app
    assert fatma.consent_sms  # STOP by WhatsApp ends WhatsApp, not SMS
    client.force_login(cast.coordinator)
    page = client.get(f"/berichten/{Recipient.objects.get(outbound=invitation).message_id}/").content.decode()
    assert "Geen WhatsApp meer: toestemming ingetrokken met dit antwoord" in recipient_row(page, fatma)
    confirmation = OutboundMessage.objects.order_by("-pk").first()
    assert confirmation is not None
    assert (confirmation.channel, confirmation.to) == ("app", FATMA)
    assert "geen WhatsApp-berichten meer" in confirmation.text
    # The delivery run queued with it has sent it (the tests run tasks at once); once, as free text.
    assert _deliver(confirmation) == {"sent": 1}
    assert len(provider.taken) == 2
    sent = provider.requests[-1]["body"]
    # The resident just wrote: the window is open and the confirmation goes as free text.
    assert "richContent" not in json.dumps(sent)
    assert "ContentSid" not in sent


def test_a_forged_whatsapp_reply_changes_nothing(cast: Cast, provider: FakeProvider, fatma, client: Client):
    _deliver(_send(cast, fatma))
    assert _inbound(client, provider, "STOP", token="guess").status_code == 401
    if provider.name == "twilio":
        assert _inbound(client, provider, "STOP", forged=True).status_code == 401
    fatma.refresh_from_db()
    assert fatma.consent_app


def test_without_a_whatsapp_number_the_message_waits(cast: Cast, provider: FakeProvider, fatma):
    with override_settings(WHATSAPP_SENDER=""):
        row = _send(cast, fatma)
        assert _deliver(row) == {"queued": 1}
    assert provider.requests == []


def test_the_app_consent_decides_the_channel(cast: Cast, flats: Building):
    only_sms = live_in(flats, first_name="Joop", phone="0634567890", consent_sms=True)
    no_mobile = live_in(flats, first_name="Rika", phone="020 123 4567", consent_app=True)
    message = message_send(
        by=cast.coordinator,
        draft=Draft(text="Hallo", channels=("app", "sms"), resident_ids=(only_sms.pk, no_mobile.pk)),
        base_url=PUBLIC,
    )
    channels = {r.resident_id: (r.channel, r.left_out_reason) for r in Recipient.objects.filter(message=message)}
    # The reason names the channel that lacked a number: WhatsApp here, not SMS (issue 24).
    assert channels == {only_sms.pk: ("sms", ""), no_mobile.pk: ("", "no_whatsapp_mobile")}


def _ask_by_whatsapp(cast: Cast, resident: Resident, activity: Activity) -> tuple[Message, OutboundMessage]:
    """An invitation by WhatsApp that asks for JA or NEE, delivered; the message and its outbox row."""
    draft = Draft(
        text="Komt u, {first_name}?",
        channels=("app",),
        resident_ids=(resident.pk,),
        activity_id=activity.pk,
        ask_yes_no=True,
    )
    message = message_send(by=cast.coordinator, draft=draft, base_url=PUBLIC)
    invitation = Recipient.objects.get(message=message).outbound
    assert invitation is not None
    assert invitation.channel == "app"
    _deliver(invitation)
    return message, invitation


def test_ja_by_whatsapp_registers_and_is_confirmed_by_whatsapp_not_sms(
    cast: Cast, provider: FakeProvider, flats: Building, client: Client
):
    """A resident who consented to WhatsApp only must get no SMS: the confirmation goes the way she answered."""
    only_app = live_in(flats, first_name="Fatma", phone="06-23456789", consent_app=True)
    coffee = coffee_morning(cast)
    message, invitation = _ask_by_whatsapp(cast, only_app, coffee)
    assert _inbound(client, provider, "JA").status_code == 200
    assert Recipient.objects.get(message=message).reply_outcome == "registered"
    confirmation = OutboundMessage.objects.order_by("-pk").first()
    assert confirmation is not None
    assert confirmation.pk != invitation.pk
    assert (confirmation.channel, confirmation.to) == ("app", FATMA)
    assert confirmation.text.startswith("U bent aangemeld voor Koffie online op ")
    assert not OutboundMessage.objects.filter(channel="sms").exists()


def test_nee_by_whatsapp_cancels_and_is_confirmed_by_whatsapp_not_sms(
    cast: Cast, provider: FakeProvider, flats: Building, client: Client
):
    only_app = live_in(flats, first_name="Fatma", phone="06-23456789", consent_app=True)
    coffee = coffee_morning(cast)
    registration_create(activity_id=coffee.pk, mode="online", by=cast.coordinator, resident_id=only_app.pk)
    message, _invitation = _ask_by_whatsapp(cast, only_app, coffee)
    assert _inbound(client, provider, "NEE").status_code == 200
    assert _registration(coffee, only_app) is None
    assert Recipient.objects.get(message=message).reply_outcome == "cancelled"
    confirmation = OutboundMessage.objects.order_by("-pk").first()
    assert confirmation is not None
    assert (confirmation.channel, confirmation.to) == ("app", FATMA)
    assert confirmation.text.startswith("U bent niet meer aangemeld voor Koffie online")
    assert not OutboundMessage.objects.filter(channel="sms").exists()
