"""Running Slack: HTTP under uvicorn (production), or Socket Mode when an app-level
token is set; either way a small deliverer sends Slack's outbox messages from this
process too (woken after each request, and every few seconds), next to any scheduler."""
from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from typing import Callable

from bot.slack.app import create_app
from bot.slack.notifier import SlackNotifier
from bot.slack.oauth import token_lookup
from bot.slack.web import asgi_app

log = logging.getLogger(__name__)


def make_notifier(container, *, pace_seconds: float = 1.0) -> SlackNotifier:
    settings = container.settings
    return SlackNotifier(container.engine, container.directory, container.clock,
                         token_for=token_lookup(settings, container.engine), api_url=settings.slack.api_url,
                         pace_seconds=pace_seconds)


def register_notifier(container, **kwargs) -> SlackNotifier:
    """Put a SlackNotifier in container.notifiers (the scheduler's dispatcher uses it too)."""
    notifier = container.notifiers.get("slack")
    if notifier is None or kwargs:  # explicit settings replace the default one config.wiring attached
        notifier = container.notifiers["slack"] = make_notifier(container, **kwargs)
    return notifier


class Deliverer:
    """Drains Slack's outbox rows in a background thread; wake() for an immediate round."""

    def __init__(self, container, interval: float | None = None) -> None:
        self.container = container
        self.interval = interval if interval is not None else container.settings.scheduler.deliver_seconds
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="tiket-slack-deliver", daemon=True)

    def start(self) -> "Deliverer":
        self._thread.start()
        return self

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=10)

    def _loop(self) -> None:
        dispatcher = self.container.dispatcher()
        while not self._stop.is_set():
            self._wake.wait(self.interval)
            self._wake.clear()
            try:
                while not self._stop.is_set() and dispatcher.run_once(platforms=["slack"]):
                    pass
            except Exception:
                log.exception("slack delivery round failed")


@dataclass
class SlackRuntime:
    bolt: object
    asgi: object
    deliverer: Deliverer


def build(container, *, deliver_interval: float | None = None, pace_seconds: float = 1.0) -> SlackRuntime:
    register_notifier(container, pace_seconds=pace_seconds)
    deliverer = Deliverer(container, deliver_interval)
    bolt = create_app(container, wake=deliverer.wake)
    return SlackRuntime(bolt, asgi_app(container, bolt), deliverer)


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
    runtime.deliverer.start()
    try:
        token = container.settings.slack.app_token
        if token is not None and socket_mode is not False:
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            SocketModeHandler(runtime.bolt, token.get_secret_value()).start()
        else:
            _server(runtime, host, port or default_port()).run()
    finally:
        runtime.deliverer.stop()


def start_slack_background(container, host: str = "0.0.0.0", port: int | None = None) -> Callable[[], None]:
    """Serve Slack from background threads; returns the function that stops it."""
    runtime = build(container)
    runtime.deliverer.start()
    token = container.settings.slack.app_token
    if token is not None:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        handler = SocketModeHandler(runtime.bolt, token.get_secret_value())
        handler.connect()

        def stop_socket() -> None:
            handler.close()
            runtime.deliverer.stop()
        return stop_socket
    server = _server(runtime, host, port or default_port())
    thread = threading.Thread(target=server.run, name="tiket-slack-http", daemon=True)
    thread.start()

    def stop_http() -> None:
        server.should_exit = True
        thread.join(timeout=10)
        runtime.deliverer.stop()
    return stop_http
