"""Build the web process's app from settings: the web door's own parts plus each configured channel's.

A channel that receives webhooks over HTTP adds one line to CHANNEL_ROUTERS: its platform name (as in
`Settings.platforms()`) -> "module:function", the function taking the container and returning a
`bot.web.app.WebRouter` (or None when the channel is not configured).
"""
from __future__ import annotations

import importlib

from bot.web.app import WebRouter, build_web_app

CHANNEL_ROUTERS: dict[str, str] = {
    "slack": "bot.web.slack:slack_router",
    "whatsapp": "config.whatsapp:whatsapp_router",
}


class WebNotConfigured(Exception):
    pass


def _load(spec: str):
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


def channel_routers(container) -> list[WebRouter]:
    platforms = container.settings.platforms()
    out = []
    for platform, spec in CHANNEL_ROUTERS.items():
        if platform in platforms:
            router = _load(spec)(container)
            if router is not None:
                out.append(router)
    return out


def door_routers(container, worker=None) -> list[WebRouter]:
    """The web door's own parts, in routing order; they share one WebIntake (on the process's worker)."""
    from bot.web.api import api_router
    from bot.web.form import form_router
    from bot.web.health import health_router
    from bot.web.intake import WebIntake
    from bot.web.status import status_router

    intake = WebIntake(container, worker)
    return [health_router(container), api_router(container, intake), form_router(container, intake),
            status_router(container, intake)]


def make_web_app(container, *, extra: list[WebRouter] | None = None, worker=None):
    """The whole app: health, API, form, status pages, then each configured channel (Slack last)."""
    if form_on(container):
        problem = container.settings.web.secret_problem()
        if problem:
            raise WebNotConfigured(f"{problem}; the web form is on for {', '.join(form_teams(container))}")
    if worker is None:
        from storage.inbox import SqlInbox
        from tickets.intake import InboxWorker

        worker = InboxWorker(SqlInbox(container.engine), container.clock)
    routers = door_routers(container, worker) + list(extra or []) + channel_routers(container)
    return build_web_app(container, routers, worker=worker)


def form_teams(container) -> list[str]:
    return [t.key for t in container.directory.teams.values() if t.web_form != "off"]


def form_on(container) -> bool:
    return bool(form_teams(container))
