"""A local SMS gateway that speaks the adapter's API, for tests: no network beyond 127.0.0.1.

``POST /messages`` with a bearer key and ``{"to", "text", "reference"}`` answers 200 ``{"id", "status"}``.
Like a real gateway it sends a reference once: a retry with the same reference gets the same id.
``fail_first`` answers 500 to that many requests; ``busy_first`` answers 429 with ``Retry-After: retry_after``
to that many requests (after the 500s); ``stall_first`` accepts that many messages and then
answers too late (the client times out, although the gateway has taken the text).
"""

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

KEY = "test-gateway-key"
# How often a test server's loop looks whether it is to stop: the standard library's half second
# was spent at the end of every test that ran one.
SHUTDOWN_POLL_S = 0.01


@dataclass
class Gateway:
    url: str = ""
    fail_first: int = 0
    stall_first: int = 0
    stall_s: float = 1.5
    status_code: int = 200
    busy_first: int = 0
    retry_after: str = "1"
    requests: list[dict[str, Any]] = field(default_factory=list)  # every request, with its time
    sent: dict[str, dict[str, Any]] = field(default_factory=dict)  # reference → the text on its way to a phone
    lock: threading.Lock = field(default_factory=threading.Lock)

    def phones(self) -> list[str]:
        return [message["to"] for message in self.sent.values()]


def _handler(gateway: Gateway) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # keep the test output clean
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
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
            with gateway.lock:
                gateway.requests.append({"at": time.monotonic(), **body})
                number = len(gateway.requests)
                if self.path != "/messages" or self.headers.get("Authorization") != f"Bearer {KEY}":
                    return self._answer(401, {"error": "unauthorised"})
                if number <= gateway.fail_first:
                    return self._answer(500, {"error": "try again"})
                if number <= gateway.fail_first + gateway.busy_first:
                    return self._answer(429, {"error": "too many requests"}, {"Retry-After": gateway.retry_after})
                if gateway.status_code != 200:
                    return self._answer(gateway.status_code, {"error": "refused"})
                first = body["reference"] not in gateway.sent
                if first:
                    gateway.sent[body["reference"]] = {"id": f"gw-{len(gateway.sent) + 1}", **body}
                answer = {"id": gateway.sent[body["reference"]]["id"], "status": "accepted"}
            if number <= gateway.fail_first + gateway.busy_first + gateway.stall_first:
                time.sleep(gateway.stall_s)  # taken, but the answer comes after the client gave up
            return self._answer(200, answer)

    return Handler


class GatewayServer:
    def __init__(self, gateway: Gateway) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(gateway))
        self.server.daemon_threads = True
        gateway.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(SHUTDOWN_POLL_S,), daemon=True)

    def __enter__(self) -> "GatewayServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
