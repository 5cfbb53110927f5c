"""Running Slack: HTTP under uvicorn (production), or Socket Mode when an app-level
token is set; either way this process runs the pump (tickets.pump): the inbox worker
that does the work of the requests Slack's listeners stored, and the outbox delivery,
woken after each commit and every few seconds, next to any scheduler."""
from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from typing import Callable

from bot.slack.app import check_configured, create_app
from bot.slack.deps import SlackDeps
from bot.slack.durable import SlackIntake
from bot.slack.notifier import SlackNotifier, make_notifier
from bot.slack.oauth import oauth_enabled, oauth_settings
from bot.slack.web import asgi_app
from tickets.pump import Pump

log = logging.getLogger(__name__)


def register_notifier(container, **kwargs) -> SlackNotifier:
    """Put a SlackNotifier in container.notifiers (the scheduler's dispatcher uses it too)."""
    notifier = container.notifiers.get("slack")
    if notifier is None or kwargs:  # explicit settings replace the default one config.wiring attached
        notifier = container.notifiers["slack"] = make_notifier(container, **kwargs)
    return notifier


@dataclass
class SlackRuntime:
    bolt: object
    asgi: object
    pump: Pump  # this process's one pump: the inbox worker (Slack's stored requests) and the outbox
    deps: SlackDeps
    intake: SlackIntake


def build(container, *, deliver_interval: float | None = None, pace_seconds: float = 1.0,
          pump_threads: int | None = None) -> SlackRuntime:
    """Slack's parts from the container: the listeners get the narrow SlackDeps, never the container."""
    check_configured(container.settings)
    notifier = register_notifier(container, pace_seconds=pace_seconds)
    pump = container.pump(interval=deliver_interval, threads=pump_threads)
    deps = SlackDeps(settings=container.settings, directory=container.directory, service=container.service,
                     queries=container.queries, runner=container.runner, clock=container.clock,
                     refs=container.refs("slack"), inbox=container.inbox, client_for=notifier.client,
                     wake=pump.wake)
    intake = SlackIntake(deps)
    oauth = None
    if oauth_enabled(container.settings):
        installations, states = container.slack_stores()
        oauth = oauth_settings(container.settings, installations, states)
    bolt = create_app(deps, intake, oauth=oauth)
    container.worker.register("slack", intake.handle)
    return SlackRuntime(bolt, asgi_app(container, bolt), pump, deps, intake)


def _server(runtime: SlackRuntime, host: str, port: int):
    import uvicorn

    config = uvicorn.Config(runtime.asgi, host=host, port=port, log_level="warning", access_log=False,
                            lifespan="off")
    return uvicorn.Server(config)


def default_port() -> int:
    return int(os.environ.get("PORT") or 3000)


def run_slack(container, host: str = "0.0.0.0", port: int | None = None, *,
              socket_mode: bool | None = None) -> None:
    """Serve Slack until stopped (blocks): Socket Mode when an app-level token is set
    (unless socket_mode=False, as `tiket serve slack` asks), else HTTP under uvicorn."""
    runtime = build(container)
    runtime.pump.start()
    try:
        token = container.settings.slack.app_token
        if token is not None and socket_mode is not False:
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            SocketModeHandler(runtime.bolt, token.get_secret_value()).start()
        else:
            _server(runtime, host, port or default_port()).run()
    finally:
        runtime.pump.stop()


def start_slack_background(container, host: str = "0.0.0.0", port: int | None = None) -> Callable[[], None]:
    """Serve Slack from background threads; returns the function that stops it."""
    runtime = build(container)
    runtime.pump.start()
    token = container.settings.slack.app_token
    if token is not None:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        handler = SocketModeHandler(runtime.bolt, token.get_secret_value())
        handler.connect()

        def stop_socket() -> None:
            handler.close()
            runtime.pump.stop()
        return stop_socket
    server = _server(runtime, host, port or default_port())
    thread = threading.Thread(target=server.run, name="tiket-slack-http", daemon=True)
    thread.start()

    def stop_http() -> None:
        server.should_exit = True
        thread.join(timeout=10)
        runtime.pump.stop()
    return stop_http
