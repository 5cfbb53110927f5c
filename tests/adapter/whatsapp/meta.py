"""Webhook calls exactly as Meta sends them: the WhatsApp Business Account envelope, JSON with
the message or status, signed X-Hub-Signature-256 = "sha256=" + HMAC-SHA256(raw body, app secret).
A retry is the same body sent again."""
from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import secrets

import httpx

_ids = itertools.count(1)


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def wamid() -> str:
    return f"wamid.HBgNNjI4{next(_ids):08d}{secrets.token_hex(6).upper()}"


class Meta:
    def __init__(self, base_url: str, secret: str, clock, graph, phone_number_id: str = "1098765432") -> None:
        self.url = base_url + "/whatsapp/webhook"
        self.secret = secret
        self.clock = clock
        self.graph = graph
        self.phone_number_id = phone_number_id
        self.http = httpx.Client(timeout=10)
        self.last_body: bytes = b""

    def close(self) -> None:
        self.http.close()

    def envelope(self, value: dict) -> dict:
        return {"object": "whatsapp_business_account",
                "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": {
                    "messaging_product": "whatsapp",
                    "metadata": {"display_phone_number": "15550783881", "phone_number_id": self.phone_number_id},
                    **value}}]}]}

    def post(self, body: bytes, *, signature: str | None = None) -> httpx.Response:
        self.last_body = body
        headers = {"Content-Type": "application/json",
                   "X-Hub-Signature-256": signature if signature is not None else sign(self.secret, body)}
        return self.http.post(self.url, content=body, headers=headers)

    def retry(self) -> httpx.Response:
        """Meta sends the same call again (it did not see our 200 in time)."""
        return self.post(self.last_body)

    def message(self, number: str, message: dict, *, name: str = "Budi Santoso", **kw) -> httpx.Response:
        digits = number.lstrip("+")
        message = {"from": digits, "id": message.pop("id", None) or wamid(),
                   "timestamp": str(int(self.clock.now().timestamp())), **message}
        self.graph.inbound(digits, self.clock.now())  # the window opens at Meta too
        body = self.envelope({"contacts": [{"profile": {"name": name}, "wa_id": digits}], "messages": [message]})
        return self.post(json.dumps(body).encode(), **kw)

    def text(self, number: str, text: str, **kw) -> httpx.Response:
        return self.message(number, {"type": "text", "text": {"body": text}}, **kw)

    def pick(self, number: str, row_id: str, title: str = "", **kw) -> httpx.Response:
        return self.message(number, {"type": "interactive", "interactive": {
            "type": "list_reply", "list_reply": {"id": row_id, "title": title or row_id}}}, **kw)

    def media(self, number: str, kind: str, media_id: str, mime: str, *, caption: str | None = None,
              filename: str | None = None, **kw) -> httpx.Response:
        media = {"id": media_id, "mime_type": mime, "sha256": "abc"}
        if caption:
            media["caption"] = caption
        if filename:
            media["filename"] = filename
        return self.message(number, {"type": kind, kind: media}, **kw)

    def location(self, number: str, lat: float, lng: float, name: str = "", address: str = "",
                 **kw) -> httpx.Response:
        return self.message(number, {"type": "location", "location": {
            "latitude": lat, "longitude": lng, "name": name, "address": address}}, **kw)

    def status(self, wamid_: str, status: str, number: str, *, errors: list | None = None) -> httpx.Response:
        item = {"id": wamid_, "status": status, "timestamp": str(int(self.clock.now().timestamp())),
                "recipient_id": number.lstrip("+")}
        if status in ("sent", "delivered"):
            item["conversation"] = {"id": "c1", "origin": {"type": "service"}}
            item["pricing"] = {"billable": True, "pricing_model": "CBP", "category": "service"}
        if errors:
            item["errors"] = errors
        return self.post(json.dumps(self.envelope({"statuses": [item]})).encode())
