"""The web process (`bot.web.factory.make_web_app`, as `tiket serve web` builds it) over HTTP on a
loopback port, with the WhatsApp channel against the fake Graph API, on each database."""
from __future__ import annotations

import socket
import threading
import time

import pytest

from config.settings import Settings
from tests.adapter.whatsapp.fake_graph import FakeGraph
from tests.adapter.whatsapp.meta import Meta
from tests.conftest import FIXTURES

SECRET = "4f7c2b1e9d8a6c5b3a2f1e0d9c8b7a6f"
VERIFY = "tiket-verify-7731"
PHONE_ID = "1098765432"


@pytest.fixture
def graph(clock):
    fake = FakeGraph(clock, phone_number_id=PHONE_ID).start()
    yield fake
    fake.stop()


def whatsapp_settings(db_url: str, graph: FakeGraph, **values) -> Settings:
    wa = {"token": graph.token, "app_secret": SECRET, "verify_token": VERIFY, "phone_number_id": PHONE_ID,
          "api_url": graph.api_url, "template": "tiket_update", "template_language": "id", **values}
    return Settings(database_url=db_url, teams_file=str(FIXTURES / "teams.toml"), whatsapp=wa, _env_file=None)


class Served:
    """A running web process with the WhatsApp webhook; `run()` does the queued work."""

    def __init__(self, container, parts, worker, meta: Meta, graph: FakeGraph, base: str) -> None:
        self.container, self.parts, self.worker, self.meta, self.graph, self.base = (
            container, parts, worker, meta, graph, base)
        self.store = parts.store
        self.expect_refusals = False

    def run(self) -> None:
        """Handle what the inbox holds, then deliver the outbox, until both are quiet."""
        for _ in range(20):
            handled = self.worker.drain()
            sent = self.container.dispatcher().drain()
            if not handled and not sent:
                return

    def texts(self, number: str) -> list[str]:
        """What the person saw, oldest first: text bodies, list bodies, template parameters."""
        out = []
        for m in self.graph.sent(number):
            if m["type"] == "text":
                out.append(m["text"]["body"])
            elif m["type"] == "interactive":
                out.append(m["interactive"]["body"]["text"])
            else:
                params = m["template"]["components"][0]["parameters"]
                out.append("template:" + m["template"]["name"] + ":" + "|".join(p["text"] for p in params))
        return out

    def rows(self, number: str) -> list[str]:
        """The row ids of the last list the person got."""
        lists = self.graph.sent(number, type="interactive")
        return [r["id"] for s in lists[-1]["interactive"]["action"]["sections"] for r in s["rows"]]

    def ticket(self, key: str):
        from tickets.model import parse_key

        with self.container.uow() as uow:
            return uow.tickets.get(*parse_key(key))

    def comments(self, key: str, internal: bool = True):
        ticket = self.ticket(key)
        with self.container.uow() as uow:
            return uow.comments(ticket.id, include_internal=internal)

    def outbox(self, platform: str | None = None, **match) -> list:
        rows = [r for r in reversed(self.container.outbox.rows(limit=1000))
                if platform is None or r.platform == platform]
        return [r for r in rows if all(getattr(r, k) == v for k, v in match.items())]


def serve(app):
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.005)  # bounded poll for the server's start flag

    def stop():
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
    return f"http://127.0.0.1:{port}", stop


def build_served(settings, engine, clock, directory, graph):
    from bot.web.factory import make_web_app
    from config.whatsapp import whatsapp_parts
    from config.wiring import build
    from storage.inbox import SqlInbox
    from tickets.intake import InboxWorker

    container = build(settings, clock=clock, directory=directory, platforms=frozenset({"whatsapp", "console"}),
                      migrate=False, engine=engine)
    parts = whatsapp_parts(container)  # the same parts the web app builds, for the tests to look in
    worker = InboxWorker(SqlInbox(engine), clock)
    base, stop = serve(make_web_app(container, worker=worker))  # the real web process's app
    meta = Meta(base, SECRET, clock, graph, PHONE_ID)
    return Served(container, parts, worker, meta, graph, base), lambda: (meta.close(), stop())


@pytest.fixture
def wa_directory():
    """The test teams with IT and HR (confidential, Indonesian) taking WhatsApp requests."""
    from config.teams import parse_teams
    import tomllib

    data = tomllib.loads((FIXTURES / "teams.toml").read_text())
    for team in data["teams"]:
        team["whatsapp"] = team["key"] in ("IT", "HR")
    return parse_teams(data, "teams.toml")


@pytest.fixture
def wa(db_url, engine, clock, wa_directory, graph):
    served, stop = build_served(whatsapp_settings(db_url, graph), engine, clock, wa_directory, graph)
    yield served
    stop()
    if not served.expect_refusals:
        assert graph.violations == [], "the fake Graph API refused messages"
