"""Development back-ends: each SMS appended to a file (one JSON line) or written to the log."""

import json
import logging
from pathlib import Path

from django.utils import timezone

from veerkracht.messaging.backends.base import SentSms

logger = logging.getLogger("veerkracht.sms")


class FileBackend:
    idempotent = True

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    def send(self, *, to: str, text: str, reference: str) -> SentSms:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = {"at": timezone.now().isoformat(), "to": to, "text": text, "reference": reference}
        with self.path.open("a", encoding="utf-8") as file:
            file.write(json.dumps(line, ensure_ascii=False) + "\n")
        return SentSms(id=f"file-{reference}", status="written")


class ConsoleBackend:
    idempotent = True

    def send(self, *, to: str, text: str, reference: str) -> SentSms:
        # Development only: the text may hold a first name, so never use this back-end in production.
        logger.info("SMS to %s (%s): %s", to, reference, text)
        return SentSms(id=f"console-{reference}", status="logged")
