"""The interface every SMS back-end offers, and the ways a send can fail."""

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class SentSms:
    id: str  # the gateway's id, which its delivery reports name
    status: str


class TemporaryFailureError(Exception):
    """Worth trying again later: a 5xx, a 429, a refused connection. ``retry_after_s`` is the provider's wish."""

    def __init__(self, message: str, *, retry_after_s: float = 0.0) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


def retry_after(value: str | None) -> float:
    """Seconds from a Retry-After header; 0 for none, or for an HTTP date (the back-off decides then)."""
    try:
        return max(0.0, float(value or 0))
    except ValueError:
        return 0.0


class MaybeSentError(TemporaryFailureError):
    """The request went out but no answer came (a read timeout): the provider may have taken the text."""


class PermanentFailureError(Exception):
    """Trying again will not help: a refused number, a rejected key."""


class SmsBackend(Protocol):
    # True when the provider sends a reference once, so a retry after MaybeSentError cannot double a text.
    idempotent: bool

    def send(self, *, to: str, text: str, reference: str) -> SentSms:
        """Send ``text`` to ``to`` (E.164); the same ``reference`` sent twice must reach the phone once."""
        ...
