"""JA or NEE by SMS or WhatsApp to an invitation or reminder that asked for it: registers or cancels, and says so.

Only a message written with "ask for JA or NEE" (``Message.asks_yes_no``, about an activity that takes
registrations) is answered this way; its SMS ends with the question. A reply that is the word alone
counts ("Ja!", "nee."), in Dutch, English, Turkish or Arabic; "Ja, maar ik kom later" stays a reply
for the worker to read. The registration is made or cancelled on behalf of the worker who sent the
message (the activities' own services: never overbooked, a freed place goes to the waitlist), the
outcome is noted on the recipient, and one message, by the channel the resident answered on, tells
the resident what happened.
"""

import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from veerkracht.activities.models import Activity, Mode, Registration, RegistrationStatus
from veerkracht.activities.services import registration_cancel, registration_create
from veerkracht.core import text_language
from veerkracht.core.models import OutboundMessage
from veerkracht.core.outbox import outbox_deliver_start
from veerkracht.messaging.models import Recipient, ReplyOutcome
from veerkracht.messaging.wording import when_text

YES = frozenset({"ja", "yes", "evet", "نعم"})
NO = frozenset({"nee", "no", "hayır", "hayir", "لا"})
# The language a reply word says the resident wrote in; JA and NEE are the words the SMS asked for, so
# they say nothing about it.
REPLY_LANGUAGE = {"yes": "en", "no": "en", "evet": "tr", "hayır": "tr", "hayir": "tr", "نعم": "ar", "لا": "ar"}


def reply_word(text: str) -> str:
    """A reply as the one word it may be: NFKC, without spaces or punctuation around it, case-folded (the
    Turkish dotted capital İ folds to a plain i). Stop words are matched the same way (messaging.replies)."""
    return unicodedata.normalize("NFKC", text).strip().strip(".!?,;:؟،").strip().casefold().replace("i̇", "i")


def yes_no(text: str) -> bool | None:
    """True for a yes alone, False for a no alone, None for anything else."""
    word = reply_word(text)
    if word in YES:
        return True
    if word in NO:
        return False
    return None


def yes_no_question() -> str:
    """The sentence an SMS that asks for JA or NEE ends with, in the organisation's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("Reply JA to sign up or NEE if you cannot come.")


def _open_registration(activity: Activity, resident_id: int) -> Registration | None:
    live = activity.registrations.exclude(status=RegistrationStatus.CANCELLED)
    return live.filter(resident_id=resident_id).first()


def _register(recipient: Recipient, activity: Activity) -> str:
    if _open_registration(activity, recipient.resident_id) is not None:
        return ReplyOutcome.ALREADY
    mode = Mode.ONSITE if activity.place_id else Mode.ONLINE
    try:
        registration = registration_create(
            activity_id=activity.pk, mode=mode, by=recipient.message.sent_by, resident_id=recipient.resident_id
        )
    except ValidationError:  # closed, started, cancelled, or the resident left the worker's neighbourhoods
        return ReplyOutcome.REFUSED
    if registration.status == RegistrationStatus.WAITLISTED:
        return ReplyOutcome.WAITLISTED
    return ReplyOutcome.REGISTERED


def _cancel(recipient: Recipient, activity: Activity) -> str:
    registration = _open_registration(activity, recipient.resident_id)
    if registration is None:
        return ReplyOutcome.NOT_REGISTERED
    registration_cancel(registration_id=registration.pk, by=recipient.message.sent_by)
    return ReplyOutcome.CANCELLED


# Marked here, translated when sent: in the resident's language where it has a text, else Dutch.
CONFIRMATIONS = {
    ReplyOutcome.REGISTERED: gettext_noop("You are registered for %(activity)s on %(when)s. See you then!"),
    ReplyOutcome.ALREADY: gettext_noop("You were already registered for %(activity)s on %(when)s."),
    ReplyOutcome.WAITLISTED: gettext_noop(
        "%(activity)s is full: you are on the waitlist. We will tell you when a place frees up."
    ),
    ReplyOutcome.CANCELLED: gettext_noop(
        "You are no longer registered for %(activity)s. Thank you for letting us know."
    ),
    ReplyOutcome.NOT_REGISTERED: gettext_noop(
        "Thank you for letting us know. You are not registered for %(activity)s."
    ),
    ReplyOutcome.REFUSED: gettext_noop("We could not register you for %(activity)s. Please call us."),
}


def _confirmation(outcome: str, activity: Activity, recipient: Recipient, reply: str) -> tuple[str, str]:
    """The confirmation and its language: the one the resident answered in, else their first with a text
    (the rule of every text to a resident, core/text_language.py), else Dutch."""
    msgid = CONFIRMATIONS[ReplyOutcome(outcome)]
    answered_in = REPLY_LANGUAGE.get(reply_word(reply))
    languages = [*([answered_in] if answered_in else []), *(recipient.resident.languages or [])]
    language = text_language.language_for(languages, text_language.has_texts(msgid))
    title = activity.text_in(language, with_description=False).title  # the confirmation's language, else Dutch
    facts = {"activity": title, "when": when_text(activity.starts_at, language)}
    with translation.override(language):
        return _(msgid) % facts, language


def yes_no_apply(recipient: Recipient, text: str) -> str:
    """Register or cancel for a JA or NEE to a message that asked; returns the outcome ('' when none)."""
    message = recipient.message
    answer = yes_no(text)
    if answer is None or not message.asks_yes_no or message.activity_id is None or recipient.outbound is None:
        return ""
    activity = Activity.objects.get(pk=message.activity_id)
    outcome = _register(recipient, activity) if answer else _cancel(recipient, activity)
    Recipient.objects.filter(pk=recipient.pk).update(reply_outcome=outcome)
    # By the channel the answer came in on: a resident who consented to WhatsApp only gets no SMS.
    words, language = _confirmation(outcome, activity, recipient, text)
    confirmation = OutboundMessage.objects.create(
        organisation_id=message.organisation_id,
        channel=recipient.outbound.channel,
        to=recipient.outbound.to,
        text=words,
        language=language,
    )
    outbox_deliver_start(organisation=message.organisation, by=None, outbound_ids=[confirmation.pk])
    return outcome
