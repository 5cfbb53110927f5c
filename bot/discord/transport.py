"""How the notifier reaches Discord's REST API from a plain (non-async) thread.

`BotTransport` borrows a running bot's HTTP client and event loop (the bot process,
and the tests on SimCord). `RestTransport` needs no gateway at all: it logs in to
the REST API with the bot token on a private event loop in a daemon thread, so the
scheduler process can deliver reminders. Both give the notifier `http` (discord.py's
HTTPClient, which keeps Discord's per-route rate-limit buckets) and `run(coro)`.
"""
from __future__ import annotations

import asyncio
import threading
from typing import Any, Awaitable, Callable

import discord
from discord.http import HTTPClient

TIMEOUT = 60.0
MAX_RATELIMIT_WAIT = 30.0  # longer waits come back as RetryLater instead of blocking a delivery


def _wait(coro: Awaitable[Any], loop: asyncio.AbstractEventLoop) -> Any:
    try:
        running = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    if running is loop:
        raise RuntimeError("the Discord notifier blocks; call it from a worker thread (asyncio.to_thread)")
    return asyncio.run_coroutine_threadsafe(coro, loop).result(TIMEOUT)


async def _follow_up(webhook: discord.Webhook, text: str, files: list[tuple[str, bytes]]) -> None:
    import io

    await webhook.send(text[:2000], ephemeral=True, allowed_mentions=discord.AllowedMentions.none(),
                       files=[discord.File(io.BytesIO(data), filename=name) for name, data in files])


class BotTransport:
    """REST through a logged-in bot (gateway process or SimCord)."""

    def __init__(self, bot: discord.Client | Callable[[], discord.Client]) -> None:
        self._bot = bot

    @property
    def bot(self) -> discord.Client:
        return self._bot if isinstance(self._bot, discord.Client) else self._bot()

    @property
    def http(self) -> HTTPClient:
        return self.bot.http

    def run(self, make: Callable[[], Awaitable[Any]]) -> Any:
        return _wait(make(), self.bot.loop)

    def follow_up(self, application_id: int, token: str, text: str, files: list[tuple[str, bytes]]):
        """A coroutine: the private follow-up of a (deferred) interaction, by its token."""
        webhook = discord.Webhook.from_state(data={"id": application_id, "type": 3, "token": token},
                                             state=self.bot._connection)
        return _follow_up(webhook, text, files)

    def close(self) -> None:
        pass


class RestTransport:
    """REST only: no gateway connection, for the scheduler process."""

    def __init__(self, token: str, api_url: str | None = None) -> None:
        self.token = token
        self.api_url = api_url
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._http: HTTPClient | None = None

    def _start(self) -> None:
        with self._lock:
            if self._loop is not None:
                return
            if self.api_url:
                discord.http.Route.BASE = self.api_url.rstrip("/")
            loop = asyncio.new_event_loop()
            threading.Thread(target=loop.run_forever, name="tiket-discord-rest", daemon=True).start()

            async def login() -> HTTPClient:
                http = HTTPClient(loop, max_ratelimit_timeout=MAX_RATELIMIT_WAIT)
                await http.static_login(self.token)
                return http

            self._http = _wait(login(), loop)
            self._loop = loop

    @property
    def http(self) -> HTTPClient:
        self._start()
        assert self._http is not None
        return self._http

    def run(self, make: Callable[[], Awaitable[Any]]) -> Any:
        self._start()
        assert self._loop is not None
        return _wait(make(), self._loop)

    def follow_up(self, application_id: int, token: str, text: str, files: list[tuple[str, bytes]]):
        """A coroutine: the private follow-up of an interaction another process acknowledged."""
        async def send():
            import aiohttp

            async with aiohttp.ClientSession() as session:
                webhook = discord.Webhook(data={"id": application_id, "type": 3, "token": token}, session=session)
                await _follow_up(webhook, text, files)
        return send()

    def close(self) -> None:
        if self._loop is None:
            return
        if self._http is not None:
            _wait(self._http.close(), self._loop)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._loop = None
