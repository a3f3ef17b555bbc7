"""Bounces: a periodic job reads the bounce mailbox and marks the e-mails that did not arrive.

Why a mailbox and not a provider's webhook: Veerkracht sends through any SMTP server the organisation
has (its own, its municipality's, a provider's), and every one of them reports an undeliverable
e-mail the same way, as a delivery status notification (RFC 3464) to the envelope sender. A webhook
would tie bounces to one provider's format and need this server reachable from the internet. So the
envelope sender is EMAIL_BOUNCE_ADDRESS, and every ten minutes (``core.daily``) the job reads its
mailbox over POP3 with TLS (EMAIL_BOUNCE_MAILBOX), takes each report whose action is ``failed``, finds
the outbox row by the returned ``X-Veerkracht-Reference`` header or Message-ID, and marks it failed
with the status and the server's reason. Reports it recognised are deleted from the mailbox; other
mail (an out-of-office answer, a delayed-delivery notice) stays there for a person to read.
"""

import poplib
import re
import ssl
from dataclasses import dataclass
from email import policy
from email.message import Message
from email.parser import BytesParser, HeaderParser
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from veerkracht.core.dbroles import ALL
from veerkracht.core.models import OutboundMessage, OutboundStatus
from veerkracht.core.tenancy import organisation_context

REFERENCE = re.compile(r"^[0-9a-f]{32}$")  # core.models.new_outbound_reference
MESSAGE_ID = re.compile(r"<([0-9a-f]{32})@")
MAX_PER_ROUND = 500  # a flooded mailbox is read over several rounds, never in one long hold


@dataclass(frozen=True)
class Bounce:
    reference: str
    status: str  # the enhanced status code, e.g. 5.1.1 (address unknown)
    reason: str  # the receiving server's words (Diagnostic-Code)


def _failed_recipient(report: Message) -> tuple[str, str] | None:
    """(status, reason) of the first recipient whose action is 'failed' in a message/delivery-status part."""
    blocks = report.get_payload()
    # The first block is about the message, each next one about a recipient.
    for block in blocks[1:] if isinstance(blocks, list) else []:
        if not isinstance(block, Message):
            continue
        if str(block.get("Action", "")).strip().lower() == "failed":
            reason = str(block.get("Diagnostic-Code", "")).partition(";")[2].strip()
            return str(block.get("Status", "")).strip(), " ".join(reason.split())
    return None


def _returned_headers(part: Message) -> Message | None:
    """The headers of the e-mail that bounced, whether returned whole or as headers only."""
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload()
        return inner[0] if isinstance(inner, list) and inner and isinstance(inner[0], Message) else None
    if part.get_content_type() == "text/rfc822-headers":
        raw = part.get_payload(decode=True)
        return HeaderParser().parsestr(raw.decode("utf-8", "replace")) if isinstance(raw, bytes) else None
    return None


def _reference(returned: Message) -> str:
    reference = str(returned.get("X-Veerkracht-Reference", "")).strip()
    if REFERENCE.match(reference):
        return reference
    found = MESSAGE_ID.search(str(returned.get("Message-ID", "")))
    return found.group(1) if found else ""


def bounce_parse(raw: bytes) -> Bounce | None:
    """The bounce an e-mail reports (RFC 3464), or None when it is no failure report of ours."""
    report = BytesParser(policy=policy.compat32).parsebytes(raw)  # compat32 splits delivery-status into blocks
    if report.get_content_type() != "multipart/report":
        return None
    failure, reference = None, ""
    for part in report.walk():
        if part.get_content_type() == "message/delivery-status":
            failure = failure or _failed_recipient(part)
        returned = _returned_headers(part)
        if returned is not None:
            reference = reference or _reference(returned)
    if failure is None or not reference:
        return None
    return Bounce(reference=reference, status=failure[0], reason=failure[1])


@transaction.atomic
def bounce_apply(bounce: Bounce) -> OutboundMessage | None:
    """Mark the e-mail the bounce names as failed, with the status and the reason; None when unknown."""
    with organisation_context(ALL):  # the mailbox serves every organisation; the reference names one row
        row = OutboundMessage.objects.select_for_update().filter(reference=bounce.reference, channel="email").first()
        if row is None:
            return None
        row.status, row.bounced_at = OutboundStatus.FAILED, timezone.now()
        row.last_error = f"bounce {bounce.status}: {bounce.reason}".strip()[:200]
        row.save(update_fields=["status", "bounced_at", "last_error"])
    return row


def _mailbox(url: str) -> poplib.POP3:
    parts = urlsplit(url)
    if parts.scheme == "pop3s":
        # poplib's own default context checks no certificate; the default context does.
        box: poplib.POP3 = poplib.POP3_SSL(
            parts.hostname or "", parts.port or 995, timeout=20, context=ssl.create_default_context()
        )
    else:
        box = poplib.POP3(parts.hostname or "", parts.port or 110, timeout=20)
    box.user(unquote(parts.username or ""))
    box.pass_(unquote(parts.password or ""))
    return box


def bounces_read(url: str) -> int:
    """Read the bounce mailbox once; returns the bounces recorded. Recognised reports are deleted."""
    box = _mailbox(url)
    recorded = 0
    try:
        count, _size = box.stat()
        for number in range(1, min(count, MAX_PER_ROUND) + 1):
            _answer, lines, _octets = box.retr(number)
            bounce = bounce_parse(b"\r\n".join(lines))
            if bounce is None:
                continue
            recorded += bounce_apply(bounce) is not None
            box.dele(number)  # also when its row is gone (retention): the report has nothing left to say
    except (poplib.error_proto, OSError):
        box.close()  # without QUIT the server deletes nothing: the next round reads the same mail again
        raise
    box.quit()
    return recorded


def bounces_job() -> None:
    """The periodic job (``core.daily``); nothing to do without a bounce mailbox."""
    if settings.EMAIL_BOUNCE_MAILBOX:
        bounces_read(settings.EMAIL_BOUNCE_MAILBOX)


STORED_STATUS = re.compile(r"^bounce ([245])\.(\d{1,3})\.(\d{1,3})")


def bounce_explained(outbound: OutboundMessage) -> str:
    """Why an e-mail did not arrive, in the reader's language, from the status its bounce gave
    (RFC 3463); the receiving server's own words are English and stay out of the page."""
    found = STORED_STATUS.match(outbound.last_error)
    if found is None:
        return _("The e-mail did not arrive.")
    kind, subject, detail = found.groups()
    if kind == "4":
        return _("The receiving server could not accept the e-mail for now; send it again later.")
    if (subject, detail) == ("1", "1"):
        return _("This e-mail address does not exist.")
    if subject == "1":
        return _("The e-mail address is not correct.")
    if (subject, detail) == ("2", "2"):
        return _("The mailbox is full.")
    if subject == "2":
        return _("The mailbox does not accept e-mail.")
    if subject == "7":
        return _("The receiving server refused the e-mail.")
    return _("The e-mail did not arrive.")
