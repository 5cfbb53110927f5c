"""GET /healthz (answers without touching anything), GET /readyz (database, scheduler heartbeat) and
GET /metrics (Prometheus)."""
from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse
from starlette.routing import Route

from bot.web.app import WebRouter


def health_router(container) -> WebRouter:
    from bot.slack.web import heartbeat  # the one readiness report, shared with Slack's own app

    async def healthz(request):
        return JSONResponse({"ok": True})

    def check_db() -> str | None:
        return container.check_database()

    async def readyz(request):
        problem = await run_in_threadpool(check_db)
        body = {"ok": problem is None, "database": problem or "ok"}
        beat = await run_in_threadpool(heartbeat, container)
        if beat is not None:
            body["scheduler"] = beat
        return JSONResponse(body, status_code=200 if problem is None else 503)

    from bot.web.metrics import metrics_endpoint

    return WebRouter("health", routes=[Route("/healthz", healthz, methods=["GET"]),
                                       Route("/readyz", readyz, methods=["GET"]),
                                       Route("/metrics", metrics_endpoint(container.metrics), methods=["GET"])])
