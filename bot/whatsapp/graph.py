"""The WhatsApp Cloud API (Graph API) calls Tiket makes: send a message, fetch a media file.

Errors come back as GraphError with Meta's code; a "slow down" (HTTP 429, or codes 4, 80007,
130429, 131056) becomes RetryLater so the dispatcher waits; 131047 (outside the 24-hour
window) is OutsideWindow, so the notifier falls back to the template.
"""
from __future__ import annotations

import httpx

from tickets.ports import RetryLater

SLOW_DOWN = {4, 80007, 130429, 131056}
OUTSIDE_WINDOW = 131047


class GraphError(Exception):
    def __init__(self, status: int, code: int | None, message: str, details: str = "") -> None:
        super().__init__(f"{status} ({code}) {message}" + (f": {details}" if details else ""))
        self.status, self.code, self.message, self.details = status, code, message, details


class OutsideWindow(GraphError):
    pass


def _retry_after(response: httpx.Response, default: float = 60.0) -> float:
    try:
        return float(response.headers.get("retry-after", default))
    except ValueError:
        return default


def check(response: httpx.Response) -> dict:
    """The JSON of a good answer; GraphError / OutsideWindow / RetryLater otherwise."""
    try:
        body = response.json()
    except ValueError:
        body = {}
    if response.status_code < 400 and "error" not in body:
        return body
    error = body.get("error") or {}
    code = error.get("code")
    if response.status_code == 429 or code in SLOW_DOWN:
        raise RetryLater(_retry_after(response))
    details = (error.get("error_data") or {}).get("details") or ""
    cls = OutsideWindow if code == OUTSIDE_WINDOW else GraphError
    raise cls(response.status_code, code, error.get("message") or response.reason_phrase, details)


class GraphClient:
    def __init__(self, api_url: str, token: str, phone_number_id: str, *, timeout: float = 15.0,
                 http: httpx.Client | None = None) -> None:
        self.api_url = api_url.rstrip("/")
        self.phone_number_id = phone_number_id
        self.http = http or httpx.Client(timeout=timeout, headers={"Authorization": f"Bearer {token}"})

    def close(self) -> None:
        self.http.close()

    def send(self, message: dict) -> str:
        """POST /<phone number id>/messages; returns the new message's wamid."""
        body = check(self.http.post(f"{self.api_url}/{self.phone_number_id}/messages",
                                    json={"messaging_product": "whatsapp", "recipient_type": "individual",
                                          **message}))
        return body["messages"][0]["id"]

    def media(self, media_id: str, max_bytes: int = 25 * 1024 * 1024) -> tuple[bytes, str]:
        """GET /<media id> for its short-lived URL, then GET that URL (with the token): (bytes, mime type)."""
        info = check(self.http.get(f"{self.api_url}/{media_id}"))
        if int(info.get("file_size") or 0) > max_bytes:
            raise GraphError(413, None, "media too large", str(info.get("file_size")))
        response = self.http.get(info["url"])
        if response.status_code >= 400:
            check(response)
        return response.content, info.get("mime_type") or response.headers.get("content-type", "")
