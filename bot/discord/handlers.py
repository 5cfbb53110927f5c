"""What happens when someone clicks a card button, submits the form, reacts with 🎫,
uses "Create ticket" on a message, or writes in a ticket's thread."""
from __future__ import annotations

import logging
from typing import Any

import discord

from bot.discord.context import answer, context_of, user_id
from bot.i18n import t
from bot.discord.people import mention
from storage import discord_refs as refs
from tickets.model import TITLE_MAX
from tickets.places import Place

log = logging.getLogger(__name__)


# -- card buttons and selects, rating buttons -------------------------------------
CONTROL_ARGS = {"priority": "level", "assign": "user", "rate": "score"}  # the table's argument a control sets


async def card_action(interaction: discord.Interaction, action: str, key: str, value: Any = None) -> None:
    """A card control or rating button: the table's command, run on the shared runner."""
    ctx = context_of(interaction)
    await interaction.response.defer(ephemeral=True, thinking=True)
    team = ctx.directory.teams.get(key.split("-")[0])
    lang = ctx.lang(interaction, team)
    actor = ctx.actor(interaction.user, interaction)
    values = {"key": key, **({CONTROL_ARGS[action]: value} if action in CONTROL_ARGS else {})}
    reply = await ctx.call(ctx.runner.press, actor, action, values, lang=lang, names=mention, source="discord")
    await answer(interaction, reply.text)
    if reply.changed:
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
        await interaction.response.defer(ephemeral=True, thinking=True)
        team = ctx.directory.teams.get(self.team.value.strip().upper())
        lang = ctx.lang(interaction, team)
        actor = ctx.actor(interaction.user, interaction)
        result, refusal = await ctx.attempt(
            lang, ctx.container.service.open, actor, self.team.value.strip(), self.subject.value,
            self.details.value or "", source="discord", idempotency_key=f"discord:modal:{interaction.id}")
        if refusal is not None:
            await answer(interaction, refusal)
            return
        ticket = result.ticket
        await answer(interaction, t("reply.created", lang, key=ticket.key, title=ticket.title))
        ctx.changed()


# -- a message becomes a ticket (🎫 reaction or the message context menu) -----------
def _title_of(message: discord.Message, lang: str) -> tuple[str, str]:
    text = (message.content or "").strip()
    first = text.splitlines()[0].strip() if text else ""
    if not first:
        first = t("discord.intake.untitled", lang, author=message.author.display_name)
    if len(first) > TITLE_MAX:
        first = first[: TITLE_MAX - 1] + "…"
    return first, text[:4000]


async def intake(ctx, message: discord.Message, reporter: Any, interaction: discord.Interaction | None = None):
    """Open (once) a ticket from `message` on behalf of its author; returns (ticket, created, refusal, lang)."""
    team = ctx.team_for_channel(message.channel)
    actor = ctx.actor(reporter, interaction)
    if team is None:
        mine = ctx.directory.teams_of(actor)
        team = mine[0] if len(mine) == 1 else None
    lang = ctx.lang(interaction, team)
    if team is None:
        return None, False, t("discord.intake.no_team", lang), lang
    title, description = _title_of(message, lang)
    source_ref = f"{message.guild.id if message.guild else 0}:{message.channel.id}:{message.id}"
    result, refusal = await ctx.attempt(
        lang, ctx.container.service.open, actor, team.key, title, description, requester=user_id(message.author),
        source="discord", source_ref=source_ref, idempotency_key=f"discord:message:{message.id}")
    if refusal is not None:
        return None, False, refusal, lang
    ctx.changed()
    return result.ticket, result.created, None, lang


async def create_from_message(interaction: discord.Interaction, message: discord.Message) -> None:
    ctx = context_of(interaction)
    await interaction.response.defer(ephemeral=True, thinking=True)
    ticket, created, refusal, lang = await intake(ctx, message, interaction.user, interaction)
    if refusal is not None:
        await answer(interaction, refusal)
        return
    key = "reply.created" if created else "reply.duplicate"
    await answer(interaction, t(key, lang, key=ticket.key, title=ticket.title))


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
    ticket, _created, refusal, _lang = await intake(ctx, message, payload.member)
    if refusal is not None:
        log.info("discord: 🎫 by %s refused: %s", payload.user_id, refusal)


# -- the ticket thread: messages become comments -------------------------------------
async def on_thread_message(bot, message: discord.Message) -> None:
    if message.author.bot or message.guild is None or not isinstance(message.channel, discord.Thread):
        return
    ctx = bot.tiket
    ticket_id = await ctx.call(refs.ticket_for_ref, ctx.container.engine, "thread", str(message.channel.id))
    if ticket_id is None:
        return
    text = (message.content or "").strip()
    if message.attachments:
        text = "\n".join([text, *(a.url for a in message.attachments)]).strip()
    if not text:
        return
    actor = ctx.actor(message.author)

    def store() -> None:
        """The service's conversation rules say what the message is (note, public reply, ignored)."""
        with ctx.container.uow() as uow:
            ticket = uow.tickets.get_by_id(ticket_id)
        refs.remember_echo(ctx.container.engine, ticket_id, actor.user, text)
        try:
            said = ctx.container.service.converse(actor, ticket.key, Place("discord", "thread"), text)
        except BaseException:
            refs.take_echo(ctx.container.engine, ticket_id, actor.user, text)
            raise
        if said.ticket is None:
            refs.take_echo(ctx.container.engine, ticket_id, actor.user, text)

    _result, refusal = await ctx.attempt(ctx.directory.default_language, store)
    if refusal is not None:
        log.info("discord: thread message by %s not stored: %s", actor.user, refusal)
        return
    ctx.changed()
