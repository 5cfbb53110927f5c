"""The real Bolt app over HTTP on a loopback port, against the fake Slack Web API."""
from __future__ import annotations

import socket
import threading
import time

import pytest

from config.settings import Settings
from tests.adapter.slack.fake_slack import FakeSlack
from tests.adapter.slack.slackhttp import SlackSender
from tests.conftest import FIXTURES

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


@pytest.fixture
def fake():
    server = FakeSlack().start()
    yield server
    server.stop()
    assert server.violations == [], "Block Kit limits broken"


def slack_settings(db_url: str, fake: FakeSlack, **slack) -> Settings:
    values = {"bot_token": "xoxb-test", "signing_secret": SECRET, "api_url": fake.api_url, **slack}
    return Settings(database_url=db_url, teams_file=str(FIXTURES / "teams.toml"), slack=values, _env_file=None)


@pytest.fixture
def slack_container(db_url, fake, engine, clock, directory):
    from config.wiring import build

    return build(slack_settings(db_url, fake), clock=clock, directory=directory, platforms=frozenset({"slack"}),
                 migrate=False, engine=engine)


class Served:
    """A running Slack web process: the sender, the Bolt app and the container."""

    def __init__(self, container, runtime, sender: SlackSender, fake: FakeSlack) -> None:
        self.container, self.runtime, self.send, self.fake = container, runtime, sender, fake

    def settle(self) -> int:
        """Do the work of every acknowledged request now and send its answers (the inbox worker and
        the outbox, on the test clock), as the process's pump would."""
        handled = self.container.worker.drain()
        self.container.dispatcher().drain()
        return handled

    def deliver(self) -> int:
        """Work the inbox, then deliver the outbox; how many messages went out."""
        self.container.worker.drain()
        return self.container.dispatcher().drain()

    def posts(self, channel: str | None = None, **match) -> list:
        calls = self.fake.calls_to("chat.postMessage", **match)
        return [c for c in calls if channel is None or c.args.get("channel") == channel]


def serve(container, fake: FakeSlack):
    import uvicorn

    from bot.slack.runtime import build

    runtime = build(container, deliver_interval=3600, pace_seconds=0)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(runtime.asgi, log_level="warning", access_log=False, lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.005)  # bounded poll for the server's start flag
    sender = SlackSender(f"http://127.0.0.1:{port}", SECRET, fake.base)
    served = Served(container, runtime, sender, fake)

    def stop():
        served.settle()
        sender.close()
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
    return served, stop


@pytest.fixture
def slack(slack_container, fake):
    served, stop = serve(slack_container, fake)
    yield served
    stop()
