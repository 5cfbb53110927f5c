"""The scheduler's way: the notifier posts through Discord's REST API with no gateway
connection (discord.py's HTTP client against a loopback stand-in for discord.com)."""
from __future__ import annotations

import asyncio
import json
import threading
from itertools import count

import discord.http
import pytest
from aiohttp import web

from config.settings import Settings
from config.wiring import build
from tests.conftest import FIXTURES
from tickets.teams import Actor


def reply(data: dict, status: int = 200, **headers: str) -> web.Response:
    # discord.py only parses JSON when the content type is exactly application/json
    return web.Response(body=json.dumps(data).encode(), status=status,
                        headers={"Content-Type": "application/json", **headers})


class FakeDiscord:
    """Just the REST routes a card needs; `slow` makes every post answer 429."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, dict]] = []
        self.slow = False
        self.ids = count(5000)
        self.loop = asyncio.new_event_loop()
        self.port = 0

    async def handle(self, request: web.Request) -> web.Response:
        body = json.loads(await request.text() or "{}")
        self.calls.append((request.method, request.path, body))
        if request.path.endswith("/users/@me"):
            return reply({"id": "1", "username": "tiket", "discriminator": "0", "avatar": None})
        if self.slow:
            return reply({"message": "You are being rate limited.", "retry_after": 120.0, "global": False},
                         429, Via="1.1 google")
        return reply({"id": str(next(self.ids)), "channel_id": request.match_info.get("cid", "0"),
                                  "type": 0, "content": body.get("content", "")})

    def start(self) -> str:
        app = web.Application()
        app.router.add_route("*", "/api/v10/channels/{cid}/{tail:.*}", self.handle)
        app.router.add_route("*", "/api/v10/{tail:.*}", self.handle)
        runner = web.AppRunner(app)

        async def up():
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            return site._server.sockets[0].getsockname()[1]

        threading.Thread(target=self.loop.run_forever, daemon=True).start()
        self.port = asyncio.run_coroutine_threadsafe(up(), self.loop).result(10)
        self.runner = runner
        return f"http://127.0.0.1:{self.port}/api/v10"

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)


@pytest.fixture
def fake_discord():
    server = FakeDiscord()
    base = discord.http.Route.BASE
    url = server.start()
    yield server, url
    discord.http.Route.BASE = base
    server.stop()


def test_rest_only_delivery_and_429(db_url, engine, clock, directory, fake_discord):
    server, url = fake_discord
    settings = Settings(database_url=db_url, teams_file=str(FIXTURES / "teams.toml"), _env_file=None,
                        discord={"token": "test-token", "api_url": url})
    container = build(settings, clock=clock, directory=directory, platforms=frozenset({"discord"}),
                      migrate=False, engine=engine)
    notifier = container.notifiers["discord"]  # wired from the settings: REST only, no gateway
    try:
        container.service.open(Actor("discord:42"), "IT", "Projector broken")
        assert container.dispatcher().drain() == 2
        paths = [(m, p) for m, p, _ in server.calls]
        assert ("GET", "/api/v10/users/@me") in paths
        assert ("POST", "/api/v10/channels/1001/messages") in paths  # the card, in IT's channel
        assert any(p.startswith("/api/v10/channels/1001/messages/") and p.endswith("/threads") for _, p in paths)
        card = next(b for m, p, b in server.calls if p == "/api/v10/channels/1001/messages")
        assert card["embeds"][0]["title"].startswith("IT-1") and card["components"]

        server.slow = True
        container.service.claim(Actor("discord:201"), "IT-1")
        assert container.dispatcher().drain() == 0
        pending = container.outbox.rows("pending", 10)
        assert pending and all(r.attempts == 0 for r in pending)
        waits = sorted((r.next_attempt_at - clock.now()).total_seconds() for r in pending)
        assert waits[-1] >= 119  # Discord's retry_after, honoured; the rest of the batch waits its turn
        server.slow = False
        clock.advance(seconds=121)
        assert container.dispatcher().drain() == len(pending)
        assert container.outbox.rows("dead", 10) == []
    finally:
        notifier.transport.close()
