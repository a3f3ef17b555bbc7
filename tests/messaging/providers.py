"""Local fake SMS providers: one HTTP server on 127.0.0.1 that speaks CM.com's, Spryng's, Bird's or Twilio's API.

Each contract follows the provider's documentation; the examples answered are shaped on these pages:
- CM.com: https://developers.cm.com/messaging/docs/sms (POST /v1.0/message; answer ``{"details":
  "Created 1 message(s)", "errorCode": 0, "messages": [{"to", "status": "Accepted", "reference", "parts"}]}``;
  a wrong product token answers ``{"details": "No account found for the given authentication", "errorCode": 101}``).
- Spryng: https://docs.spryngsms.com (POST /v1/messages with Bearer key; answer
  ``{"id", "encoding", "originator", "body", "reference", "credits", "scheduled_at", "created_at", ...}``;
  a wrong key answers 401 ``{"message": "Unauthenticated."}``).
- Bird (MessageBird): https://developers.messagebird.com/api/sms-messaging/ (POST /messages with
  ``Authorization: AccessKey``; answer 201 ``{"id", "href", "direction": "mt", "originator", "body", "reference",
  "datacoding", "recipients": {"totalCount", "items": [{"recipient", "status": "sent"}]}}``; a wrong key answers
  401 ``{"errors": [{"code": 2, "description": "Request not allowed (incorrect access_key)"}]}``).
- Twilio: https://www.twilio.com/docs/messaging/api/message-resource (POST
  /2010-04-01/Accounts/{sid}/Messages.json, basic auth, form; answer 201 ``{"sid": "SM...", "status": "queued",
  "num_segments"}``; a wrong token answers 401 ``{"code": 20003, "message": "Authenticate", "status": 401}``).

WhatsApp through CM.com and Twilio (the same endpoints; tests/messaging/test_whatsapp.py):
- CM.com: https://developers.cm.com/messaging/docs/whatsapp-templates (``"allowedChannels": ["WhatsApp"]``; a
  template as ``richContent.conversation[0].template.whatsapp`` with ``namespace``, ``element_name``,
  ``language {"policy": "deterministic", "code"}`` and ``components``).
- Twilio: https://www.twilio.com/docs/content/send-templates-created-with-the-content-template-builder and
  https://www.twilio.com/en-us/changelog/content-templates-messaging-services-optional (``To``/``From``
  ``whatsapp:+...``; ``ContentSid`` with ``ContentVariables`` replaces ``Body``).
Both refuse free text to a number outside WhatsApp's 24-hour window; the fake refuses it at once with
400 (Twilio: error 63016, "outside the allowed window"), where the real ones may fail it later.

``script`` answers the first requests with given errors: ``(429, "2")`` is a 429 with ``Retry-After: 2``,
``(503, "")`` a 5xx, ``("stall", "")`` takes the message and answers after the client gave up.
"""

import base64
import json
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.messaging.gateway import SHUTDOWN_POLL_S

KEY = "provider-test-key"
TWILIO_SID = "AC00000000000000000000000000000000"


@dataclass
class FakeProvider:
    name: str
    url: str = ""
    script: list[tuple[int | str, str]] = field(default_factory=list)
    stall_s: float = 1.5
    requests: list[dict[str, Any]] = field(default_factory=list)  # every request: path, headers, body, time
    taken: list[dict[str, Any]] = field(default_factory=list)  # messages the provider accepted to send
    lock: threading.Lock = field(default_factory=threading.Lock)
    whatsapp_window: set[str] = field(default_factory=set)  # numbers that wrote in the last 24 hours

    def whatsapp_refusal(self, body: dict[str, Any]) -> dict[str, Any] | None:
        """Free text outside the window is refused; a template goes always."""
        if self.name == "cm":
            msg = body["messages"]["msg"][0]
            if msg.get("allowedChannels") != ["WhatsApp"] or "richContent" in msg:
                return None
            number = "+" + msg["to"][0]["number"].removeprefix("00")
            if number in self.whatsapp_window:
                return None
            return {"details": "No template and no open conversation", "errorCode": 203, "messages": []}
        if self.name != "twilio" or not str(body.get("To", "")).startswith("whatsapp:") or "ContentSid" in body:
            return None
        if body["To"].removeprefix("whatsapp:") in self.whatsapp_window:
            return None
        return {"code": 63016, "message": "Failed to send freeform message because you are outside the allowed window."}

    def authorised(self, headers: Any, body: dict[str, Any]) -> bool:
        auth = headers.get("Authorization", "")
        if self.name == "cm":
            return bool(body.get("messages", {}).get("authentication", {}).get("productToken") == KEY)
        if self.name == "spryng":
            return bool(auth == f"Bearer {KEY}")
        if self.name == "bird":
            return bool(auth == f"AccessKey {KEY}")
        return bool(auth == "Basic " + base64.b64encode(f"{TWILIO_SID}:{KEY}".encode()).decode())

    def path(self) -> str:
        return {
            "cm": "/v1.0/message",
            "spryng": "/v1/messages",
            "bird": "/messages",
            "twilio": f"/2010-04-01/Accounts/{TWILIO_SID}/Messages.json",
        }[self.name]

    def unauthorised(self) -> dict[str, Any]:
        answers: dict[str, dict[str, Any]] = {
            "cm": {"details": "No account found for the given authentication", "errorCode": 101, "messages": []},
            "spryng": {"message": "Unauthenticated."},
            "bird": {"errors": [{"code": 2, "description": "Request not allowed (incorrect access_key)"}]},
            "twilio": {"code": 20003, "message": "Authenticate", "status": 401},
        }
        return answers[self.name]

    def accept(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        number = len(self.taken) + 1
        if self.name == "cm":
            msg = body["messages"]["msg"][0]
            self.taken.append({"to": msg["to"][0]["number"], "text": msg["body"]["content"], **msg})
            answer = {"to": msg["to"][0]["number"], "status": "Accepted", "reference": msg["reference"], "parts": 1}
            return 200, {
                "details": "Created 1 message(s)",
                "errorCode": 0,
                "messages": [answer | {"messageErrorCode": 0}],
            }
        if self.name == "spryng":
            self.taken.append({"to": body["recipients"][0], "text": body["body"], **body})
            return 200, {"id": f"spryng-{number}", "encoding": "auto", "credits": 1, **body}
        if self.name == "bird":
            self.taken.append({"to": body["recipients"][0], "text": body["body"], **body})
            items = [{"recipient": body["recipients"][0], "status": "sent"}]
            return 201, {"id": f"bird{number:028x}", "direction": "mt", "recipients": {"totalCount": 1, "items": items}}
        text = body.get("Body") or json.loads(body.get("ContentVariables", "{}")).get("1", "")
        self.taken.append({"to": body["To"], "text": text, **body})
        return 201, {"sid": f"SM{number:032x}", "status": "queued", "num_segments": "1", "to": body["To"]}


def _handler(fake: FakeProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            return

        def _answer(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if self.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
                body: dict[str, Any] = dict(urllib.parse.parse_qsl(raw.decode()))
            else:
                body = json.loads(raw or b"{}")
            stall = False
            with fake.lock:
                fake.requests.append(
                    {"at": time.monotonic(), "path": self.path, "headers": dict(self.headers), "body": body}
                )
                step = fake.script[len(fake.requests) - 1] if len(fake.requests) <= len(fake.script) else None
                if self.path != fake.path():
                    return self._answer(404, {"error": "not found"})
                if not fake.authorised(self.headers, body):
                    return self._answer(401, fake.unauthorised())
                if step is not None and step[0] == 429:
                    return self._answer(429, {"error": "too many requests"}, {"Retry-After": step[1]})
                if step is not None and isinstance(step[0], int):
                    return self._answer(step[0], {"error": "server error"})
                if (refusal := fake.whatsapp_refusal(body)) is not None:
                    return self._answer(400, refusal)
                stall = step is not None and step[0] == "stall"
                status, answer = fake.accept(body)
            if stall:
                time.sleep(fake.stall_s)
            return self._answer(status, answer)

    return Handler


class FakeProviderServer:
    def __init__(self, fake: FakeProvider) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
        self.server.daemon_threads = True
        fake.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(SHUTDOWN_POLL_S,), daemon=True)

    def __enter__(self) -> "FakeProviderServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
