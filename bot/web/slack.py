"""Slack's endpoints in the web process: bot/slack/web.py's app mounted as it is (its own handling,
limits and signature checks), with the process's one pump (tickets.pump) started and stopped with the process."""
from __future__ import annotations

from starlette.routing import Mount

from bot.web.app import WebRouter


def slack_router(container) -> WebRouter:
    from bot.slack.runtime import build

    runtime = build(container)
    # Slack's app routes /slack/... itself; mounted last so the web door's own paths come first.
    return WebRouter("slack", routes=[Mount("", app=runtime.asgi)], startup=runtime.pump.start,
                     shutdown=runtime.pump.stop, catch_all=True)
