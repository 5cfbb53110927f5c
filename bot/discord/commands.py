"""`/ticket` as a Discord command group: one subcommand per grammar action, with
native options (team/priority/status choices, key autocomplete, user options).

Each subcommand defers at once, builds a grammar `Command` and hands it to the
shared CommandRunner in a worker thread, then follows up privately.
"""
from __future__ import annotations

from typing import Optional

import discord
from discord import app_commands

from bot.discord.context import answer, context_of
from bot.discord.handlers import NewTicketModal
from bot.i18n import t
from tickets.errors import TicketError, ValidationError
from tickets.grammar import ACTIONS, Command, is_period, parse_due
from tickets.model import parse_key

Choice = app_commands.Choice
PRIORITIES = ("low", "normal", "high", "urgent")
STATUSES = ("new", "in_progress", "waiting", "resolved", "closed", "cancelled")
SCOPES = ("mine", "assigned", "team", "open", "all", "status", "search")
CHANGES = {"new", "claim", "unclaim", "assign", "priority", "due", "wait", "resolve", "close", "reopen", "cancel",
           "comment", "note", "rate", "watch", "snooze"}


def _key(value: str) -> str:
    team, number = parse_key(value)
    return f"{team}-{number}"


async def run(interaction: discord.Interaction, build) -> None:
    """Defer, build the Command (refusing bad input), run it off the loop, follow up."""
    ctx = context_of(interaction)
    await interaction.response.defer(ephemeral=True, thinking=True)
    lang = ctx.lang(interaction, ctx.team_for_channel(interaction.channel))
    try:
        cmd: Command = build()
    except TicketError as err:
        from bot.render import render_error

        await answer(interaction, render_error(err, lang))
        return
    team = ctx.directory.teams.get((cmd.key or "").split("-")[0]) or ctx.directory.teams.get(cmd.team or "")
    lang = ctx.lang(interaction, team or ctx.team_for_channel(interaction.channel))
    actor = ctx.actor(interaction.user, interaction)
    reply, refusal = await ctx.attempt(lang, ctx.runner.execute, actor, cmd, lang=lang, source="discord",
                                       idempotency_key=f"discord:interaction:{interaction.id}")
    if refusal is not None:
        await answer(interaction, refusal)
        return
    await answer(interaction, reply.text, files=reply.attachments)
    if reply.ok and cmd.action in CHANGES:
        ctx.changed()


async def key_autocomplete(interaction: discord.Interaction, current: str) -> list[Choice[str]]:
    """Only tickets this user may see (the read side filters them)."""
    ctx = context_of(interaction)
    actor = ctx.actor(interaction.user, interaction)
    try:
        found = await ctx.call(ctx.container.queries.list, actor, "all", limit=100)
    except TicketError:
        return []
    needle = (current or "").strip().lower()
    out = []
    for ticket in found:
        if needle and needle not in ticket.key.lower() and needle not in ticket.title.lower():
            continue
        out.append(Choice(name=f"{ticket.key} · {ticket.title}"[:100], value=ticket.key))
        if len(out) == 25:
            break
    return out


def _describe(**keys: str):
    return app_commands.describe(**{name: t(f"discord.opt.{key}") for name, key in keys.items()})


def _simple(action: str, text: str | None = None, required: bool = False) -> app_commands.Command:
    """Subcommands shaped `<action> <key> [text]`."""
    if text is None:
        async def callback(interaction: discord.Interaction, key: str) -> None:
            await run(interaction, lambda: Command(action, key=_key(key)))
    elif required:
        async def callback(interaction: discord.Interaction, key: str, text: str) -> None:
            await run(interaction, lambda: Command(action, key=_key(key), text=text))
    else:
        async def callback(interaction: discord.Interaction, key: str, text: Optional[str] = None) -> None:
            await run(interaction, lambda: Command(action, key=_key(key), text=text))
    if text is not None:
        callback = app_commands.rename(text=text)(_describe(key="key", text=text)(callback))
    else:
        callback = _describe(key="key")(callback)
    command = app_commands.Command(name=action, description=t(f"discord.cmd.{action}"), callback=callback)
    command.autocomplete("key")(key_autocomplete)
    return command


def build_group(directory) -> app_commands.Group:
    teams = [Choice(name=f"{team.key} · {team.name}"[:100], value=team.key)
             for team in list(directory.teams.values())[:25]]
    priorities = [Choice(name=t(f"priority.{p}"), value=p) for p in PRIORITIES]
    statuses = [Choice(name=t(f"status.{s}"), value=s) for s in STATUSES]
    scopes = [Choice(name=s, value=s) for s in SCOPES]
    group = app_commands.Group(name="ticket", description=t("discord.cmd.ticket"), guild_only=True)

    @group.command(name="new", description=t("discord.cmd.new"))
    @app_commands.choices(team=teams)
    @_describe(team="team", title="title", description="description")
    async def new(interaction: discord.Interaction, team: Optional[str] = None, title: Optional[str] = None,
                  description: Optional[str] = None) -> None:
        ctx = context_of(interaction)
        home = ctx.directory.teams.get(team or "") or ctx.team_for_channel(interaction.channel)
        if not title or home is None:  # the form; a modal must be the first answer, so no defer here
            lang = ctx.lang(interaction, home)
            await interaction.response.send_modal(NewTicketModal(lang, home.key if home else None, title))
            return
        await run(interaction, lambda: Command("new", team=home.key, title=title, description=description))

    @group.command(name="list", description=t("discord.cmd.list"))
    @app_commands.choices(scope=scopes, team=teams, status=statuses)
    @_describe(scope="scope", team="team", status="status", text="search")
    async def list_(interaction: discord.Interaction, scope: Optional[str] = None, team: Optional[str] = None,
                    status: Optional[str] = None, text: Optional[str] = None) -> None:
        chosen = scope or ("status" if status else "search" if text else "team" if team else "mine")

        def build():
            needs = {"status": status, "search": text, "team": team}
            if chosen in needs and not needs[chosen]:
                raise ValidationError("usage", command="list")
            return Command("list", scope=chosen, team=team, status=status, text=text)
        await run(interaction, build)

    @group.command(name="assign", description=t("discord.cmd.assign"))
    @_describe(key="key", user="user")
    async def assign(interaction: discord.Interaction, key: str, user: discord.User) -> None:
        await run(interaction, lambda: Command("assign", key=_key(key), user=f"discord:{user.id}"))

    @group.command(name="priority", description=t("discord.cmd.priority"))
    @app_commands.choices(level=priorities)
    @_describe(key="key", level="priority")
    async def priority(interaction: discord.Interaction, key: str, level: str) -> None:
        await run(interaction, lambda: Command("priority", key=_key(key), priority=level))

    @group.command(name="due", description=t("discord.cmd.due"))
    @_describe(key="key", when="when")
    async def due(interaction: discord.Interaction, key: str, when: str) -> None:
        def build():
            spec = parse_due(when)
            return Command("due", key=_key(key), due=spec, duration=spec.duration)
        await run(interaction, build)

    @group.command(name="rate", description=t("discord.cmd.rate"))
    @_describe(key="key", score="score", comment="comment")
    async def rate(interaction: discord.Interaction, key: str, score: app_commands.Range[int, 1, 5],
                   comment: Optional[str] = None) -> None:
        await run(interaction, lambda: Command("rate", key=_key(key), rating=score, text=comment))

    @group.command(name="snooze", description=t("discord.cmd.snooze"))
    @_describe(key="key", duration="duration", reason="reason")
    async def snooze(interaction: discord.Interaction, key: str, duration: str, reason: Optional[str] = None) -> None:
        def build():
            spec = parse_due(duration)
            return Command("snooze", key=_key(key), due=spec, duration=spec.duration, text=reason)
        await run(interaction, build)

    @group.command(name="help", description=t("discord.cmd.help"))
    @app_commands.choices(command=[Choice(name=a, value=a) for a in ACTIONS if a != "form"][:25])
    @_describe(command="command")
    async def help_(interaction: discord.Interaction, command: Optional[str] = None) -> None:
        await run(interaction, lambda: Command("help", text=command))

    def report(action: str):
        async def callback(interaction: discord.Interaction, team: Optional[str] = None,
                           period: Optional[str] = None) -> None:
            def build():
                if period and not is_period(period):
                    raise ValidationError("usage", command=action)
                return Command(action, team=team, scope=period)
            await run(interaction, build)
        callback = app_commands.choices(team=teams)(_describe(team="team", period="period")(callback))
        return app_commands.Command(name=action, description=t(f"discord.cmd.{action}"), callback=callback)

    for name in ("stats", "export"):
        group.add_command(report(name))
    for name in ("show", "history", "claim", "unclaim", "cancel", "watch"):
        group.add_command(_simple(name))
    for name, text in (("wait", "reason"), ("resolve", "note"), ("close", "note"), ("reopen", "reason")):
        group.add_command(_simple(name, text))
    for name in ("comment", "note"):
        group.add_command(_simple(name, "text", required=True))
    for command in (assign, priority, due, rate, snooze):
        command.autocomplete("key")(key_autocomplete)
    return group
