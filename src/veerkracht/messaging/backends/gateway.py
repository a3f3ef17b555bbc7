"""An HTTP SMS gateway: ``POST {base}/messages`` with a bearer key, answering 200 ``{"id", "status"}``.

The reference goes with every attempt, so the gateway recognises a retry after a timeout and does
not send the text again. 5xx, 429, timeouts and refused connections are temporary (a 429 is tried again
no sooner than its Retry-After, as with the providers); other 4xx answers (a bad number, a rejected key)
are permanent.
"""

import json
import urllib.error
import urllib.request
from http import HTTPStatus

from veerkracht.messaging.backends.base import PermanentFailureError, SentSms, TemporaryFailureError, retry_after


class GatewayBackend:
    idempotent = True

    def __init__(self, *, base_url: str, key: str, timeout_s: float) -> None:
        self.url = base_url.rstrip("/") + "/messages"
        self.key = key
        self.timeout_s = timeout_s

    def _request(self, body: bytes) -> urllib.request.Request:
        headers = {"Authorization": f"Bearer {self.key}", "Content-Type": "application/json"}
        return urllib.request.Request(self.url, data=body, headers=headers, method="POST")  # noqa: S310 - https URL from settings

    def send(self, *, to: str, text: str, reference: str) -> SentSms:
        body = json.dumps({"to": to, "text": text, "reference": reference}).encode()
        try:
            with urllib.request.urlopen(self._request(body), timeout=self.timeout_s) as response:  # noqa: S310
                answer = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            if error.code == HTTPStatus.TOO_MANY_REQUESTS:
                wait = retry_after(error.headers.get("Retry-After"))
                raise TemporaryFailureError("gateway answered 429", retry_after_s=wait) from None
            failure = TemporaryFailureError if error.code >= HTTPStatus.INTERNAL_SERVER_ERROR else PermanentFailureError
            raise failure(f"gateway answered {error.code}") from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            raise TemporaryFailureError(f"gateway unreachable: {type(error).__name__}") from None
        except ValueError:
            raise TemporaryFailureError("gateway answered something other than JSON") from None
        if not isinstance(answer, dict) or not answer.get("id"):
            raise TemporaryFailureError("gateway answer without an id")
        return SentSms(id=str(answer["id"])[:100], status=str(answer.get("status", ""))[:20])
