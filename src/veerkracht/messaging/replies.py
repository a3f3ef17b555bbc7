"""A resident's SMS reply, brought by the provider's inbound webhook: noted on the message it answers.

A reply that is a stop word (STOP, AFMELDEN, DUR, توقف) withdraws the SMS consent of the residents with
that number at once, and a last SMS confirms it. A JA or NEE to an invitation that asked for one registers
or cancels (``messaging.yes_no``). The reply is matched to the latest SMS sent to the
number; the organisation comes from that SMS, so a number nobody sent to changes nothing.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from veerkracht.contacts.services import contact_answered
from veerkracht.core import text_language
from veerkracht.core.models import Organisation, OutboundMessage, OutboundStatus
from veerkracht.core.outbox import outbox_deliver_start
from veerkracht.core.tenancy import organisation_context
from veerkracht.messaging.models import Recipient
from veerkracht.messaging.phones import mobile_e164
from veerkracht.messaging.yes_no import reply_word, yes_no_apply
from veerkracht.people.models import Resident

# Dutch and English "STOP", Dutch "AFMELDEN", Turkish "DUR", Arabic "توقف" (waqqif: stop).
STOP_WORDS = frozenset({"stop", "stoppen", "afmelden", "dur", "توقف"})


def is_stop(text: str) -> bool:
    """True for a stop word alone, in any case, with punctuation or spaces around it."""
    return reply_word(text) in STOP_WORDS


@dataclass(frozen=True)
class Reply:
    recipient: Recipient | None
    stopped: int  # residents whose SMS consent was withdrawn


@transaction.atomic
def reply_record(*, sender: str, text: str, channel: str = "sms") -> Reply | None:
    """Note an inbound SMS (or WhatsApp message, ``channel`` "app"); None when none was ever sent to that number.

    A stop word withdraws the consent of the channel it came by: STOP by WhatsApp ends WhatsApp, not SMS.
    """
    number = mobile_e164(sender) or ("+" + sender.lstrip("+0") if sender.lstrip("+").isdigit() else "")
    if not number:
        return None
    last = (
        OutboundMessage.objects.filter(channel=channel, to=number)
        .exclude(status=OutboundStatus.QUEUED)
        .order_by("-created_at", "-pk")
        .first()
    )
    if last is None:
        return None
    with organisation_context(last.organisation_id):
        recipient = Recipient.objects.select_related("message").filter(outbound=last).first()
        if recipient is not None:
            recipient.reply, recipient.replied_at = text[:1600], timezone.now()
            recipient.save(update_fields=["reply", "replied_at"])
            if recipient.answered_at is None and recipient.contact_id is not None:
                contact_answered(by=recipient.message.sent_by, contact_id=recipient.contact_id)
                Recipient.objects.filter(pk=recipient.pk).update(answered_at=timezone.now())
            if not is_stop(text):
                yes_no_apply(recipient, text)  # a JA or NEE to an invitation that asked for one
        stopped = _stop(last.organisation_id, number, channel) if is_stop(text) else 0
    return Reply(recipient, stopped)


def _stop(organisation_id: int, number: str, channel: str) -> int:
    consent = "consent_app" if channel == "app" else "consent_sms"
    residents = [
        resident
        for resident in Resident.objects.filter(organisation_id=organisation_id, **{consent: True})
        if mobile_e164(resident.phone) == number
    ]
    Resident.objects.filter(pk__in=[resident.pk for resident in residents]).update(**{consent: False})
    organisation = Organisation.objects.get(pk=organisation_id)
    languages: list[str] = next((resident.languages for resident in residents if resident.languages), [])
    if channel == "app":
        msgid = gettext_noop(
            "You will no longer receive WhatsApp messages from %(organisation)s. Call us to start again."
        )
    else:
        msgid = gettext_noop("You will no longer receive text messages from %(organisation)s. Call us to start again.")
    # The rule of every text to a resident (core/text_language.py): their first language with this text, else Dutch.
    language = text_language.language_for(languages, text_language.has_texts(msgid))
    with translation.override(language):
        text = _(msgid)
    text %= {"organisation": organisation.name}
    confirmation = OutboundMessage.objects.create(
        organisation_id=organisation_id, channel=channel, to=number, text=text, language=language
    )
    outbox_deliver_start(organisation=organisation, by=None, outbound_ids=[confirmation.pk])
    return len(residents)
