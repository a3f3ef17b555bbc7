"""How many SMS parts a text takes: GSM-7 (160, or 153 per part when concatenated) or UCS-2 (70, or 67).

One character outside the GSM 03.38 alphabet (Turkish ş, ğ, ı; any Arabic letter) makes the whole text
UCS-2, which more than halves what fits in a part. Characters of the GSM extension table (€, [, ], ...)
take two septets. UCS-2 counts UTF-16 code units, so an emoji takes two. Providers split the same way
(3GPP TS 23.038; the user data header of a concatenated part takes 6 bytes).
"""

from dataclasses import dataclass

# The most parts an SMS to a resident may take. CM.com takes at most 8 (maximumNumberOfMessageParts runs
# from 1 to 8; its own SDK, cmdotcom/text-sdk-python, caps it there): 8 × 153 GSM-7 characters or
# 8 × 67 UCS-2 characters (536: a 600-character Turkish or Arabic text does not fit). A longer SMS is not
# sent (messaging.services leaves the resident out with the reason), whichever provider is configured.
MAX_SMS_PARTS = 8

GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = frozenset("\f^{}\\[~]|€")


@dataclass(frozen=True)
class Segments:
    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    count: int  # SMS parts the text takes


def is_gsm7(text: str) -> bool:
    return all(char in GSM_BASIC or char in GSM_EXTENSION for char in text)


def sms_segments(text: str) -> Segments:
    """The encoding and number of parts of ``text``; an empty text is one part."""
    if is_gsm7(text):
        units = sum(2 if char in GSM_EXTENSION else 1 for char in text)
        single, part, encoding = 160, 153, "GSM-7"
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, part, encoding = 70, 67, "UCS-2"
    count = 1 if units <= single else -(-units // part)
    return Segments(encoding, units, count)


def sms_fits(text: str) -> bool:
    """True when ``text`` takes at most MAX_SMS_PARTS parts."""
    return sms_segments(text).count <= MAX_SMS_PARTS
