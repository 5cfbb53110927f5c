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

import asyncio
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
from tickets.ports import Clock, Inbound, Inbox

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
    put_many: Callable[[list[Inbound], object], list[bool]] | None = None  # one transaction for many


class GroupCommit:
    """Calls arriving while a write is under way are stored together in the next one: a burst of
    webhook calls costs a few commits, not one each (each call still waits for its own rows)."""

    def __init__(self, deps: WebhookDeps) -> None:
        self.deps = deps
        self.waiting: list[tuple[list[Inbound], asyncio.Future]] = []
        self.writing = False

    def _write(self, items: list[Inbound]) -> list[bool]:
        now = self.deps.clock.now()
        if self.deps.put_many is not None:
            return self.deps.put_many(items, now)
        return [self.deps.inbox.put(item, now) for item in items]

    async def put(self, items: list[Inbound]) -> int:
        future = asyncio.get_running_loop().create_future()
        self.waiting.append((items, future))
        if not self.writing:
            self.writing = True
            try:
                while self.waiting:
                    batch, self.waiting = self.waiting, []
                    try:
                        stored = await run_in_threadpool(self._write, [i for its, _ in batch for i in its])
                    except Exception as exc:  # every caller of this batch answers 500; Meta retries
                        for _, waiter in batch:
                            waiter.set_exception(exc)
                        continue
                    at = 0
                    for its, waiter in batch:
                        waiter.set_result(sum(stored[at:at + len(its)]))
                        at += len(its)
            finally:
                self.writing = False
        return await future


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

    writer = GroupCommit(deps)

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
            fresh = await writer.put(items)
            if fresh and deps.wake:
                deps.wake()
        return JSONResponse({"ok": True})

    return [Route("/whatsapp/webhook", verify, methods=["GET"]),
            Route("/whatsapp/webhook", receive, methods=["POST"])]
