"""A test back-end: sent texts are kept in ``outbox`` (like Django's ``mail.outbox``)."""

from dataclasses import dataclass

from veerkracht.messaging.backends.base import SentSms


@dataclass(frozen=True)
class Sms:
    to: str
    text: str
    reference: str


outbox: list[Sms] = []


class MemoryBackend:
    idempotent = True

    def send(self, *, to: str, text: str, reference: str) -> SentSms:
        if not any(sms.reference == reference for sms in outbox):  # like a gateway: a reference once
            outbox.append(Sms(to, text, reference))
        return SentSms(id=f"memory-{reference}", status="accepted")
