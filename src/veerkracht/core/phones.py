"""Dutch mobile numbers in the international form an SMS gateway expects: one rule for every app."""

import re

_SEPARATORS = re.compile(r"[\s\-().]")
# 06 followed by eight digits is a Dutch mobile number; 097 numbers are for machines, not people.
_NATIONAL = re.compile(r"^06(\d{8})$")
_INTERNATIONAL = re.compile(r"^(?:\+|00)316(\d{8})$")


def mobile_e164(phone: str) -> str | None:
    """'06-12 34 56 78' → '+31612345678'; None for a landline, a foreign or a malformed number."""
    compact = _SEPARATORS.sub("", phone or "")
    match = _NATIONAL.match(compact) or _INTERNATIONAL.match(compact)
    return f"+316{match.group(1)}" if match else None
