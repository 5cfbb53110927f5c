"""Discord components of the team workflows (persistent, dispatched by custom_id like the card's):
the approver's Approve / Reject (a reason modal first), the card's "Reply with…" select, and the
team buttons of DM intake. Each only translates: component -> command of the table -> reply."""
from __future__ import annotations

import logging
import mimetypes
import re
from typing import Any

import discord

from bot.discord.context import answer, context_of, user_id
from bot.discord.people import mention
from bot.discord.views import KEY, _key_button
from bot.i18n import t
from tickets.dm_intake import title_and_description

log = logging.getLogger(__name__)
ApproveButton = _key_button("approve", discord.ButtonStyle.success)
TEAM = r"(?P<team>[A-Z][A-Z0-9]{0,9})"


async def press(interaction: discord.Interaction, name: str, values: dict[str, Any]) -> None:
    """Run the table's command `name` with `values` on the shared runner and answer privately."""
    ctx = context_of(interaction)
    if not interaction.response.is_done():
        await interaction.response.defer(ephemeral=True, thinking=True)
    key = str(values.get("key") or "")
    lang = ctx.lang(interaction, ctx.directory.teams.get(key.split("-")[0]))
    actor = ctx.actor(interaction.user, interaction)
    reply = await ctx.call(ctx.runner.press, actor, name, values, lang=lang, names=mention, source="discord")
    await answer(interaction, reply.text)
    if reply.changed:
        ctx.changed()


class RejectModal(discord.ui.Modal):
    def __init__(self, key: str, lang: str) -> None:
        super().__init__(title=t("approval.button_reject", lang)[:45], timeout=900, custom_id=f"tiket:rejectform:{key}")
        self.key = key
        self.reason = discord.ui.TextInput(label=t("discord.opt.reason", lang)[:45], style=discord.TextStyle.paragraph,
                                           max_length=2000, custom_id="reason")
        self.add_item(self.reason)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await press(interaction, "reject", {"key": self.key, "reason": self.reason.value})


class RejectButton(discord.ui.DynamicItem[discord.ui.Button], template=rf"tiket:reject:{KEY}"):
    def __init__(self, key: str, lang: str = "en") -> None:
        super().__init__(discord.ui.Button(label=t("approval.button_reject", lang), style=discord.ButtonStyle.danger,
                                           custom_id=f"tiket:reject:{key}"))
        self.key = key

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]):
        return cls(match["key"])

    async def callback(self, interaction: discord.Interaction) -> None:
        ctx = context_of(interaction)
        lang = ctx.lang(interaction, ctx.directory.teams.get(self.key.split("-")[0]))
        await interaction.response.send_modal(RejectModal(self.key, lang))


class MacroSelect(discord.ui.DynamicItem[discord.ui.Select], template=rf"tiket:macro:{KEY}"):
    def __init__(self, key: str, lang: str = "en", names: tuple[str, ...] = ()) -> None:
        options = [discord.SelectOption(label=name[:100], value=name[:100]) for name in names[:25]] or \
            [discord.SelectOption(label="-", value="-")]
        super().__init__(discord.ui.Select(placeholder=t("macro.placeholder", lang), options=options,
                                           custom_id=f"tiket:macro:{key}"))
        self.key = key

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]):
        return cls(match["key"])

    async def callback(self, interaction: discord.Interaction) -> None:
        values = (interaction.data or {}).get("values") or []
        await press(interaction, "macro", {"key": self.key, "name": values[0] if values else ""})


class DmTeamButton(discord.ui.DynamicItem[discord.ui.Button], template=rf"tiket:dm:{TEAM}:(?P<message>[0-9]+)"):
    """DM intake: the team a direct message is for; the message is read again on the click."""

    def __init__(self, team: str, message_id: int, label: str = "", primary: bool = False) -> None:
        style = discord.ButtonStyle.primary if primary else discord.ButtonStyle.secondary
        super().__init__(discord.ui.Button(label=(label or team)[:80], style=style,
                                           custom_id=f"tiket:dm:{team}:{message_id}"))
        self.team, self.message_id = team, int(message_id)

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]):
        return cls(match["team"], int(match["message"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        ctx = context_of(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        lang = ctx.lang(interaction, ctx.directory.teams.get(self.team))
        try:
            message = await interaction.channel.fetch_message(self.message_id)
        except (discord.HTTPException, AttributeError):
            await answer(interaction, t("discord.intake.gone", lang))
            return
        title, description = title_and_description(message.content or "")
        actor = ctx.actor(interaction.user, interaction)
        result, refusal = await ctx.attempt(
            lang, ctx.container.service.open, actor, self.team, title, description, requester=user_id(message.author),
            source="discord", idempotency_key=f"discord:message:{message.id}")
        if refusal is not None:
            await answer(interaction, refusal)
            return
        key = "reply.created" if result.created else "reply.duplicate"
        await answer(interaction, t(key, lang, key=result.ticket.key, title=result.ticket.title))
        ctx.changed()


WORKFLOW_ITEMS = (ApproveButton, RejectButton, MacroSelect, DmTeamButton)


def approval_view(key: str, lang: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(ApproveButton(key, lang))
    view.add_item(RejectButton(key, lang))
    return view


def dm_offer_view(teams: list[tuple[str, str]], message_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for n, (key, name) in enumerate(teams[:25]):
        view.add_item(DmTeamButton(key, message_id, f"{key} · {name}", primary=n == 0))
    return view


async def on_direct_message(bot, message: discord.Message) -> bool:
    """A DM that is not a command: ask which team (the triage suggestion first). True when handled."""
    if message.guild is not None or message.author.bot or not (message.content or "").strip():
        return False
    from bot.workflows_render import render_dm_offer
    from tickets.commands import spec_for
    from tickets.dm_intake import offer

    ctx = bot.tiket
    actor = ctx.actor(message.author)
    lang = ctx.lang(None)
    text = message.content.strip()
    if spec_for(text.split(None, 1)[0].lstrip("/")) is not None:  # a command typed in the DM
        reply = await ctx.call(ctx.runner.run, actor, text.lstrip("/"), lang=lang, names=mention, source="discord")
        await message.channel.send(reply.text[:2000])
        if reply.changed:
            ctx.changed()
        return True
    chosen = await ctx.call(offer, ctx.directory, ctx.container.triage, actor, text)
    await message.channel.send(render_dm_offer(chosen, ctx.directory, lang)[:2000],
                               view=dm_offer_view(chosen.teams, message.id))
    return True


async def keep_thread_files(bot, message: discord.Message) -> None:
    """Files shared in a ticket's thread are kept with the ticket (size and type checked by the service)."""
    if message.author.bot or message.guild is None or not message.attachments \
            or not isinstance(message.channel, discord.Thread):
        return
    ctx = bot.tiket
    ticket_id = await ctx.call(ctx.refs.ticket_for, "thread", str(message.channel.id))
    if ticket_id is None:
        return
    actor = ctx.actor(message.author)
    limit = ctx.container.service.attachment_rules.max_bytes
    for item in message.attachments[:10]:
        data = await item.read() if item.size <= limit else b"x" * (limit + 1)  # too large: the service says so

        kind = item.content_type or mimetypes.guess_type(item.filename)[0] or ""

        def store(name=item.filename, data=data, kind=kind):
            key = ctx.refs.ticket_key(ticket_id)
            return ctx.container.service.attach(actor, key, name, data, kind)

        _result, refusal = await ctx.attempt(ctx.lang(None), store)
        if refusal is not None:
            try:
                await message.reply(refusal[:2000], mention_author=False)
            except discord.HTTPException:
                log.info("discord: file from %s not kept: %s", actor.user, refusal)
    ctx.changed()
