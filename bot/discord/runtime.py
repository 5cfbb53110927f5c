"""Running the Discord bot: `run_discord(container)` blocks until the bot stops.

Every interaction and event is stored in the inbox before it is acknowledged
(bot/discord/durable.py). The process runs the pump (tickets.pump): the inbox worker
and the outbox delivery through the bot's own connection, woken after each commit; the
scheduler process delivers too, through the REST-only notifier.
"""
from __future__ import annotations

import asyncio
import logging

from bot.discord.app import create_bot
from bot.discord.notifier import bot_notifier

log = logging.getLogger(__name__)


def run_discord(container) -> None:
    settings = container.settings
    if settings.discord.token is None:
        raise SystemExit("TIKET_DISCORD__TOKEN is not set")
    if settings.discord.api_url:
        import discord.http

        discord.http.Route.BASE = settings.discord.api_url.rstrip("/")
    bot = create_bot(settings, container, deliver_after_change=True)
    if "discord" not in container.notifiers:
        container.notifiers["discord"] = bot_notifier(container, bot)
    token = settings.discord.token.get_secret_value()
    pump = container.pump().start()  # the inbox worker and the outbox, woken after each commit
    try:
        asyncio.run(_run(bot, token))
    finally:
        pump.stop()


async def _run(bot, token: str) -> None:
    async with bot:
        await bot.start(token)


async def publish(bot, guild_id: int | None = None) -> list[str]:
    """Publish `/ticket` and the message menu: globally, or to one guild (instant, for trying out)."""
    import discord

    guild = discord.Object(id=guild_id) if guild_id else None
    if guild is not None:
        bot.tree.copy_global_to(guild=guild)
    synced = await bot.tree.sync(guild=guild)
    return [command.name for command in synced]


async def sync_commands(container, guild_id: int | None = None) -> list[str]:
    """`tiket discord sync`: log in over REST only (no gateway) and publish."""
    settings = container.settings
    bot = create_bot(settings, container)
    async with bot:
        await bot.login(settings.discord.token.get_secret_value())  # runs setup_hook: the tree is built
        return await publish(bot, guild_id)
