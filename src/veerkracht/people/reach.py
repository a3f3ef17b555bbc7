"""The one rule for the written channel a resident is reached by: SMS, WhatsApp, e-mail or a letter.

Every sender asks it: a message of messaging (and the invitation to a video call), the online link
of an activity, the invitation to a resident's own account. The sender names the channels it can
use, in its own order; the resident's preferred channel (``Resident.preferred_channel``, a channel
of contact of the glossary) goes first among them: "App / SMS" (``messaging``) puts WhatsApp, then
SMS, first, "E-mail" puts e-mail first. A channel is taken only with the resident's consent to it
(``consent_sms``, ``consent_app``, ``consent_email``; a letter ``consent_contact``) and an address
for it (a Dutch mobile number for SMS and WhatsApp, core/phones.py; an e-mail address; a home
address). When none is possible, the reason is that of the first channel consented to that lacked
its address, else "no consent".
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from veerkracht.core.channels import Channel
from veerkracht.core.phones import mobile_e164
from veerkracht.people.models import Resident


class SendChannel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")
    APP = "app", _("WhatsApp")
    LETTER = "letter", _("Letter")


class LeftOutReason(models.TextChoices):
    """Why a resident cannot be reached by any of the channels a sender may use (at most 20 characters)."""

    NO_CONSENT = "no_consent", _("No consent for any of the chosen channels")
    NO_MOBILE = "no_mobile", _("Consents to SMS but has no mobile number")
    NO_WHATSAPP_MOBILE = "no_whatsapp_mobile", _("Consents to WhatsApp but has no mobile number")
    NO_EMAIL_ADDRESS = "no_email_address", _("Consents to e-mail but has no e-mail address")
    NO_ADDRESS = "no_address", _("Consents to letters but has no home address")
    SMS_TOO_LONG = "sms_too_long", _("The text is too long for an SMS (more than 8 parts)")


# The written channels a preferred channel of contact stands for, in order.
PREFERRED: dict[str, tuple[str, ...]] = {
    Channel.MESSAGING: (SendChannel.APP, SendChannel.SMS),
    Channel.EMAIL: (SendChannel.EMAIL,),
}


@dataclass(frozen=True)
class Reach:
    """The channel and address a resident is reached at, or ``reason`` (a LeftOutReason) when none."""

    channel: str = ""  # a SendChannel, or "" when left out
    to: str = ""  # '+316…' for SMS and WhatsApp, the e-mail address, "" for a letter
    reason: str = ""


def channel_order(resident: Resident, channels: Iterable[str]) -> list[str]:
    """``channels`` with the resident's preferred ones first, each once."""
    allowed = list(dict.fromkeys(channels))
    preferred = [channel for channel in PREFERRED.get(resident.preferred_channel, ()) if channel in allowed]
    return list(dict.fromkeys([*preferred, *allowed]))


def _by(resident: Resident, channel: str) -> tuple[bool, str, str]:
    """(consented, address or "", the reason when consented without an address) for one channel."""
    if channel in (SendChannel.SMS, SendChannel.APP):
        consented = resident.consent_sms if channel == SendChannel.SMS else resident.consent_app
        missing = LeftOutReason.NO_MOBILE if channel == SendChannel.SMS else LeftOutReason.NO_WHATSAPP_MOBILE
        return consented, mobile_e164(resident.phone) or "", missing
    if channel == SendChannel.EMAIL:
        return resident.consent_email, (resident.email or "").strip(), LeftOutReason.NO_EMAIL_ADDRESS
    if channel == SendChannel.LETTER:
        # A letter goes to the household's address; it has no address of its own to fill in.
        return resident.consent_contact, "letter" if resident.household_id else "", LeftOutReason.NO_ADDRESS
    raise ValueError(channel)


def reach_for(resident: Resident, channels: Iterable[str]) -> Reach:
    """The first of ``channels`` (the preferred first) the resident consented to and has an address for."""
    reasons: list[str] = []
    for channel in channel_order(resident, channels):
        consented, to, missing = _by(resident, channel)
        if not consented:
            continue
        if to:
            return Reach(channel, "" if channel == SendChannel.LETTER else to)
        reasons.append(missing)
    return Reach(reason=reasons[0] if reasons else LeftOutReason.NO_CONSENT)
