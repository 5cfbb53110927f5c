"""Request limits: the body size enforced while reading (413), and simple per-key rate windows."""
from __future__ import annotations

import threading
import time
from collections import deque


class BodyTooLarge(Exception):
    """Raised from `receive` once a request body passes the limit; answered with 413."""


class BodyLimit:
    """Pure ASGI middleware: refuse a declared Content-Length over the limit at once, and count the
    bytes of a streamed body as they arrive, raising BodyTooLarge past the limit."""

    def __init__(self, app, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            return await self.app(scope, receive, send)
        limit = scope.get("tiket.body_limit", self.max_bytes)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isascii() and declared.isdigit() and int(declared) > limit:
            return await too_large(send)
        seen = 0

        async def counted():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge()
            return message

        started = False

        async def watch(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watch)
        except BodyTooLarge:
            if not started:
                await too_large(send)


async def too_large(send) -> None:
    body = (b'{"type":"urn:tiket:problem:too-large","title":"Request body too large","status":413}')
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/problem+json"),
                            (b"content-length", str(len(body)).encode()), (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


class RateWindow:
    """At most `limit` hits per key in a sliding hour (in this process)."""

    def __init__(self, limit: int, seconds: float = 3600.0, clock=time.monotonic) -> None:
        self.limit, self.seconds, self.clock = limit, seconds, clock
        self.hits: dict[str, deque] = {}
        self.lock = threading.Lock()

    def allow(self, key: str) -> bool:
        if self.limit <= 0:
            return True
        now = self.clock()
        with self.lock:
            window = self.hits.setdefault(key, deque())
            while window and window[0] <= now - self.seconds:
                window.popleft()
            if len(window) >= self.limit:
                return False
            window.append(now)
            if len(self.hits) > 100_000:  # forget idle keys
                for stale in [k for k, v in self.hits.items() if not v or v[-1] <= now - self.seconds]:
                    del self.hits[stale]
            return True
