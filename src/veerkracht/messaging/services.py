"""Writes of messages: send to residents by their consented channel, note an answer, apply a delivery report.

Sending writes everything in one transaction: the message, a recipient per resident (with channel
or reason), an outbox row per SMS or e-mail with the text filled in for that resident, a Contact
(an attempt, ``reached=False``) in each resident's log, and a queued delivery run. The run starts
after the commit in the worker, so nothing is sent for a message that was not saved.
"""

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from veerkracht.activities.models import Activity
from veerkracht.contacts.services import contact_answered, contact_attempts_log
from veerkracht.core import pdffonts
from veerkracht.core.access import Capability, can, organisation_id_of, within_organisation
from veerkracht.core.channels import Channel
from veerkracht.core.exceptions import NotFound
from veerkracht.core.models import Organisation, OutboundMessage, OutboundStatus, Team, User
from veerkracht.core.outbox import outbox_deliver_start
from veerkracht.messaging.audience import Planned, Segment, audience, message_plan
from veerkracht.messaging.languages import language_for, template_in
from veerkracht.messaging.models import MAX_TEXT, LeftOutReason, Message, Recipient, SendChannel
from veerkracht.messaging.phones import mobile_e164
from veerkracht.messaging.segments import sms_fits
from veerkracht.messaging.selectors import messages_visible_to
from veerkracht.messaging.unsubscribe import unsubscribe_url
from veerkracht.messaging.wording import (
    PLACEHOLDER,
    activity_facts,
    placeholders_check,
    render,
    template_texts,
    when_text,
    wording_of,
)
from veerkracht.messaging.yes_no import yes_no_question
from veerkracht.people.models import Resident

CONTACT_CHANNEL = {
    SendChannel.SMS: Channel.MESSAGING,
    SendChannel.APP: Channel.MESSAGING,
    SendChannel.EMAIL: Channel.EMAIL,
}
BY_OUTBOX = (SendChannel.SMS, SendChannel.APP, SendChannel.EMAIL)  # a letter is printed, not sent


@dataclass(frozen=True)
class Draft:
    """What the writer chose: the words, the channels in order of preference, and who."""

    text: str = ""
    template: str = ""
    subject: str = ""
    channels: tuple[str, ...] = (SendChannel.SMS, SendChannel.EMAIL, SendChannel.LETTER)
    resident_ids: tuple[int, ...] = ()
    segment: Segment | None = None
    activity_id: int | None = None
    ask_yes_no: bool = False  # the SMS asks for JA or NEE, which registers or cancels (messaging.yes_no)
    team_id: int | None = None  # sent on behalf of this team of the sender: answers go to the team's address


def _activity(by: User, activity_id: int | None) -> Activity | None:
    if activity_id is None:
        return None
    activities = Activity.objects.select_related("place").prefetch_related("texts")  # titles per language
    activity = within_organisation(activities, by).filter(pk=activity_id).first()
    if activity is None:
        raise ValidationError({"activity_id": _("Choose an activity of your own organisation.")})
    return activity


def _words(draft: Draft, *, event: bool, own: bool = False) -> tuple[str, str]:
    subject, text = (draft.subject, draft.text)
    if draft.template and not text.strip():
        template_subject, text = template_texts(draft.template, own=own)
        subject = subject or template_subject
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write a text or choose a template.")})
    if len(text) > MAX_TEXT:
        raise ValidationError({"text": _("Keep the text under %(max)s characters.") % {"max": MAX_TEXT}})
    placeholders_check(text + " " + subject, event=event)
    return subject.strip()[:150], text


@dataclass(frozen=True)
class Prepared:
    subject: str
    text: str
    activity: Activity | None
    planned: list[Planned]
    asks_yes_no: bool = False
    template: str = ""  # the ready-made template the text came from: it goes out in each resident's language
    moment: datetime | None = None  # what {when} is, written in each resident's language (without an activity)

    def sms_text(self) -> str:
        """The text as an SMS carries it: with the JA/NEE question when the writer asked for one."""
        return f"{self.text}\n{yes_no_question()}" if self.asks_yes_no else self.text

    @property
    def needs_subject(self) -> bool:
        """An e-mail without a subject is not sent: the preview warns, sending refuses."""
        return not self.subject and any(planned.channel == SendChannel.EMAIL for planned in self.planned)


def message_prepare(
    *, by: User, draft: Draft, facts: dict[str, str] | None = None, moment: datetime | None = None
) -> Prepared:
    """Check a draft and plan its recipients without writing anything: what the preview shows.

    ``facts`` come from the application's own messages (video calls), which may use its own wordings.
    """
    if not can(by, Capability.SEND_MESSAGES):
        raise ValidationError(_("You cannot send messages to residents."))
    activity = _activity(by, draft.activity_id)
    if draft.ask_yes_no and (activity is None or not activity.registration_required):
        raise ValidationError({"ask_yes_no": _("Choose an activity that takes registrations to ask for JA or NEE.")})
    subject, text = _words(draft, event=activity is not None or facts is not None, own=facts is not None)
    residents = audience(by, resident_ids=list(draft.resident_ids), segment=draft.segment)
    planned = message_plan(residents, list(draft.channels)).planned
    template = draft.template if draft.template and not draft.text.strip() else ""
    return Prepared(subject, text, activity, planned, asks_yes_no=draft.ask_yes_no, template=template, moment=moment)


def _facts(by: User, activity: Activity | None, base_url: str, extra: dict[str, str] | None) -> dict[str, str]:
    organisation = by.organisation.name if by.organisation else ""
    facts = {"organisation": organisation}
    if activity is not None:
        facts |= activity_facts(activity, base_url)
    return facts | (extra or {})


def _address(planned: Planned) -> str:
    if planned.channel in (SendChannel.SMS, SendChannel.APP):
        return mobile_e164(planned.resident.phone) or planned.resident.phone
    return planned.resident.email


@transaction.atomic
def message_send(
    *,
    by: User,
    draft: Draft,
    base_url: str,
    facts: dict[str, str] | None = None,
    moment: datetime | None = None,
) -> Message:
    """Send a message to residents in scope, each by the channel they consented to; others are left out.

    ``moment`` is the time ``{when}`` names when there is no activity (a video call's), so that it is
    written in each resident's language with the rest of a template."""
    prepared = message_prepare(by=by, draft=draft, facts=facts, moment=moment)
    if prepared.needs_subject:
        raise ValidationError({"subject": _("Write a subject: some residents get this message by e-mail.")})
    reply_to = reply_address(by, draft.team_id)  # checked before anything is written
    known = _facts(by, prepared.activity, base_url, facts)
    prepared = _sms_too_long_left_out(prepared, known)
    message = Message.objects.create(
        organisation_id=organisation_id_of(by),
        sent_by=by,
        subject=prepared.subject,
        text=prepared.text,
        template=draft.template,
        activity=prepared.activity,
        segment=draft.segment.as_json() if draft.segment else {"resident_ids": sorted(draft.resident_ids)},
        channels=list(dict.fromkeys(draft.channels)),
        asks_yes_no=prepared.asks_yes_no,
    )
    now = timezone.now()
    outbound = _outbound(message, prepared, known, _headers(reply_to, draft, prepared, base_url))
    contacts = _contacts(by, prepared.planned, now)
    Recipient.objects.bulk_create(
        Recipient(
            message=message,
            resident=planned.resident,
            channel=planned.channel,
            left_out_reason=planned.reason,
            outbound=outbound.get(planned.resident.pk),
            contact=contacts.get(planned.resident.pk),
        )
        for planned in prepared.planned
    )
    if outbound:
        message.task_run = outbox_deliver_start(
            organisation=message.organisation, by=by, outbound_ids=[row.pk for row in outbound.values()]
        )
        message.save(update_fields=["task_run"])
    return message


@dataclass(frozen=True)
class MailHeaders:
    """What an e-mail carries besides its words: who answers are for, and whether it is bulk."""

    reply_to: str
    base_url: str
    bulk: bool


def reply_address(by: User, team_id: int | None) -> str:
    """Where answers go: the sender, or the team they send for (one of their own teams, with an address)."""
    if team_id is None:
        return by.email
    team = within_organisation(Team.objects.filter(pk=team_id, members=by), by).first()
    if team is None:
        raise ValidationError({"team_id": _("Choose one of your own teams.")})
    if not team.email:
        raise ValidationError(
            {"team_id": _("Team %(name)s has no e-mail address yet: a coordinator sets it on the team's page.")
             % {"name": team.name}}
        )  # fmt: skip
    return team.email


def _headers(reply_to: str, draft: Draft, prepared: Prepared, base_url: str) -> MailHeaders:
    # Bulk: a segment, or several residents at once; a worker's message to one resident is personal mail.
    by_email = sum(planned.channel == SendChannel.EMAIL for planned in prepared.planned)
    return MailHeaders(reply_to=reply_to, base_url=base_url, bulk=draft.segment is not None or by_email > 1)


def _email_fields(planned: Planned, headers: MailHeaders) -> dict[str, str]:
    if planned.channel != SendChannel.EMAIL:
        return {}
    unsubscribe = unsubscribe_url(headers.base_url, planned.resident.pk) if headers.bulk else ""
    return {"reply_to": headers.reply_to, "unsubscribe_url": unsubscribe}


def _text_for(prepared: Prepared, channel: str) -> str:
    # JA/NEE is read from SMS replies only; an e-mail or letter is answered by phone or in person.
    return prepared.sms_text() if channel in (SendChannel.SMS, SendChannel.APP) else prepared.text


def message_language(prepared: Prepared, resident: Resident) -> str:
    """The language a resident gets this message in: a template's, in their language where it has a text."""
    return language_for(resident, prepared.template) if prepared.template else settings.LANGUAGE_CODE


def _in_language(prepared: Prepared, planned: Planned, facts: dict[str, str]) -> tuple[str, str, dict[str, str]]:
    """Subject, text and facts for one resident: a template in their language where it exists, else as written."""
    text = _text_for(prepared, planned.channel)
    facts = facts | {"first_name": planned.resident.first_name}
    language = message_language(prepared, planned.resident)
    if language == settings.LANGUAGE_CODE:
        return prepared.subject, text, facts
    subject, translated = template_in(prepared.template, language) or (prepared.subject, prepared.text)
    if prepared.subject != template_texts(prepared.template, own=True)[0].strip()[:150]:
        subject = prepared.subject  # the writer's own subject goes out as written
    if prepared.asks_yes_no and planned.channel in (SendChannel.SMS, SendChannel.APP):
        translated = f"{translated}\n{yes_no_question()}"  # the words JA and NEE are what is read back
    moment = prepared.activity.starts_at if prepared.activity is not None else prepared.moment
    if moment is not None:
        facts |= {"when": when_text(moment, language)}
    if prepared.activity is not None:
        # The activity's title in the template's language where the coordinator entered it, else Dutch.
        facts |= {"activity": prepared.activity.text_in(language, with_description=False).title}
    return subject, translated, facts


def _outbound(
    message: Message, prepared: Prepared, facts: dict[str, str], headers: MailHeaders
) -> dict[int, OutboundMessage]:
    """An outbox row per resident reached by SMS or e-mail, with the text filled in for them."""
    rows = {}
    for planned in prepared.planned:
        if planned.channel not in BY_OUTBOX:
            continue
        subject, text, known = _in_language(prepared, planned, facts)
        rows[planned.resident.pk] = OutboundMessage(
            organisation_id=message.organisation_id,
            channel=planned.channel,
            to=_address(planned),
            subject=render(subject, known),
            text=render(text, known),
            language=message_language(prepared, planned.resident),
            **_email_fields(planned, headers),
        )
    OutboundMessage.objects.bulk_create(rows.values())
    return rows


def _sms_too_long_left_out(prepared: Prepared, facts: dict[str, str]) -> Prepared:
    """Residents whose SMS, as it would go (placeholders filled, in their language, with the JA/NEE question),
    takes more parts than a provider joins (segments.MAX_SMS_PARTS) are left out with the reason: the check
    on the written text (MAX_TEXT) cannot see that, and a provider would refuse or cut such a text."""

    def too_long(one: Planned) -> bool:
        if one.channel != SendChannel.SMS:
            return False
        _subject, text, known = _in_language(prepared, one, facts)
        return not sms_fits(render(text, known))

    planned = [
        Planned(one.resident, "", LeftOutReason.SMS_TOO_LONG) if too_long(one) else one for one in prepared.planned
    ]
    return replace(prepared, planned=planned)


def sms_too_long_left_out(by: User, prepared: Prepared, base_url: str) -> Prepared:
    """The plan as sending will make it, for the preview: residents whose SMS is too long are left out."""
    return _sms_too_long_left_out(prepared, _facts(by, prepared.activity, base_url, None))


def _contacts(by: User, planned: list[Planned], now: Any) -> dict[int, Any]:
    contacts: dict[int, Any] = {}
    for channel, contact_channel in CONTACT_CHANNEL.items():
        residents = [p.resident for p in planned if p.channel == channel]
        if residents:
            contacts |= contact_attempts_log(by=by, residents=residents, channel=contact_channel, started_at=now)
    return contacts


def example_texts(
    by: User, prepared: Prepared, resident: Resident, base_url: str, channel: str = SendChannel.EMAIL
) -> tuple[str, str]:
    """The subject and text one resident would get by ``channel``, for the preview."""
    known = _facts(by, prepared.activity, base_url, None)
    subject, text, facts = _in_language(prepared, Planned(resident, channel), known)
    return render(subject, facts), render(text, facts)


@dataclass(frozen=True)
class Letter:
    """One printed letter: its subject and text filled in for the resident, and what could not be filled."""

    recipient: Recipient
    subject: str
    text: str
    unfilled: tuple[str, ...]  # placeholders left (the activity was removed since): the letter is held back
    language: str = settings.LANGUAGE_CODE  # of the whole letter: its greeting and closing too

    @property
    def rtl(self) -> bool:
        return pdffonts.is_rtl_language(self.language)


def _template_of(message: Message) -> str:
    """The template a sent message's text is, word for word; "" when the writer wrote or changed it.

    Only then may a letter go out in the resident's language: words a person typed are printed as typed."""
    if not message.template or wording_of(message.template) is None:
        return ""
    text = template_texts(message.template, own=True)[1]
    return message.template if message.text == text.strip() else ""


def letter_of(message: Message, recipient: Recipient, base_url: str) -> Letter:
    """A letter for one recipient in their language where the template has a text in it, else as written;
    the subject filled in as the text is (an e-mail's subject is, too)."""
    if message.activity is not None:
        prefetch_related_objects([message.activity], "texts")  # once for all the message's letters
    prepared = Prepared(message.subject, message.text, message.activity, [], template=_template_of(message))
    known = _facts(message.sent_by, message.activity, base_url, None)
    subject, text, facts = _in_language(prepared, Planned(recipient.resident, SendChannel.LETTER), known)
    subject, text = render(subject, facts), render(text, facts)
    unfilled = tuple(dict.fromkeys(PLACEHOLDER.findall(subject + " " + text)))
    return Letter(recipient, subject, text, unfilled, message_language(prepared, recipient.resident))


@dataclass(frozen=True)
class LetterWords:
    """What every letter says besides its text, in the letter's language."""

    phone: str
    kind_regards: str
    respond: str


def letter_words(letter: Letter, organisation: Organisation) -> LetterWords:
    # Isolated, so an Arabic sentence keeps the phone number and the address whole and in their order.
    phone, address = pdffonts.isolate(organisation.phone), pdffonts.isolate(organisation.postal_address)
    with translation.override(letter.language):
        return LetterWords(
            phone=_("Phone %(phone)s") % {"phone": phone},
            kind_regards=_("Kind regards,"),
            respond=_("No internet? Call us on %(phone)s or write to %(address)s.")
            % {"phone": phone, "address": address},
        )


@transaction.atomic
def recipient_mark_answered(*, by: User, recipient_id: int) -> Recipient:
    """The resident answered: their contact counts as reached from now on."""
    recipient = (
        Recipient.objects.filter(message__in=messages_visible_to(by), pk=recipient_id).select_for_update().first()
    )
    if recipient is None:
        raise NotFound
    if recipient.contact_id is None:
        raise ValidationError(_("Only a message sent by SMS or e-mail can be answered."))
    if recipient.answered_at is None:
        contact_answered(by=by, contact_id=recipient.contact_id)
        recipient.answered_at = timezone.now()
        recipient.save(update_fields=["answered_at"])
    return recipient


DELIVERED_STATUSES = {"delivered", "read"}  # WhatsApp reports "read" after "delivered"; it may come alone
FAILED_STATUSES = {"failed", "undeliverable", "undelivered", "delivery_failed", "rejected", "expired"}


@transaction.atomic
def delivery_report_apply(*, reference: str, provider_id: str, status: str) -> OutboundMessage | None:
    """A gateway's delivery report: delivered or failed. Other statuses (buffered, ...) change nothing."""
    rows = OutboundMessage.objects.select_for_update()
    # Twilio names only its own id (MessageSid); the others name our reference.
    row = rows.filter(reference=reference).first() if reference else rows.filter(provider_id=provider_id).first()
    if row is None or (not provider_id and not reference):
        return None
    if reference and provider_id and row.provider_id and row.provider_id != provider_id:
        return None
    if status in DELIVERED_STATUSES:
        row.status, row.delivered_at, row.last_error = OutboundStatus.DELIVERED, timezone.now(), ""
    elif status in FAILED_STATUSES:
        row.status, row.last_error = OutboundStatus.FAILED, f"gateway: {status}"
    else:
        return row
    row.save(update_fields=["status", "delivered_at", "last_error"])
    return row
