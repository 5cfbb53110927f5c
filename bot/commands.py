"""The one place every adapter sends `/ticket …` text: parse, call a service, render.

Adapters pass the actor, the raw text and where it came from; they get back a
Reply to show the user. No ticket rule lives here: permissions, transitions and
limits are the service layer's.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Callable

from bot.i18n import format_when, t
from bot.render import render_error, render_help, render_history, render_list, render_view, ticket_line
from tickets.dates import DueSpec
from tickets.errors import ConcurrencyConflict, TicketError
from tickets.grammar import USAGE, Command, parse
from tickets.model import Ticket, parse_key
from tickets.ports import Clock
from tickets.queries import TicketQueries, TicketView
from tickets.service import TicketService
from tickets.teams import Actor, Directory

log = logging.getLogger(__name__)


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
        from bot.i18n import normalise_language

        return normalise_language(actor.locale, self.directory.default_language)

    def run(self, actor: Actor, text: str, *, lang: str | None = None, source: str = "console",
            source_ref: str | None = None, idempotency_key: str | None = None,
            resolve_user: Callable[[str], str] | None = None) -> Reply:
        lang = lang or self.language(actor)
        try:
            command = parse(text)
            return self.execute(actor, command, lang=lang, source=source, source_ref=source_ref,
                                idempotency_key=idempotency_key, resolve_user=resolve_user)
        except TicketError as err:
            return Reply(render_error(err, lang), ok=False)
        except ConcurrencyConflict:
            return Reply(t("error.busy", lang), ok=False)
        except Exception:  # never a stack trace to the user; the log keeps it
            log.exception("command failed: %r", text)
            return Reply(t("error.internal", lang), ok=False)

    def execute(self, actor: Actor, cmd: Command, *, lang: str, source: str = "console",
                source_ref: str | None = None, idempotency_key: str | None = None,
                resolve_user: Callable[[str], str] | None = None) -> Reply:
        s, now = self.service, self.clock.now()
        action = cmd.action
        if action in self.extra:
            return self.extra[action](actor, cmd, lang)
        if action == "form":
            return Reply(t("form.prompt", lang), command=cmd)
        if action == "help":
            text = render_help(lang) if not cmd.text else f"/ticket {USAGE[cmd.text]}"
            return Reply(text, command=cmd)
        if action == "new":
            result = s.open(actor, cmd.team, cmd.title, cmd.description or "", source=source,
                            source_ref=source_ref, idempotency_key=idempotency_key)
            key = "reply.created" if result.created else "reply.duplicate"
            return Reply(t(key, lang, key=result.ticket.key, title=result.ticket.title), command=cmd,
                         ticket=result.ticket, created=result.created)
        if action == "list":
            found = self.queries.list(actor, cmd.scope or "mine", team=cmd.team, status=cmd.status, text=cmd.text)
            calendars = {key: team.calendar for key, team in self.directory.teams.items()}
            return Reply(render_list(found, lang, now, calendars), command=cmd, tickets=found)
        if action in ("show", "history"):
            view = self.queries.show(actor, cmd.key)
            tz = self._tz(view.ticket.key)
            calendar = getattr(self.directory.teams.get(view.ticket.team), "calendar", None)
            text = render_view(view, lang, now, tz, calendar) if action == "show" else render_history(view, lang, tz)
            return Reply(text, command=cmd, ticket=view.ticket, view=view)
        ticket = self._change(actor, cmd, now, resolve_user)
        calendar = getattr(self.directory.teams.get(ticket.team), "calendar", None)
        until = format_when(ticket.sla_state.get("snoozed_until"), lang, self._tz(ticket.key))
        return Reply(t(f"reply.{action}", lang, key=ticket.key, line=ticket_line(ticket, lang, now, calendar),
                       until=until),
                     command=cmd, ticket=ticket)

    def _change(self, actor: Actor, cmd: Command, now, resolve_user) -> Ticket:
        s, key = self.service, cmd.key
        simple = {"claim": s.claim, "unclaim": s.unclaim, "cancel": s.cancel, "watch": s.watch}
        if cmd.action in simple:
            return simple[cmd.action](actor, key)
        with_text = {"wait": s.wait, "resolve": s.resolve, "close": s.close, "reopen": s.reopen,
                     "comment": s.comment, "note": s.note}
        if cmd.action in with_text:
            return with_text[cmd.action](actor, key, cmd.text or "")
        if cmd.action == "assign":
            user = resolve_user(cmd.user) if resolve_user else cmd.user
            return s.assign(actor, key, user)
        if cmd.action == "priority":
            return s.set_priority(actor, key, cmd.priority)
        if cmd.action == "rate":
            return s.rate(actor, key, cmd.rating, cmd.text or "")
        if cmd.action in ("due", "snooze"):  # in the team's business time and zone (tickets/dates.py)
            spec = cmd.due or DueSpec(duration=cmd.duration)
            calendar = getattr(self.directory.teams.get(parse_key(key)[0]), "calendar", None)
            at = spec.resolve(now, calendar or self._tz(key))
            return s.set_due(actor, key, at) if cmd.action == "due" else s.snooze(actor, key, at, cmd.text or "")
        raise TicketError("unknown_command", word=cmd.action)

    def _tz(self, key: str) -> str:
        team = self.directory.teams.get(parse_key(key)[0])
        calendar = team.calendar if team else None
        return getattr(calendar, "tz_name", None) or "UTC"
