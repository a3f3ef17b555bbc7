"""SMS back-ends behind one interface; ``sms_backend()`` gives the configured one (SMS_BACKEND)."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from veerkracht.messaging.backends.base import PermanentFailureError, SentSms, SmsBackend, TemporaryFailureError
from veerkracht.messaging.backends.files import ConsoleBackend, FileBackend
from veerkracht.messaging.backends.gateway import GatewayBackend
from veerkracht.messaging.backends.memory import MemoryBackend

__all__ = ["PermanentFailureError", "SentSms", "SmsBackend", "TemporaryFailureError", "sms_backend"]


def sms_backend() -> SmsBackend:
    """The back-end named by settings.SMS_BACKEND, configured from the settings of the moment."""
    name = settings.SMS_BACKEND
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
    raise ImproperlyConfigured(f"SMS_BACKEND={name!r} is not one of gateway, file, console, memory")
