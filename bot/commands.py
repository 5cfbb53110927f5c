"""The one place every adapter sends a `/ticket` command: typed text, a card button,
a form or a Discord subcommand all become a `Command` from the command table
(tickets/commands.py) and run here: the table's call, then rendering.

Adapters pass the actor and where it came from; they get back a Reply to show the
user. `run` and `perform` never raise: every failure goes through the one mapping
from errors to replies (bot.render.render_failure). No ticket rule lives here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from bot.i18n import format_when, normalise_language, t
from bot.render import (Names, render_failure, render_help, render_history, render_list, render_view, ticket_line,
                        who)
from tickets.commands import COMMANDS, Invocation, build
from tickets.grammar import Command, parse
from tickets.model import Ticket, parse_key
from tickets.ports import Clock
from tickets.queries import TicketQueries, TicketView
from tickets.service import TicketService
from tickets.teams import Actor, Directory


@dataclass
class Reply:
    text: str
    ok: bool = True
    command: Command | None = None
    ticket: Ticket | None = None
    tickets: list[Ticket] = field(default_factory=list)
    view: TicketView | None = None
    created: bool = False
    attachments: list[tuple[str, bytes]] = field(default_factory=list)  # (filename, content)

    @property
    def changed(self) -> bool:
        """A ticket changed, so there are messages to deliver."""
        spec = COMMANDS.get(self.command.action) if self.command else None
        return self.ok and spec is not None and spec.changes


Extra = Callable[[Actor, Command, str], Reply]


class CommandRunner:
    def __init__(self, service: TicketService, queries: TicketQueries, directory: Directory, clock: Clock,
                 extra: dict[str, Extra] | None = None) -> None:
        self.service = service
        self.queries = queries
        self.directory = directory
        self.clock = clock
        self.extra = dict(extra or {})

    def language(self, actor: Actor) -> str:
        return normalise_language(actor.locale, self.directory.default_language)

    def run(self, actor: Actor, text: str, *, lang: str | None = None, names: Names = who, **where) -> Reply:
        """Parse typed text and perform it."""
        lang = lang or self.language(actor)
        try:
            command = parse(text)
        except Exception as exc:
            return Reply(render_failure(exc, lang, names), ok=False)
        return self.perform(actor, command, lang=lang, names=names, **where)

    def press(self, actor: Actor, name: str, values: dict, *, lang: str | None = None, names: Names = who,
              **where) -> Reply:
        """A button, select or form: the command `name` with named argument values (see tickets.commands.build)."""
        lang = lang or self.language(actor)
        try:
            command = build(name, values)
        except Exception as exc:
            return Reply(render_failure(exc, lang, names), ok=False)
        return self.perform(actor, command, lang=lang, names=names, **where)

    def perform(self, actor: Actor, command: Command, *, lang: str | None = None, names: Names = who,
                **where) -> Reply:
        """Run a command (typed, a button, a form); a refusal comes back as a Reply, never raised."""
        lang = lang or self.language(actor)
        try:
            return self.execute(actor, command, lang=lang, names=names, **where)
        except Exception as exc:
            return Reply(render_failure(exc, lang, names), ok=False, command=command)

    def execute(self, actor: Actor, cmd: Command, *, lang: str, source: str = "console",
                source_ref: str | None = None, idempotency_key: str | None = None,
                resolve_user: Callable[[str], str] | None = None, names: Names = who,
                refs: dict[str, str] | None = None) -> Reply:
        """Run a command; refusals are raised (TicketError, ConcurrencyConflict). `refs`: platform
        references ("platform:kind" -> ref) a new ticket gets in its own transaction."""
        now, action = self.clock.now(), cmd.action
        spec = COMMANDS.get(action)
        if action in self.extra:
            return self.extra[action](actor, cmd, lang)
        if spec is None:
            return Reply(t("error.unknown_command", lang, word=action), ok=False, command=cmd)
        if action == "form":
            return Reply(t("form.prompt", lang), command=cmd)
        if action == "help":
            return Reply(render_help(lang, cmd.text), command=cmd)
        if action == "list":
            user = cmd.user and (resolve_user(cmd.user) if resolve_user else cmd.user)
            found = self.queries.list(actor, cmd.scope or "default", team=cmd.team, status=cmd.status, text=cmd.text,
                                      priority=cmd.priority, assignee=user)
            calendars = {key: team.calendar for key, team in self.directory.teams.items()}
            return Reply(render_list(found, lang, now, calendars, names), command=cmd, tickets=found)
        if action in ("show", "history"):
            view = self.queries.show(actor, cmd.key)
            tz = self._tz(view.ticket.key)
            calendar = getattr(self.directory.teams.get(view.ticket.team), "calendar", None)
            text = render_view(view, lang, now, tz, calendar, names) if action == "show" \
                else render_history(view, lang, tz, names)
            return Reply(text, command=cmd, ticket=view.ticket, view=view)
        if spec.call is None:
            return Reply(t("error.unknown_command", lang, word=action), ok=False, command=cmd)
        invocation = Invocation(actor, self.service, self.queries, now, self._tz, resolve_user or (lambda u: u),
                                source, source_ref, idempotency_key, calendar=self._calendar, refs=refs)
        result = spec.call(invocation, cmd)
        if action == "new":
            key = "reply.created" if result.created else "reply.duplicate"
            return Reply(t(key, lang, key=result.ticket.key, title=result.ticket.title), command=cmd,
                         ticket=result.ticket, created=result.created)
        until = format_when(result.sla_state.get("snoozed_until"), lang, self._tz(result.key))  # team's zone
        line = ticket_line(result, lang, now, self._calendar(result.key), names=names)
        return Reply(t(f"reply.{action}", lang, key=result.key, line=line, until=until), command=cmd, ticket=result)

    def _calendar(self, key: str):
        return getattr(self.directory.teams.get(parse_key(key)[0]), "calendar", None)

    def _tz(self, key: str) -> str:
        team = self.directory.teams.get(parse_key(key)[0])
        calendar = team.calendar if team else None
        return getattr(calendar, "tz_name", None) or "UTC"
