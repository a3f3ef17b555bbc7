"""Adapters for the SMS providers Dutch organisations use, each speaking its own documented API.

- CM.com: POST https://gw.messaging.cm.com/v1.0/message, JSON ``{"messages": {"authentication":
  {"productToken": ...}, "msg": [{"from", "to": [{"number"}], "body": {"type": "auto", "content"}, "reference"}]}}``.
- Spryng: POST https://rest.spryngsms.com/v1/messages, ``Authorization: Bearer <key>``, JSON ``{"body",
  "encoding": "auto", "originator", "recipients", "route": "business", "reference"}``.
- Bird (MessageBird): POST https://rest.messagebird.com/messages, ``Authorization: AccessKey <key>``, JSON
  ``{"originator", "recipients", "body", "reference", "datacoding": "auto", "reportUrl"}``.
- Twilio: POST https://api.twilio.com/2010-04-01/Accounts/{sid}/Messages.json, HTTP basic (account SID,
  auth token), form ``To, From, Body, StatusCallback``.

WhatsApp (the channel "app") goes through the same API of CM.com and Twilio (``send_whatsapp``):

- CM.com (https://developers.cm.com/messaging/docs/whatsapp-templates): the same message with
  ``"allowedChannels": ["WhatsApp"]``; outside the 24-hour window a ``richContent.conversation[0].template.whatsapp``
  with ``namespace``, ``element_name``, ``language {"policy": "deterministic", "code"}`` (the code of the text's
  language where the template is approved in it, else "nl") and ``components`` (one body parameter); inside
  it the plain ``body.content``.
- Twilio (https://www.twilio.com/docs/content/send-templates-created-with-the-content-template-builder):
  ``To``/``From`` as ``whatsapp:+31...``; outside the window ``ContentSid`` and ``ContentVariables``
  (``{"1": text}``) instead of ``Body``, the ContentSid of the Content template in the text's language (a Content
  template has one language), else the Dutch one; inside the window ``Body``.

Every adapter lets the provider split long texts (CM with ``maximumNumberOfMessageParts``, at most 8, the others
by themselves) and choose GSM-7 or UCS-2 (``"type": "auto"``, ``"encoding": "auto"``, ``"datacoding": "auto"``;
Twilio always does). None of them promises to send a reference only once, so ``idempotent`` is False:
a read timeout after the request went out is not retried blindly (see ``delivery``).
"""

import base64
import json
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from veerkracht.messaging.backends.base import (
    MaybeSentError,
    PermanentFailureError,
    SentSms,
    TemporaryFailureError,
    retry_after,
)
from veerkracht.messaging.segments import MAX_SMS_PARTS, sms_segments

# CM.com's ceiling for maximumNumberOfMessageParts (1 to 8): 8 × 153 GSM-7 or 8 × 67 UCS-2 characters, so a
# 600-character Turkish or Arabic text does not fit. The length is checked on the final text (placeholders
# filled, the JA/NEE question added): such a resident is left out when the message is sent, and the adapter
# refuses a longer text itself rather than let CM.com refuse or cut it.
MAX_PARTS = MAX_SMS_PARTS


@dataclass(frozen=True)
class WhatsAppTemplate:
    """The approved template a WhatsApp message outside the 24-hour window must use; {{1}} takes the text."""

    name: str  # CM: element_name; Twilio: ContentSid
    namespace: str = ""  # CM only
    language: str = "nl"


def template_sender(number: str) -> str:
    """The WhatsApp business number as digits with the country code ('+31 97 ...' → '3197...')."""
    return "".join(character for character in number if character.isdigit()).removeprefix("00")


class HttpProvider:
    idempotent = False
    name = "provider"

    def __init__(
        self, *, base_url: str, sender: str, timeout_s: float, status_url: str = "", whatsapp_sender: str = ""
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.sender = sender
        self.whatsapp_sender = whatsapp_sender
        self.timeout_s = timeout_s
        self.status_url = status_url

    def _post(self, url: str, body: bytes, headers: dict[str, str]) -> Any:
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - URL from settings
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:  # noqa: S310
                return json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            code = error.code
            if code == HTTPStatus.TOO_MANY_REQUESTS:
                wait = retry_after(error.headers.get("Retry-After"))
                raise TemporaryFailureError(f"{self.name} answered 429", retry_after_s=wait) from None
            if code >= HTTPStatus.INTERNAL_SERVER_ERROR:
                raise TemporaryFailureError(f"{self.name} answered {code}") from None
            raise PermanentFailureError(f"{self.name} answered {code}") from None
        except TimeoutError:
            raise MaybeSentError(f"{self.name} did not answer in time") from None
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError | socket.timeout):
                raise MaybeSentError(f"{self.name} did not answer in time") from None
            raise TemporaryFailureError(f"{self.name} unreachable: {type(error.reason).__name__}") from None
        except (ConnectionError, ValueError) as error:
            raise TemporaryFailureError(f"{self.name}: {type(error).__name__}") from None


class CmBackend(HttpProvider):
    """CM.com Business Messaging: the product token goes in the body; the answer lists each message."""

    name = "CM.com"

    def __init__(self, *, product_token: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.product_token = product_token

    def payload(self, *, to: str, text: str, reference: str) -> dict[str, Any]:
        return {
            "messages": {
                "authentication": {"productToken": self.product_token},
                "msg": [
                    {
                        "from": self.sender,
                        "to": [{"number": "00" + to.lstrip("+")}],
                        "body": {"type": "auto", "content": text},
                        "reference": reference,
                        "minimumNumberOfMessageParts": 1,
                        "maximumNumberOfMessageParts": MAX_PARTS,
                    }
                ],
            }
        }

    def send(self, *, to: str, text: str, reference: str) -> SentSms:
        parts = sms_segments(text).count
        if parts > MAX_PARTS:  # CM.com would refuse it, or cut it off: not sent, and not retried
            raise PermanentFailureError(f"text takes {parts} SMS parts; CM.com takes at most {MAX_PARTS}")
        body = json.dumps(self.payload(to=to, text=text, reference=reference)).encode()
        answer = self._post(self.base_url + "/v1.0/message", body, {"Content-Type": "application/json"})
        return self._sent(answer, reference)

    def _sent(self, answer: Any, reference: str) -> SentSms:
        answer = answer if isinstance(answer, dict) else {}
        messages = answer.get("messages") or [{}]
        first = messages[0] if isinstance(messages[0], dict) else {}
        if answer.get("errorCode") or first.get("status") == "Rejected":
            raise PermanentFailureError(f"CM.com refused: {str(first.get('messageDetails') or '')[:120]}")
        # CM reports on the reference; it has no id of its own for a message.
        return SentSms(id=reference, status=str(first.get("status", "Accepted"))[:20])

    def whatsapp_payload(self, *, to: str, text: str, reference: str, template: WhatsAppTemplate | None) -> Any:
        payload = self.payload(to=to, text=text, reference=reference)
        msg = payload["messages"]["msg"][0]
        msg["from"] = "00" + template_sender(self.whatsapp_sender)
        msg["allowedChannels"] = ["WhatsApp"]
        del msg["minimumNumberOfMessageParts"], msg["maximumNumberOfMessageParts"]  # SMS only
        if template is not None:
            msg["richContent"] = {
                "conversation": [
                    {
                        "template": {
                            "whatsapp": {
                                "namespace": template.namespace,
                                "element_name": template.name,
                                "language": {"policy": "deterministic", "code": template.language},
                                "components": [{"type": "body", "parameters": [{"type": "text", "text": text}]}],
                            }
                        }
                    }
                ]
            }
        return payload

    def send_whatsapp(self, *, to: str, text: str, reference: str, template: WhatsAppTemplate | None) -> SentSms:
        body = json.dumps(self.whatsapp_payload(to=to, text=text, reference=reference, template=template)).encode()
        answer = self._post(self.base_url + "/v1.0/message", body, {"Content-Type": "application/json"})
        return self._sent(answer, reference)


class SpryngBackend(HttpProvider):
    name = "Spryng"

    def __init__(self, *, key: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.key = key

    def payload(self, *, to: str, text: str, reference: str) -> dict[str, Any]:
        return {
            "body": text,
            "encoding": "auto",
            "originator": self.sender,
            "recipients": [to.lstrip("+")],
            "route": "business",
            "reference": reference,
        }

    def send(self, *, to: str, text: str, reference: str) -> SentSms:
        body = json.dumps(self.payload(to=to, text=text, reference=reference)).encode()
        headers = {"Authorization": f"Bearer {self.key}", "Content-Type": "application/json"}
        answer = self._post(self.base_url + "/v1/messages", body, headers)
        if not isinstance(answer, dict) or not answer.get("id"):
            raise TemporaryFailureError("Spryng answered without an id")
        return SentSms(id=str(answer["id"])[:100], status="accepted")


class BirdBackend(HttpProvider):
    name = "Bird"

    def __init__(self, *, access_key: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.access_key = access_key

    def payload(self, *, to: str, text: str, reference: str) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "originator": self.sender,
            "recipients": [int(to.lstrip("+"))],
            "body": text,
            "reference": reference,
            "datacoding": "auto",
        }
        if self.status_url:
            payload["reportUrl"] = self.status_url
        return payload

    def send(self, *, to: str, text: str, reference: str) -> SentSms:
        body = json.dumps(self.payload(to=to, text=text, reference=reference)).encode()
        headers = {"Authorization": f"AccessKey {self.access_key}", "Content-Type": "application/json"}
        answer = self._post(self.base_url + "/messages", body, headers)
        if not isinstance(answer, dict) or not answer.get("id"):
            raise TemporaryFailureError("Bird answered without an id")
        return SentSms(id=str(answer["id"])[:100], status="sent")


class TwilioBackend(HttpProvider):
    name = "Twilio"

    def __init__(self, *, account_sid: str, auth_token: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.account_sid = account_sid
        self.auth_token = auth_token

    def payload(self, *, to: str, text: str, reference: str) -> dict[str, str]:
        del reference  # Twilio takes no client reference; its status callbacks name its own MessageSid
        form = {"To": to, "From": self.sender, "Body": text}
        if self.status_url:
            form["StatusCallback"] = self.status_url
        return form

    def whatsapp_payload(
        self, *, to: str, text: str, reference: str, template: WhatsAppTemplate | None
    ) -> dict[str, str]:
        form = self.payload(to=to, text=text, reference=reference)
        form["To"], form["From"] = "whatsapp:" + to, "whatsapp:+" + template_sender(self.whatsapp_sender)
        if template is not None:  # outside the 24-hour window: the approved template, which replaces Body
            del form["Body"]
            form["ContentSid"] = template.name
            form["ContentVariables"] = json.dumps({"1": text}, ensure_ascii=False)
        return form

    def send_whatsapp(self, *, to: str, text: str, reference: str, template: WhatsAppTemplate | None) -> SentSms:
        return self._send_form(self.whatsapp_payload(to=to, text=text, reference=reference, template=template))

    def send(self, *, to: str, text: str, reference: str) -> SentSms:
        return self._send_form(self.payload(to=to, text=text, reference=reference))

    def _send_form(self, form: dict[str, str]) -> SentSms:
        body = urllib.parse.urlencode(form).encode()
        credentials = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        headers = {"Authorization": f"Basic {credentials}", "Content-Type": "application/x-www-form-urlencoded"}
        url = f"{self.base_url}/2010-04-01/Accounts/{urllib.parse.quote(self.account_sid)}/Messages.json"
        answer = self._post(url, body, headers)
        if not isinstance(answer, dict) or not answer.get("sid"):
            raise TemporaryFailureError("Twilio answered without a sid")
        return SentSms(id=str(answer["sid"])[:100], status=str(answer.get("status", "queued"))[:20])
