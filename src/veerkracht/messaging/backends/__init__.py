"""SMS back-ends behind one interface; ``sms_backend()`` gives the configured one (SMS_PROVIDER)."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from veerkracht.core import text_language
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
from veerkracht.messaging.backends.providers import (
    BirdBackend,
    CmBackend,
    SpryngBackend,
    TwilioBackend,
    WhatsAppTemplate,
)

__all__ = [
    "MaybeSentError",
    "PermanentFailureError",
    "SentSms",
    "SmsBackend",
    "TemporaryFailureError",
    "WhatsAppTemplate",
    "sms_backend",
    "sms_configured",
    "whatsapp_backend",
    "whatsapp_configured",
    "whatsapp_template",
    "whatsapp_templates",
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
        "whatsapp_sender": settings.WHATSAPP_SENDER,
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


def whatsapp_configured() -> bool:
    """WhatsApp goes through CM.com or Twilio when a WhatsApp business number is set; else app rows wait."""
    return settings.SMS_BACKEND in ("cm", "twilio") and bool(settings.WHATSAPP_SENDER)


def whatsapp_backend(sender: str = "") -> CmBackend | TwilioBackend:
    """The configured provider's WhatsApp side; only when ``whatsapp_configured()``."""
    backend = _provider(settings.SMS_BACKEND, sender)
    if not isinstance(backend, CmBackend | TwilioBackend) or not settings.WHATSAPP_SENDER:
        raise ImproperlyConfigured("WhatsApp needs SMS_PROVIDER=cm or twilio and WHATSAPP_SENDER")
    return backend


def whatsapp_templates() -> dict[str, str]:
    """The approved template's name per language: WHATSAPP_TEMPLATE in Dutch, and WHATSAPP_TEMPLATE_LANGUAGES
    ("tr": CM.com's same element_name approved in Turkish; "tr=HX…": Twilio's ContentSid of the Turkish one)."""
    names = {str(settings.LANGUAGE_CODE): settings.WHATSAPP_TEMPLATE}
    for entry in settings.WHATSAPP_TEMPLATE_LANGUAGES:
        code, _is, name = entry.partition("=")
        names[code.strip()] = name.strip() or settings.WHATSAPP_TEMPLATE
    return names


def whatsapp_template(language: str = "") -> WhatsAppTemplate:
    """The template for a text in ``language``: the one approved in it, else the Dutch one (core/text_language)."""
    names = whatsapp_templates()
    chosen = text_language.language_for([language] if language else [], lambda code: code in names)
    return WhatsAppTemplate(name=names[chosen], namespace=settings.WHATSAPP_TEMPLATE_NAMESPACE, language=chosen)
