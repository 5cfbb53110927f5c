"""The WhatsApp webhook on the web process.

GET  /whatsapp/webhook   Meta's subscription handshake: answers hub.challenge when hub.mode is
                         "subscribe" and hub.verify_token matches; 403 otherwise.
POST /whatsapp/webhook   message and status callbacks, signed by Meta: X-Hub-Signature-256 is
                         "sha256=" + HMAC-SHA256(raw body, app secret), compared in constant time
                         (401 and nothing stored when it is not). Each message and status goes to
                         the inbox (key whatsapp:<wamid>, so Meta's retries are stored once), then
                         200 at once; the inbox worker does the work.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
from dataclasses import dataclass
from typing import Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from bot.whatsapp.inbound import inbound_items
from tickets.ports import Clock, Inbox

log = logging.getLogger(__name__)
MAX_BODY = 1024 * 1024


@dataclass
class WebhookDeps:
    inbox: Inbox
    clock: Clock
    app_secret: str
    verify_token: str
    phone_number_id: str | None = None
    wake: Callable[[], None] | None = None  # tells the worker there is work


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signed(secret: str, body: bytes, header: str | None) -> bool:
    if not secret or not header:
        return False
    return hmac.compare_digest(signature(secret, body).encode(), header.strip().encode())


def routes(deps: WebhookDeps) -> list[Route]:
    async def verify(request: Request) -> Response:
        q = request.query_params
        token = q.get("hub.verify_token") or ""
        if (q.get("hub.mode") == "subscribe" and deps.verify_token
                and hmac.compare_digest(token.encode(), deps.verify_token.encode())):
            return PlainTextResponse(q.get("hub.challenge") or "")
        return PlainTextResponse("forbidden", status_code=403)

    def store(items) -> int:
        now = deps.clock.now()
        return sum(deps.inbox.put(item, now) for item in items)

    async def receive(request: Request) -> Response:
        if int(request.headers.get("content-length") or 0) > MAX_BODY:
            return JSONResponse({"error": "body too large"}, status_code=413)
        body = await request.body()
        if len(body) > MAX_BODY:
            return JSONResponse({"error": "body too large"}, status_code=413)
        if not signed(deps.app_secret, body, request.headers.get("x-hub-signature-256")):
            return JSONResponse({"error": "bad signature"}, status_code=401)
        try:
            items = inbound_items(json.loads(body), deps.phone_number_id)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            log.warning("whatsapp: unreadable webhook call: %s", exc)
            return JSONResponse({"error": "unreadable payload"}, status_code=400)
        if items:
            fresh = await run_in_threadpool(store, items)
            if fresh and deps.wake:
                deps.wake()
        return JSONResponse({"ok": True})

    return [Route("/whatsapp/webhook", verify, methods=["GET"]),
            Route("/whatsapp/webhook", receive, methods=["POST"])]
