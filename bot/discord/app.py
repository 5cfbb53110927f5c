"""The bot factory: `create_bot(settings, container)` builds a fresh discord.py Bot.

Nothing is built at import time. Intents: guilds (channels, threads, roles),
guild messages (messages in ticket threads), guild reactions (🎫 intake) and the
privileged message content intent (the text of a 🎫-reacted message and of ticket
thread messages; without it Discord sends those empty).
"""
from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.commands import TableTranslator, build_group, build_workflow_group, on_tree_error
from bot.discord.context import DiscordContext
from bot.discord.handlers import create_from_message, on_reaction, on_thread_message
from bot.discord.views import DYNAMIC_ITEMS
from bot.discord.workflow_views import WORKFLOW_ITEMS, keep_thread_files, on_direct_message
from bot.i18n import t

log = logging.getLogger(__name__)


def intents() -> discord.Intents:
    wanted = discord.Intents.none()
    wanted.guilds = True
    wanted.guild_messages = True
    wanted.guild_reactions = True
    wanted.message_content = True  # privileged: 🎫 intake and thread-to-comment sync read message text
    wanted.dm_messages = True  # DM intake: a direct message to the bot starts a request
    return wanted


class TiketBot(commands.Bot):
    tiket: DiscordContext

    async def setup_hook(self) -> None:
        # Persistent components: every card/rating control posted before a restart
        # (or by the scheduler's REST-only notifier) is dispatched by custom_id.
        self.add_dynamic_items(*DYNAMIC_ITEMS, *WORKFLOW_ITEMS)
        self.tiket.bot = self
        self.tiket.intake  # registers Discord's inbox handler: what a dead process stored is worked here too
        await self.tree.set_translator(TableTranslator())
        self.tree.add_command(build_group(self.tiket.directory))
        self.tree.add_command(build_workflow_group(self.tiket.directory))
        self.tree.add_command(app_commands.ContextMenu(name=t("discord.menu.create"), callback=create_from_message))

    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        await on_reaction(self, payload)

    async def on_message(self, message: discord.Message) -> None:
        if await on_direct_message(self, message):  # DM intake (issue 15)
            return
        await keep_thread_files(self, message)  # files shared in a ticket's thread (issue 15)
        await on_thread_message(self, message)


async def _tree_error(interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
    from bot.discord.context import answer

    if await on_tree_error(interaction, error):
        return
    log.exception("discord: command failed", exc_info=error)
    ctx: DiscordContext = interaction.client.tiket  # type: ignore[attr-defined]
    try:
        await answer(interaction, t("error.internal", ctx.lang(interaction)))
    except discord.HTTPException:
        pass


def create_bot(settings, container, *, deliver_after_change: bool = False, shard_count: int | None = None,
               **options: Any) -> commands.Bot:
    """A new Bot wired to the container. With shard_count (or settings.discord.shard_count)
    it is an auto-sharded bot; `deliver_after_change` posts outbox messages right after
    each change instead of waiting for the scheduler's next round."""
    shards = shard_count if shard_count is not None else settings.discord.shard_count
    base = commands.AutoShardedBot if shards else commands.Bot
    cls = type("TiketShardedBot", (TiketBot, base), {}) if shards else TiketBot
    kwargs: dict[str, Any] = {"command_prefix": commands.when_mentioned, "intents": intents(),
                              "help_command": None, "allowed_mentions": discord.AllowedMentions.none()}
    if settings.discord.application_id:
        kwargs["application_id"] = settings.discord.application_id
    if shards:
        kwargs["shard_count"] = shards
    kwargs.update(options)
    bot = cls(**kwargs)
    bot.tiket = DiscordContext(container, deliver_after_change=deliver_after_change)
    bot.tree.on_error = _tree_error
    return bot
