"""The Bolt app factory: built from the Container's settings when asked, never at import.

Listeners live in one module per kind (commands, actions, views, events, shortcuts,
home). process_before_response is on: Bolt answers Slack only when the ack function
has returned, and the slow part of each listener is a lazy function run afterwards,
so an acknowledgement never waits behind other requests' work.
"""
from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Callable

from slack_bolt import App

from bot.slack import actions, commands, events, home, shortcuts, views, workflow_actions
from bot.slack.deps import SlackDeps
from bot.slack.notifier import make_client
from bot.slack.oauth import oauth_enabled, oauth_settings

log = logging.getLogger(__name__)
LISTENERS = (commands, actions, views, events, shortcuts, home, workflow_actions)


class SlackNotConfigured(RuntimeError):
    pass


class ListenerPool(ThreadPoolExecutor):
    """Bolt's listener executor, counting work in flight (the lazy halves of listeners),
    so a graceful stop, a benchmark or a test can wait until everything is done."""

    def __init__(self, workers: int) -> None:
        super().__init__(workers, "tiket-slack")
        self._busy = 0
        self._idle = threading.Condition()

    def submit(self, fn, /, *args, **kwargs):
        with self._idle:
            self._busy += 1

        def run():
            try:
                return fn(*args, **kwargs)
            finally:
                with self._idle:
                    self._busy -= 1
                    self._idle.notify_all()
        return super().submit(run)

    def wait_idle(self, timeout: float = 10.0) -> bool:
        with self._idle:
            return self._idle.wait_for(lambda: self._busy == 0, timeout)


def create_app(container, *, wake: Callable[[], None] | None = None, workers: int = 16) -> App:
    settings = container.settings
    slack = settings.slack
    if slack.signing_secret is None:
        raise SlackNotConfigured("TIKET_SLACK__SIGNING_SECRET is not set")
    if not (slack.bot_token or oauth_enabled(settings)):
        raise SlackNotConfigured("set TIKET_SLACK__BOT_TOKEN, or TIKET_SLACK__CLIENT_ID and __CLIENT_SECRET")
    kwargs = {}
    if oauth_enabled(settings):
        kwargs["oauth_settings"] = oauth_settings(settings, container.engine)
        client = make_client(None, slack.api_url)
    else:
        kwargs["token_verification_enabled"] = False  # auth.test on the first request, not at build time
        client = make_client(slack.bot_token.get_secret_value(), slack.api_url)  # Bolt takes the client's token
    pool = ListenerPool(workers)
    app = App(signing_secret=slack.signing_secret.get_secret_value(), client=client,
              process_before_response=True, listener_executor=pool, **kwargs)
    app.tiket_pool = pool
    if oauth_enabled(settings):
        app.enable_token_revocation_listeners()
    deps = SlackDeps(container, wake=wake)
    for module in LISTENERS:
        module.register(app, deps)
    app.tiket_deps = deps
    return app
