"""The interface every SMS back-end offers, and the two ways a send can fail."""

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class SentSms:
    id: str  # the gateway's id, which its delivery reports name
    status: str


class TemporaryFailureError(Exception):
    """Worth trying again later: a timeout, a 5xx, a refused connection."""


class PermanentFailureError(Exception):
    """Trying again will not help: a refused number, a rejected key."""


class SmsBackend(Protocol):
    def send(self, *, to: str, text: str, reference: str) -> SentSms:
        """Send ``text`` to ``to`` (E.164); the same ``reference`` sent twice must reach the phone once."""
        ...
