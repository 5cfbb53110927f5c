"""The ASGI app uvicorn serves: Slack's endpoints plus health and readiness.

POST /slack/events     slash commands, interactivity, Events API (size, signature and shape checked
                       first by bot/slack/guard.py: 413/401/400 without a traceback; then Bolt)
GET  /slack/install    OAuth install page (multi-workspace only)
GET  /slack/oauth_redirect
GET  /healthz          answers without touching anything
GET  /readyz           checks the database; reports the scheduler heartbeat when there is one
                       (in words: no driver text, hosts or ports; the detail goes to the log)
Bolt's dispatch is synchronous; it runs in Starlette's thread pool so the event loop
keeps taking requests.
"""
from __future__ import annotations

import logging
import time

from slack_bolt import BoltRequest, BoltResponse
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from bot.slack.guard import RejectLog, TooLarge, read_limited, shape_problem, signature_problem

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
    except Exception as exc:  # a readiness probe reports, it does not crash; the detail goes to the log
        log.warning("readiness: scheduler heartbeat unreadable (%s)", type(exc).__name__)
        return {"error": "the scheduler's heartbeat could not be read"}
    return status if isinstance(status, dict) else {"status": str(status)}


def asgi_app(container, bolt_app) -> Starlette:
    limits = container.settings.limits
    secret = container.settings.slack.signing_secret
    secret_bytes = secret.get_secret_value().encode() if secret is not None else None
    rejects = RejectLog(limits.bad_request_log_seconds)

    def refuse(status: int, reason: str) -> Response:
        rejects.note(reason, status)
        text = {400: "bad request", 401: "unauthorized", 413: "request body too large"}[status]
        return PlainTextResponse(text, status_code=status)

    async def body_of(request: Request) -> bytes | Response:
        try:
            return await read_limited(request, limits.max_body_bytes)
        except TooLarge:
            return refuse(413, f"body over {limits.max_body_bytes} bytes")
        except ValueError:
            return refuse(400, "malformed content-length")

    def dispatch(request: Request, body: bytes) -> BoltResponse | None:
        try:
            return bolt_app.dispatch(_to_bolt(request, body))
        except Exception as exc:  # a signed body Bolt cannot take: answered 400, logged without a traceback
            rejects.note(f"signed request Bolt could not handle ({type(exc).__name__})", 400)
            return None

    async def events(request: Request) -> Response:
        body = await body_of(request)
        if isinstance(body, Response):
            return body
        problem = signature_problem(secret_bytes, request.headers, body, time.time())
        if problem:
            return refuse(401, problem)
        problem = shape_problem(body, request.headers.get("content-type"))
        if problem:
            return refuse(400, problem)
        resp = await run_in_threadpool(dispatch, request, body)
        return _to_response(resp) if resp is not None else PlainTextResponse("bad request", status_code=400)

    async def oauth(request: Request) -> Response:
        flow = bolt_app.oauth_flow
        if flow is None:
            return PlainTextResponse("not found", status_code=404)
        body = await body_of(request)
        if isinstance(body, Response):
            return body
        if shape_problem(body, None) or len(request.url.query) > 4096:
            return refuse(400, "malformed OAuth request")
        req = _to_bolt(request, body)
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
