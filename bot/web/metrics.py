"""The web process's side of the metrics: the acknowledgement timer (ASGI middleware) and the
/metrics endpoint, over the process's registry (config.metrics.Metrics, handed in by the container)."""
from __future__ import annotations

import time
from typing import Any

Metrics = Any  # config.metrics.Metrics: observe_ack(channel, seconds), exposition()


def channel_of(path: str) -> str | None:
    """The channel an HTTP path belongs to, for the acknowledgement histogram (None: not a channel)."""
    for prefix, channel in (("/slack/", "slack"), ("/whatsapp/", "whatsapp"), ("/api/", "api"),
                            ("/t/", "web"), ("/s/", "web")):
        if path.startswith(prefix):
            return channel
    return None


class AckTimer:
    """ASGI middleware: time every channel request from arrival to the response's start."""

    def __init__(self, app, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope, receive, send):
        channel = channel_of(scope.get("path", "")) if scope.get("type") == "http" else None
        if channel is None:
            return await self.app(scope, receive, send)
        started = time.perf_counter()

        async def timed_send(message):
            if message.get("type") == "http.response.start":
                self.metrics.observe_ack(channel, time.perf_counter() - started)
            await send(message)

        return await self.app(scope, receive, timed_send)


def metrics_endpoint(metrics: Metrics):
    """A Starlette endpoint serving the registry."""
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import Response

    async def endpoint(_request):
        body, content_type = await run_in_threadpool(metrics.exposition)  # the store collector queries
        return Response(body, media_type=content_type)

    return endpoint
