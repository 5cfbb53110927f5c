"""`build_web_app(container, routers=[...])`: the one ASGI app of the web process.

A `WebRouter` is what a channel brings to the web process: its routes (Starlette `Route`/`Mount`,
or a FastAPI `APIRouter`), and optionally what to start and stop with the process and the inbox
handlers it registers. The web door's own parts (health, API, form, status pages) are routers too;
channel routers (Slack, WhatsApp, ...) are listed in bot/web/factory.py and built from settings.
"""
from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass, field
from typing import Any, Callable

from starlette.routing import BaseRoute

from bot.web.limits import BodyLimit
from bot.web.metrics import AckTimer

log = logging.getLogger(__name__)


@dataclass
class WebRouter:
    name: str
    routes: list[BaseRoute] = field(default_factory=list)  # plain Starlette routes, mounted as they are
    api: Any = None  # a fastapi.APIRouter whose operations appear in /api/v1/openapi.json
    startup: Callable[[], None] | None = None
    shutdown: Callable[[], None] | None = None
    register_inbox: Callable[[Any], None] | None = None  # called with the process's InboxWorker
    catch_all: bool = False  # mounted after every other router (an app that routes its own paths)


def build_web_app(container, routers: list[WebRouter], *, worker=None):
    """One FastAPI app (FastAPI is Starlette) serving every router; routers start and stop with it."""
    from fastapi import FastAPI

    @contextlib.asynccontextmanager
    async def lifespan(app):
        started = []
        try:
            for router in routers:
                if router.startup is not None:
                    router.startup()
                started.append(router)
            yield
        finally:
            for router in reversed(started):
                if router.shutdown is not None:
                    try:
                        router.shutdown()
                    except Exception:  # one part failing to stop must not keep the others running
                        log.exception("web router %s failed to stop", router.name)

    app = FastAPI(title="Tiket API", version="1", openapi_url="/api/v1/openapi.json", docs_url=None,
                  redoc_url=None, lifespan=lifespan)
    from bot.web import problems

    problems.install(app)
    app.state.container = container
    app.state.routers = {r.name: r for r in routers}
    for router in routers:
        if worker is not None and router.register_inbox is not None:
            router.register_inbox(worker)
        if router.api is not None:
            app.include_router(router.api)
    for router in sorted(routers, key=lambda r: r.catch_all):
        app.router.routes.extend(router.routes)
    app.add_middleware(BodyLimit, max_bytes=container.settings.web.max_body_bytes)
    app.add_middleware(AckTimer, metrics=container.metrics)  # outermost: times the whole acknowledgement
    return app
