"""An outbox row as an e-mail: its sender, where answers go, its Message-ID and, in bulk, how to unsubscribe.

- ``From`` is DEFAULT_FROM_EMAIL; the envelope sender (Return-Path) is EMAIL_BOUNCE_ADDRESS when set,
  so bounces land in the mailbox ``messaging.bounces`` reads and not among residents' answers.
- ``Reply-To`` is the worker who sent the message, or the team they sent it for (the team's address):
  a resident's answer reaches a person (docs/adr/0024).
- The same ``Message-ID`` on every attempt of a row: a mail system that received an attempt whose
  worker died before recording it can recognise the retry as the same message. Bounces quote it.
- A bulk message carries ``List-Unsubscribe`` and ``List-Unsubscribe-Post: List-Unsubscribe=One-Click``
  (RFC 8058), and the same link at the foot of the text for a reader whose mail program shows no button.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation
from django.utils.translation import gettext as _

from veerkracht.core.models import OutboundMessage

ONE_CLICK = "List-Unsubscribe=One-Click"


def mail_domain() -> str:
    """The domain of the sender's address, which Message-IDs end in."""
    return str(settings.DEFAULT_FROM_EMAIL).rpartition("@")[2].strip("<> ") or "veerkracht.invalid"


def message_id(reference: str) -> str:
    """The Message-ID of an outbox row; a bounce names it, so it leads back to the row."""
    return f"<{reference}@{mail_domain()}>"


def _body(row: OutboundMessage) -> str:
    if not row.unsubscribe_url:
        return row.text
    with translation.override(settings.LANGUAGE_CODE):
        footer = _("No more e-mail from us? Unsubscribe: %(link)s") % {"link": row.unsubscribe_url}
    return f"{row.text}\n\n-- \n{footer}\n"


def _headers(row: OutboundMessage) -> dict[str, str]:
    headers = {"X-Veerkracht-Reference": row.reference, "Message-ID": message_id(row.reference)}
    if settings.EMAIL_BOUNCE_ADDRESS:
        headers["From"] = settings.DEFAULT_FROM_EMAIL  # the envelope sender differs: see email_of
    if row.unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{row.unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = ONE_CLICK
    return headers


def email_of(row: OutboundMessage) -> EmailMessage:
    """The e-mail of an outbox row; Django's SMTP back-end uses ``from_email`` as the envelope sender."""
    return EmailMessage(
        row.subject,
        _body(row),
        from_email=settings.EMAIL_BOUNCE_ADDRESS or settings.DEFAULT_FROM_EMAIL,
        to=[row.to],
        reply_to=[row.reply_to] if row.reply_to else None,
        headers=_headers(row),
    )
