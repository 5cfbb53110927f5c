"""The ASGI app uvicorn serves: Slack's endpoints plus health and readiness.

POST /slack/events     slash commands, interactivity, Events API (signatures checked by Bolt)
GET  /slack/install    OAuth install page (multi-workspace only)
GET  /slack/oauth_redirect
GET  /healthz          answers without touching anything
GET  /readyz           checks the database; reports the scheduler heartbeat when there is one
Bolt's dispatch is synchronous; it runs in Starlette's thread pool so the event loop
keeps taking requests.
"""
from __future__ import annotations

import logging

from slack_bolt import BoltRequest, BoltResponse
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

log = logging.getLogger(__name__)


def _to_bolt(request: Request, body: bytes) -> BoltRequest:
    return BoltRequest(body=body.decode("utf-8"), query=str(request.url.query),
                       headers={k: v for k, v in request.headers.items()})


def _to_response(resp: BoltResponse) -> Response:
    out = Response(status_code=resp.status, content=resp.body,
                   headers=resp.first_headers_without_set_cookie())
    for cookie in resp.cookies():
        for name, c in cookie.items():
            out.set_cookie(key=name, value=c.value, max_age=c.get("max-age"), path=c.get("path") or "/",
                           secure=True, httponly=True)
    return out


def heartbeat(container) -> dict | None:
    """The SLA scheduler's heartbeat staleness."""
    try:
        status = container.scheduler_status()
    except Exception as exc:  # a readiness probe reports, it does not crash
        return {"error": f"{type(exc).__name__}: {exc}"}
    return status if isinstance(status, dict) else {"status": str(status)}


def asgi_app(container, bolt_app) -> Starlette:
    async def events(request: Request) -> Response:
        body = await request.body()
        resp = await run_in_threadpool(bolt_app.dispatch, _to_bolt(request, body))
        return _to_response(resp)

    async def oauth(request: Request) -> Response:
        flow = bolt_app.oauth_flow
        if flow is None:
            return PlainTextResponse("not found", status_code=404)
        req = _to_bolt(request, await request.body())
        handle = flow.handle_installation if request.url.path == flow.install_path else flow.handle_callback
        return _to_response(await run_in_threadpool(handle, req))

    async def healthz(request: Request) -> Response:
        return JSONResponse({"ok": True})

    def check_db() -> str | None:
        return container.check_database()

    async def readyz(request: Request) -> Response:
        problem = await run_in_threadpool(check_db)
        body = {"ok": problem is None, "database": problem or "ok"}
        beat = await run_in_threadpool(heartbeat, container)
        if beat is not None:
            body["scheduler"] = beat
        return JSONResponse(body, status_code=200 if problem is None else 503)

    return Starlette(routes=[
        Route("/slack/events", events, methods=["POST"]),
        Route("/slack/install", oauth, methods=["GET"]),
        Route("/slack/oauth_redirect", oauth, methods=["GET"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
    ])
