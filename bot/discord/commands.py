"""`/ticket` as a Discord command group generated from the command table: one
subcommand per table entry, one option per argument (choices for teams, priorities,
statuses, scopes and commands; key autocomplete; a user picker for people).

Names and descriptions are localised for Indonesian through discord.py's translator
(`TableTranslator`): the table's Indonesian word, the catalog's Indonesian text.
Each subcommand defers at once, builds its Command through the table
(tickets.commands.build) and runs it on the shared runner in a worker thread.
"""
from __future__ import annotations

import inspect
from typing import Any, Optional

import discord
from discord import app_commands
from discord.app_commands import locale_str

from bot.discord.context import answer, context_of
from bot.discord.durable import actor_json
from bot.discord.handlers import NewTicketModal
from bot.discord.people import mention
from bot.i18n import normalise_language, t
from bot.render import render_failure
from tickets.arguments import Command
from tickets.commands import COMMANDS, TABLE, Arg, Spec, build
from tickets.commands_workflows import CHAT_ONLY, NAMES as WORKFLOW_COMMANDS
from tickets.errors import TicketError

Choice = app_commands.Choice
PRIORITIES = ("low", "normal", "high", "urgent")
STATUSES = ("new", "in_progress", "waiting", "resolved", "closed", "cancelled")
SCOPES = ("mine", "assigned", "team", "open", "all", "status", "search", "tag", "category")


class TableTranslator(app_commands.Translator):
    """Indonesian names and descriptions from the command table and the catalog."""

    async def translate(self, string: locale_str, locale: discord.Locale, context) -> str | None:
        lang = normalise_language(getattr(locale, "value", str(locale)), "")
        if lang != "id":
            return None
        extras = string.extras
        if extras.get("command") in COMMANDS:
            return COMMANDS[extras["command"]].word("id")
        if extras.get("group"):
            return "tiket-alur" if string.message == "ticket-flow" else "tiket"
        if extras.get("key"):
            return t(extras["key"], "id")
        return None


def _text(key: str) -> locale_str:
    return locale_str(t(key, "en"), key=key)


async def run(interaction: discord.Interaction, name: str, values: dict[str, Any]) -> None:
    """Build the command from the options, defer (or show the form), run it, follow up privately."""
    ctx = context_of(interaction)
    if name == "new":
        home = ctx.directory.teams.get(str(values.get("team") or "").upper()) or \
            ctx.team_for_channel(interaction.channel)
        if not values.get("title") or home is None:  # the form: a modal must be the first answer, no defer
            await interaction.response.send_modal(NewTicketModal(ctx.lang(interaction, home),
                                                                 home.key if home else None, values.get("title")))
            return
        values = {**values, "team": home.key}
    command: Command | None = None
    refusal: Exception | None = None
    try:
        command = build(name, values)
    except TicketError as err:
        refusal = err
    lang = ctx.lang(interaction, ctx.team_for_channel(interaction.channel))
    if refusal is not None:  # bad input: nothing to store, a clear refusal right away
        await interaction.response.defer(ephemeral=True, thinking=True)
        await answer(interaction, render_failure(refusal, lang, mention))
        return
    team = ctx.directory.teams.get((command.key or "").split("-")[0]) or ctx.directory.teams.get(command.team or "")
    lang = ctx.lang(interaction, team or ctx.team_for_channel(interaction.channel))
    actor = ctx.actor(interaction.user, interaction)
    # stored in the inbox, then deferred (the ack); worked and followed up through the outbox
    await ctx.intake.take(f"discord:{interaction.id}", "command", {
        "actor": actor_json(actor), "lang": lang, "name": name, "values": values,
        "guild_id": interaction.guild_id, "idempotency_key": f"discord:interaction:{interaction.id}"}, interaction)
    spec = COMMANDS.get(command.action)
    if spec is not None and spec.changes:
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


def _choices(directory) -> dict[str, list[Choice]]:
    return {
        "team": [Choice(name=f"{team.key} · {team.name}"[:100], value=team.key)
                 for team in list(directory.teams.values())[:25]],
        "priority": [Choice(name=_text(f"priority.{p}"), value=p) for p in PRIORITIES],
        "status": [Choice(name=_text(f"status.{s}"), value=s) for s in STATUSES],
        "scope": [Choice(name=s, value=s) for s in SCOPES],
        "topic": [Choice(name=spec.name, value=spec.name) for spec in TABLE if spec.name != "form"][:25],
    }


def _annotation(arg: Arg) -> Any:
    if arg.kind == "user":
        kind: Any = discord.User
    elif arg.kind == "rating":
        kind = app_commands.Range[int, 1, 5]
    else:
        kind = str
    return kind if arg.required else Optional[kind]


def subcommand(spec: Spec, choices: dict[str, list[Choice]]) -> app_commands.Command:
    """One subcommand whose options are the table entry's arguments."""
    async def callback(interaction: discord.Interaction, **options: Any) -> None:
        values = {name: (f"discord:{value.id}" if isinstance(value, (discord.User, discord.Member)) else value)
                  for name, value in options.items()}
        await run(interaction, spec.name, values)

    params = [inspect.Parameter("interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                annotation=discord.Interaction)]
    ordered = sorted(spec.args, key=lambda arg: not arg.required)  # Discord lists required options first
    for arg in ordered:
        params.append(inspect.Parameter(arg.name, inspect.Parameter.KEYWORD_ONLY, annotation=_annotation(arg),
                                        **({} if arg.required else {"default": None})))
    callback.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    callback.__name__ = callback.__qualname__ = f"ticket_{spec.name}"
    if spec.args:
        callback = app_commands.describe(**{arg.name: _text(arg.help) for arg in spec.args})(callback)
        picked = {arg.name: choices[arg.kind] for arg in spec.args if arg.kind in choices}
        if picked:
            callback = app_commands.choices(**picked)(callback)
    command = app_commands.Command(name=locale_str(spec.name, command=spec.name), description=_text(spec.summary),
                                   callback=callback)
    if any(arg.kind == "key" for arg in spec.args):
        command.autocomplete("key")(key_autocomplete)
    return command


def build_group(directory) -> app_commands.Group:
    group = app_commands.Group(name=locale_str("ticket", group=True), description=_text("discord.cmd.ticket"),
                               guild_only=True)
    choices = _choices(directory)
    for spec in TABLE:
        if spec.name != "form" and spec.name not in WORKFLOW_COMMANDS:
            group.add_command(subcommand(spec, choices))
    return group


def build_workflow_group(directory) -> app_commands.Group:
    """`/ticket-flow move|merge|tag|…`: Discord allows 25 subcommands in a group, so the team
    workflows (issue 15) have their own; chat-only ones (attach: upload in the thread) are left out."""
    group = app_commands.Group(name=locale_str("ticket-flow", group=True),
                               description=_text("discord.cmd.ticket_flow"), guild_only=True)
    choices = _choices(directory)
    for spec in TABLE:
        if spec.name in WORKFLOW_COMMANDS and spec.name not in CHAT_ONLY:
            group.add_command(subcommand(spec, choices))
    return group


async def on_tree_error(interaction: discord.Interaction, error: app_commands.AppCommandError) -> bool:
    """An unknown or stale subcommand gets the unknown-command answer; True when handled."""
    if not isinstance(error, (app_commands.CommandNotFound, app_commands.CommandSignatureMismatch)):
        return False
    ctx = context_of(interaction)
    word = getattr(error, "name", None) or " ".join(_invoked(interaction.data or {}))
    await answer(interaction, t("error.unknown_command", ctx.lang(interaction), word=word))
    return True


def _invoked(data: dict) -> list[str]:
    names = [str(data.get("name") or "")]
    for option in data.get("options") or ():
        if option.get("type") in (1, 2):
            names += _invoked(option)
    return names
