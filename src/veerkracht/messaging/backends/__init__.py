"""SMS back-ends behind one interface; ``sms_backend()`` gives the configured one (SMS_PROVIDER)."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from veerkracht.messaging.backends.base import (
    MaybeSentError,
    PermanentFailureError,
    SentSms,
    SmsBackend,
    TemporaryFailureError,
)
from veerkracht.messaging.backends.files import ConsoleBackend, FileBackend
from veerkracht.messaging.backends.gateway import GatewayBackend
from veerkracht.messaging.backends.memory import MemoryBackend
from veerkracht.messaging.backends.providers import BirdBackend, CmBackend, SpryngBackend, TwilioBackend

__all__ = [
    "MaybeSentError",
    "PermanentFailureError",
    "SentSms",
    "SmsBackend",
    "TemporaryFailureError",
    "sms_backend",
    "sms_configured",
]

DOCUMENTED_URL = {
    "cm": "https://gw.messaging.cm.com",
    "spryng": "https://rest.spryngsms.com",
    "bird": "https://rest.messagebird.com",
    "twilio": "https://api.twilio.com",
}


def sms_configured() -> bool:
    """False when no provider is configured: SMS stay queued instead of going anywhere."""
    return settings.SMS_BACKEND != "none"


def status_url() -> str:
    """The delivery-report address the providers that take one per message (Bird, Twilio) are given."""
    if not settings.SMS_PUBLIC_URL or not settings.SMS_WEBHOOK_SECRET:
        return ""
    path = reverse("messaging:provider_report", kwargs={"token": settings.SMS_WEBHOOK_SECRET})
    return settings.SMS_PUBLIC_URL.rstrip("/") + path


def _provider(name: str, sender: str) -> SmsBackend:
    common = {
        "base_url": settings.SMS_PROVIDER_URL or DOCUMENTED_URL[name],
        "sender": sender or settings.SMS_SENDER,
        "timeout_s": float(settings.SMS_GATEWAY_TIMEOUT_S),
        "status_url": status_url(),
    }
    key = settings.SMS_PROVIDER_KEY
    if name == "cm":
        return CmBackend(product_token=key, **common)
    if name == "spryng":
        return SpryngBackend(key=key, **common)
    if name == "bird":
        return BirdBackend(access_key=key, **common)
    return TwilioBackend(account_sid=settings.SMS_TWILIO_ACCOUNT_SID, auth_token=key, **common)


def sms_backend(sender: str = "") -> SmsBackend:
    """The back-end named by settings.SMS_BACKEND, configured from the settings of the moment.

    ``sender`` is the organisation's own sender name; blank gives the platform's SMS_SENDER.
    """
    name = settings.SMS_BACKEND
    if name in DOCUMENTED_URL:
        return _provider(name, sender)
    if name == "gateway":
        return GatewayBackend(
            base_url=settings.SMS_GATEWAY_URL,
            key=settings.SMS_GATEWAY_KEY,
            timeout_s=settings.SMS_GATEWAY_TIMEOUT_S,
        )
    if name == "file":
        return FileBackend(settings.SMS_FILE_PATH)
    if name == "console":
        return ConsoleBackend()
    if name == "memory":
        return MemoryBackend()
    raise ImproperlyConfigured(f"SMS_PROVIDER={name!r}: no SMS provider is configured")
