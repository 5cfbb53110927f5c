"""A Discord server on SimCord wired to a real Tiket container.

SimCord cannot pin user, role or channel ids, so the fixture teams' Discord ids
("1001", "discord:201", "discord-role:900", ...) are re-pointed in place to the
ids SimCord hands out. Work-arounds for SimCord gaps live here and say so.
"""
from __future__ import annotations

import asyncio
import dataclasses
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import simcord
import simcord.interactions as sim_interactions

from bot.discord import create_bot
from bot.discord.notifier import DiscordNotifier
from bot.discord.transport import BotTransport
from config.wiring import build

PEOPLE = {"andi": "201", "rina": "202", "sari": "203", "dewi": "204", "joko": "205"}


@dataclass
class World:
    env: Any
    container: Any
    guild: Any
    channels: dict[str, Any]
    people: dict[str, Any]
    role: Any
    locales: dict[int, str] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        people = self.__dict__.get("people", {})
        if name in people:
            return people[name]
        raise AttributeError(name)

    @property
    def bot(self):
        return self.env.bot

    def uid(self, name: str) -> str:
        return f"discord:{self.people[name].id}"

    async def deliver(self) -> int:
        """Drain the outbox through the DiscordNotifier (in a worker thread, as the scheduler does)."""
        sent = await asyncio.to_thread(self.container.dispatcher().drain)
        await self.env.settle()
        return sent

    async def sync(self) -> list:
        return await self.bot.tree.sync()

    def new_bot(self):
        return create_bot(self.container.settings, self.container)

    def ticket(self, key: str):
        team, number = key.split("-")
        with self.container.uow() as uow:
            return uow.tickets.get(team, int(number))

    def comments(self, key: str):
        ticket = self.ticket(key)
        with self.container.uow() as uow:
            return uow.comments(ticket.id, include_internal=True)

    def refs(self, key: str) -> dict[str, str]:
        return self.container.refs("discord").get(self.ticket(key).id)

    def card(self, key: str):
        channel_id, message_id = self.refs(key)["card"].split(":")
        channel = next(c for c in self.channels.values() if str(c.id) == channel_id)
        return next(m for m in channel.history() if str(m.id) == message_id)

    def thread(self, key: str):
        thread_id = self.refs(key)["thread"]
        for channel in self.channels.values():
            for thread in channel.threads:
                if str(thread.id) == thread_id:
                    return thread
        raise LookupError(thread_id)


def _repoint(directory, ids: dict[str, str]) -> None:
    """Swap fixture ids for SimCord ids in the (shared, mutable) teams mapping."""
    def swap(values):
        return frozenset(ids.get(v, v) for v in values)

    for key, team in list(directory.teams.items()):
        channels = {p: ids.get(f"channel:{c}", c) if p == "discord" else c for p, c in team.channels.items()}
        directory.teams[key] = dataclasses.replace(team, channels=channels, agents=swap(team.agents),
                                                   supervisors=swap(team.supervisors))


@asynccontextmanager
async def discord_world(settings, engine, clock, directory, **options):
    """Start the bot on SimCord with the IT/HR/LOG channels and the fixture people."""
    container = build(settings, clock=clock, directory=directory, platforms=frozenset({"discord"}),
                      migrate=False, engine=engine)
    bot = create_bot(settings, container)
    locales: dict[int, str] = {}
    original = sim_interactions.base_payload

    def with_locale(backend, **kwargs):
        # SimCord gap: every interaction says locale "en-US"; set the user's own.
        record, payload = original(backend, **kwargs)
        if kwargs.get("user_id") in locales:
            payload["locale"] = locales[kwargs["user_id"]]
        return record, payload

    sim_interactions.base_payload = with_locale
    try:
        async with simcord.run(bot, **options) as env:
            guild = env.create_guild("Kantor")
            channels = {name: guild.create_text_channel(name) for name in ("it", "hr", "log", "general")}
            role = guild.create_role("IT agents")
            people = {name: guild.add_member(env.create_user(name)) for name in (*PEOPLE, "budi", "citra")}
            people["tono"] = guild.add_member(env.create_user("tono"), roles=[role])
            ids = {f"discord:{fixture}": f"discord:{people[name].id}" for name, fixture in PEOPLE.items()}
            ids["discord-role:900"] = f"discord-role:{role.id}"
            ids.update({"channel:1001": str(channels["it"].id), "channel:1002": str(channels["hr"].id)})
            _repoint(container.directory, ids)
            container.notifiers["discord"] = DiscordNotifier(container.refs("discord"), container.directory, container.clock,
                                                             BotTransport(lambda: env.bot))
            yield World(env, container, guild, channels, people, role, locales)
    finally:
        sim_interactions.base_payload = original


def run(coro_fn, *args, **kwargs):
    """Run one async scenario to completion (no pytest-asyncio in this project)."""
    return asyncio.run(coro_fn(*args, **kwargs))
