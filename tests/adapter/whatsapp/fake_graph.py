"""A fake WhatsApp Cloud API (Graph API) on a loopback port: records every call, answers like
Meta and enforces the rules that bite in production:

- the 24-hour customer-service window: a free-form message to a number that has not written in
  the last 24 hours (by the shared test clock) fails with error 131047; templates go out;
- interactive lists of at most 10 rows (row title 24, description 72, button 20, body 1024
  characters) and reply buttons of at most 3 (error 131009);
- templates must be approved (known to the fake) with the right number of body parameters (132000/132001);
- media download by id then URL: GET /<media id> answers a short-lived URL, only that URL (with the
  bearer token) gives the bytes;
- `throttle(n)` makes the next n sends answer 429 with error 130429.
Everything refused is also listed in `violations` (tests assert it stays empty unless they
expect a refusal).
"""
from __future__ import annotations

import itertools
import json
import secrets
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

VERSION = "v21.0"
WINDOW = timedelta(hours=24)


@dataclass
class Call:
    method: str
    path: str
    body: dict[str, Any] | None
    token: str | None
    status: int = 200
    answer: dict[str, Any] = field(default_factory=dict)


def graph_error(code: int, message: str, details: str = "") -> dict:
    return {"error": {"message": f"(#{code}) {message}", "type": "OAuthException", "code": code,
                      "error_data": {"messaging_product": "whatsapp", "details": details},
                      "fbtrace_id": secrets.token_hex(8)}}


class FakeGraph:
    def __init__(self, clock, *, token: str = "EAAG-test", phone_number_id: str = "1098765432",
                 templates: dict[str, int] | None = None) -> None:
        self.clock = clock
        self.token = token
        self.phone_number_id = phone_number_id
        self.templates = templates if templates is not None else {"tiket_update": 2}
        self.calls: list[Call] = []
        self.violations: list[str] = []
        self.last_inbound: dict[str, datetime] = {}  # wa id (digits) -> when they last wrote
        self.media_files: dict[str, tuple[bytes, str]] = {}
        self.links: dict[str, str] = {}  # one-time hash -> media id
        self.throttled = 0
        self._ids = itertools.count(1)
        self._lock = threading.RLock()
        self.server: ThreadingHTTPServer | None = None

    # -- what tests tell the fake -------------------------------------------------------
    def inbound(self, number: str, at: datetime | None = None) -> None:
        self.last_inbound[number.lstrip("+")] = at or self.clock.now()

    def add_media(self, media_id: str, data: bytes, mime: str) -> None:
        self.media_files[media_id] = (data, mime)

    def throttle(self, n: int) -> None:
        self.throttled = n

    # -- what tests read back -------------------------------------------------------------
    def sent(self, to: str | None = None, type: str | None = None) -> list[dict]:
        """Messages Meta accepted, oldest first."""
        out = []
        for c in self.calls:
            if c.method == "POST" and c.path.endswith("/messages") and c.status == 200 and c.body:
                if (to is None or c.body.get("to") == to.lstrip("+")) and (type is None or c.body.get("type") == type):
                    out.append(c.body | {"wamid": c.answer["messages"][0]["id"]})
        return out

    def refused(self) -> list[Call]:
        return [c for c in self.calls if c.status >= 400]

    # -- the server -----------------------------------------------------------------------
    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def api_url(self) -> str:
        return f"{self.base}/{VERSION}"

    def start(self) -> "FakeGraph":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status: int, body: dict | bytes, content_type: str = "application/json") -> None:
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _token(self) -> str | None:
                auth = self.headers.get("Authorization") or ""
                return auth[7:] if auth.startswith("Bearer ") else None

            def do_GET(self):
                status, body, ctype = fake.get(urlparse(self.path), self._token())
                self._answer(status, body, ctype)

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    body = None
                status, answer = fake.post(urlparse(self.path).path, body, self._token())
                self._answer(status, answer)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    # -- Meta's behaviour -----------------------------------------------------------------
    def _record(self, call: Call, status: int, answer: dict) -> tuple[int, dict]:
        call.status, call.answer = status, answer
        with self._lock:
            self.calls.append(call)
            if status >= 400 and status != 429:
                self.violations.append(f"{call.method} {call.path}: {answer['error']['message']}")
        return status, answer

    def post(self, path: str, body: dict | None, token: str | None) -> tuple[int, dict]:
        call = Call("POST", path, body, token)
        if token != self.token:
            return self._record(call, 401, graph_error(190, "Invalid OAuth access token"))
        if path != f"/{VERSION}/{self.phone_number_id}/messages" or not isinstance(body, dict):
            return self._record(call, 400, graph_error(100, "Invalid parameter", path))
        with self._lock:
            if self.throttled > 0:
                self.throttled -= 1
                return self._record(call, 429, graph_error(130429, "Rate limit hit"))
        problem = self.check_message(body)
        if problem:
            return self._record(call, 400, problem)
        wamid = f"wamid.HBgN{next(self._ids):06d}{secrets.token_hex(4).upper()}"
        return self._record(call, 200, {"messaging_product": "whatsapp",
                                        "contacts": [{"input": body["to"], "wa_id": body["to"]}],
                                        "messages": [{"id": wamid}]})

    def check_message(self, body: dict) -> dict | None:
        if body.get("messaging_product") != "whatsapp" or not str(body.get("to", "")).isdigit():
            return graph_error(100, "Invalid parameter", "messaging_product / to")
        kind = body.get("type")
        if kind == "template":
            tpl = body.get("template") or {}
            if tpl.get("name") not in self.templates:
                return graph_error(132001, "Template name does not exist in the translation", str(tpl.get("name")))
            params = [p for c in tpl.get("components") or [] if c.get("type") == "body"
                      for p in c.get("parameters") or []]
            if len(params) != self.templates[tpl["name"]]:
                return graph_error(132000, "Number of parameters does not match the expected number of params")
            return None
        last = self.last_inbound.get(body["to"])
        if last is None or self.clock.now() - last >= WINDOW:
            return graph_error(131047, "Re-engagement message",
                               "Message failed to send because more than 24 hours have passed since the "
                               "customer last replied to this number.")
        if kind == "text":
            text = (body.get("text") or {}).get("body") or ""
            return None if 0 < len(text) <= 4096 else graph_error(131009, "Parameter value is not valid", "text")
        if kind == "interactive":
            return self.check_interactive(body.get("interactive") or {})
        return graph_error(131009, "Parameter value is not valid", f"type {kind}")

    @staticmethod
    def check_interactive(box: dict) -> dict | None:
        bad = []
        if not 0 < len((box.get("body") or {}).get("text") or "") <= 1024:
            bad.append("body text 1-1024")
        action = box.get("action") or {}
        if box.get("type") == "list":
            rows = [r for s in action.get("sections") or [] for r in s.get("rows") or []]
            if not 0 < len(rows) <= 10:
                bad.append(f"{len(rows)} rows (1-10)")
            if not 0 < len(action.get("button") or "") <= 20:
                bad.append("button 1-20")
            ids = [r.get("id") for r in rows]
            if len(set(ids)) != len(ids):
                bad.append("row ids not unique")
            for r in rows:
                if not 0 < len(r.get("title") or "") <= 24 or len(r.get("description") or "") > 72:
                    bad.append(f"row {r.get('id')}: title 1-24 / description 72")
        elif box.get("type") == "button":
            buttons = action.get("buttons") or []
            if not 0 < len(buttons) <= 3:
                bad.append(f"{len(buttons)} buttons (1-3)")
            for b in buttons:
                if not 0 < len((b.get("reply") or {}).get("title") or "") <= 20:
                    bad.append("button title 1-20")
        else:
            bad.append(f"interactive type {box.get('type')}")
        return graph_error(131009, "Parameter value is not valid", "; ".join(bad)) if bad else None

    def get(self, url, token: str | None) -> tuple[int, dict | bytes, str]:
        call = Call("GET", url.path + (f"?{url.query}" if url.query else ""), None, token)
        if token != self.token:
            status, body = self._record(call, 401, graph_error(190, "Invalid OAuth access token"))
            return status, body, "application/json"
        if url.path == "/media-download":
            media_id = self.links.pop((parse_qs(url.query).get("hash") or [""])[0], None)
            if media_id is None:  # a URL not handed out by GET /<media id> (or used twice)
                status, body = self._record(call, 404, graph_error(100, "Invalid media URL"))
                return status, body, "application/json"
            data, mime = self.media_files[media_id]
            self._record(call, 200, {"bytes": len(data)})
            return 200, data, mime
        media_id = url.path.rsplit("/", 1)[-1]
        if not url.path.startswith(f"/{VERSION}/") or media_id not in self.media_files:
            status, body = self._record(call, 404, graph_error(100, "Unsupported get request", media_id))
            return status, body, "application/json"
        data, mime = self.media_files[media_id]
        link = secrets.token_hex(8)
        self.links[link] = media_id
        status, body = self._record(call, 200, {
            "messaging_product": "whatsapp", "id": media_id, "mime_type": mime, "sha256": "0" * 64,
            "file_size": len(data), "url": f"{self.base}/media-download?mid={media_id}&hash={link}"})
        return status, body, "application/json"
