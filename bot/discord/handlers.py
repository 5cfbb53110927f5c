"""What happens when someone clicks a card button, submits the form, reacts with 🎫,
uses "Create ticket" on a message, or writes in a ticket's thread."""
from __future__ import annotations

import logging
from typing import Any

import discord

from bot.discord.context import context_of
from bot.discord.durable import actor_json, message_json
from bot.i18n import t
from tickets.model import TITLE_MAX

log = logging.getLogger(__name__)


# -- card buttons and selects, rating buttons -------------------------------------
CONTROL_ARGS = {"priority": "level", "assign": "user", "rate": "score"}  # the table's argument a control sets


async def card_action(interaction: discord.Interaction, action: str, key: str, value: Any = None) -> None:
    """A card control or rating button: the table's command, run on the shared runner."""
    ctx = context_of(interaction)
    team = ctx.directory.teams.get(key.split("-")[0])
    lang = ctx.lang(interaction, team)
    actor = ctx.actor(interaction.user, interaction)
    values = {"key": key, **({CONTROL_ARGS[action]: value} if action in CONTROL_ARGS else {})}
    await ctx.intake.take(f"discord:{interaction.id}", "command", {
        "actor": actor_json(actor), "lang": lang, "name": action, "values": values,
        "guild_id": interaction.guild_id}, interaction)
    ctx.changed()


# -- the new-ticket form -------------------------------------------------------------
class NewTicketModal(discord.ui.Modal):
    def __init__(self, lang: str, team: str | None, title: str | None = None) -> None:
        super().__init__(title=t("discord.modal.title", lang), timeout=900, custom_id="tiket:new")
        self.team = discord.ui.TextInput(label=t("field.team", lang), default=team or None, max_length=10,
                                         custom_id="team")
        self.subject = discord.ui.TextInput(label=t("field.title", lang), default=title or None,
                                            max_length=TITLE_MAX, custom_id="title")
        self.details = discord.ui.TextInput(label=t("field.description", lang), required=False, max_length=4000,
                                            style=discord.TextStyle.paragraph, custom_id="description")
        for item in (self.team, self.subject, self.details):
            self.add_item(item)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        ctx = context_of(interaction)
        team = ctx.directory.teams.get(self.team.value.strip().upper())
        lang = ctx.lang(interaction, team)
        actor = ctx.actor(interaction.user, interaction)
        await ctx.intake.take(f"discord:{interaction.id}", "modal", {
            "actor": actor_json(actor), "lang": lang, "team": self.team.value.strip(), "title": self.subject.value,
            "description": self.details.value or "", "idempotency_key": f"discord:modal:{interaction.id}"},
            interaction)
        ctx.changed()


# -- a message becomes a ticket (🎫 reaction or the message context menu) -----------
async def create_from_message(interaction: discord.Interaction, message: discord.Message) -> None:
    ctx = context_of(interaction)
    await ctx.intake.take(f"discord:{interaction.id}", "menu", {
        "actor": actor_json(ctx.actor(interaction.user, interaction)), "lang": ctx.locale(interaction),
        "message": message_json(message)}, interaction)
    ctx.changed()


async def on_reaction(bot, payload: discord.RawReactionActionEvent) -> None:
    ctx = bot.tiket
    if payload.guild_id is None or payload.member is None or payload.member.bot:
        return
    if str(payload.emoji) != ctx.settings.discord.ticket_emoji:
        return
    channel = bot.get_channel(payload.channel_id) or await bot.fetch_channel(payload.channel_id)
    try:
        message = await channel.fetch_message(payload.message_id)
    except discord.HTTPException:
        log.info("discord: reacted message %s is gone", payload.message_id)
        return
    if message.author.bot:
        return
    await ctx.intake.take(f"discord:reaction:{message.id}:{payload.user_id}", "reaction", {
        "actor": actor_json(ctx.actor(payload.member)), "message": message_json(message)})
    ctx.changed()


# -- the ticket thread: messages become comments -------------------------------------
async def on_thread_message(bot, message: discord.Message) -> None:
    if message.author.bot or message.guild is None or not isinstance(message.channel, discord.Thread):
        return
    ctx = bot.tiket
    ticket_id = await ctx.call(ctx.refs.ticket_for, "thread", str(message.channel.id))
    if ticket_id is None:
        return
    text = (message.content or "").strip()
    if message.attachments:
        text = "\n".join([text, *(a.url for a in message.attachments)]).strip()
    if not text:
        return
    await ctx.intake.take(f"discord:message:{message.id}", "thread", {
        "actor": actor_json(ctx.actor(message.author)), "ticket_id": ticket_id, "text": text})
    ctx.changed()
