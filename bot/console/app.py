"""The console chat loop: `/as <name>` switches identity, `/ticket …` runs a command."""
from __future__ import annotations

import getpass
import re
import sys
import uuid
from typing import Callable, TextIO

from bot.commands import CommandRunner, Reply
from bot.console.notifier import ConsoleNotifier
from bot.i18n import normalise_language, t
from bot.render import render_error
from tickets.errors import TicketError
from tickets.grammar import parse_due
from tickets.teams import Actor

NAME_RE = re.compile(r"^[A-Za-z0-9._-]{1,40}$")


class Console:
    def __init__(self, container, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout,
                 user: str | None = None, interactive: bool | None = None) -> None:
        self.container = container
        self.stdin, self.stdout = stdin, stdout
        self.interactive = stdin.isatty() if interactive is None else interactive
        self.user = user or _default_user()
        self.lang = container.directory.default_language
        self.session = uuid.uuid4().hex[:8]
        self.line_no = 0
        self.runner: CommandRunner = container.runner()
        calendars = {key: team.calendar for key, team in container.directory.teams.items()}
        container.notifiers.setdefault("console", ConsoleNotifier(self.say, container.clock, calendars))
        self.dispatcher = container.dispatcher()

    # -- io -----------------------------------------------------------------------
    def say(self, text: str) -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()

    def read(self, prompt: str) -> str | None:
        if self.interactive:
            self.stdout.write(prompt)
            self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            return None
        self.line_no += 1
        return line.rstrip("\r\n")

    @property
    def actor(self) -> Actor:
        return Actor(f"console:{self.user}", locale=self.lang)

    # -- loop ---------------------------------------------------------------------
    def run(self, on_idle: Callable[[], None] | None = None) -> int:
        if self.interactive:
            self.say(t("console.welcome", self.lang, user=self.user))
        while True:
            line = self.read(f"{self.user}> ")
            if line is None:
                return 0
            if not self.handle(line.strip()):
                return 0
            if on_idle:
                on_idle()
            self.flush()

    def flush(self) -> None:
        self.dispatcher.drain()

    def handle(self, line: str) -> bool:
        if not line or line.startswith("#"):
            return True
        word, _, rest = line.partition(" ")
        word = word.lower()
        if word in ("/quit", "/exit", "/keluar"):
            return False
        if word == "/as":
            name = rest.strip().removeprefix("@")
            if NAME_RE.match(name):
                self.user = name
                self.say(t("console.as", self.lang, user=name))
            else:
                self.say(t("console.as_usage", self.lang))
            return True
        if word in ("/lang", "/bahasa"):
            self.lang = normalise_language(rest.strip(), self.lang)
            self.say(t("console.lang", self.lang))
            return True
        if word not in ("/ticket", "/tiket"):
            self.say(t("console.unknown", self.lang))
            return True
        reply = self.runner.run(self.actor, rest, lang=self.lang, source="console",
                                idempotency_key=f"console:{self.session}:{self.line_no}",
                                resolve_user=self.resolve_user)
        if reply.command is not None and reply.command.action == "form" and reply.ok:
            reply = self.form(reply.command.team)
        self.say(reply.text)
        self.save_attachments(reply)
        return True

    def save_attachments(self, reply: Reply) -> None:
        """Charts and CSV files a reply carries: written to the current directory, path printed."""
        from pathlib import Path

        from bot.files import write_private

        for name, content in reply.attachments:
            path = write_private(Path.cwd() / Path(name).name, content)
            self.say(t("report.saved", self.lang, file=str(path)))

    def resolve_user(self, raw: str) -> str:
        raw = raw.strip().removeprefix("@")
        return raw if ":" in raw else f"console:{raw}"

    # -- the field-by-field form ----------------------------------------------------
    def ask(self, label: str, check: Callable[[str], object], *, required: bool) -> object:
        while True:
            answer = self.read(t(label, self.lang) + ": ")
            if answer is None:
                raise EOFError
            answer = answer.strip()
            if not answer and not required:
                return None
            try:
                return check(answer)
            except TicketError as err:
                self.say(render_error(err, self.lang))
            if not self.interactive and answer == "":
                raise EOFError

    def form(self, team: str | None) -> Reply:
        directory, service = self.container.directory, self.container.service
        try:
            if team is None:
                self.say(t("form.teams", self.lang, teams=", ".join(
                    f"{k} ({v.name})" for k, v in directory.teams.items())))
                team = self.ask("form.team", lambda v: directory.team(v).key, required=True)
            team_obj = directory.team(team)
            category = None
            if team_obj.categories:
                self.say(t("form.categories", self.lang, categories=", ".join(team_obj.categories)))
                category = self.ask("form.category", lambda v: service.check_category(team_obj, v), required=False)
            title = self.ask("form.title", _title, required=True)
            description = self.ask("form.description", lambda v: v, required=False) or ""
            priority = self.ask("form.priority", _priority, required=False)
            due = self.ask("form.due", lambda v: parse_due(v).resolve(self.container.clock.now(),
                                                                         _tz(team_obj)), required=False)
        except EOFError:
            return Reply(t("form.cancelled", self.lang), ok=False)
        try:
            result = service.open(self.actor, team_obj.key, title, description, priority=priority,
                                  category=category, due_at=due, source="console",
                                  idempotency_key=f"console:{self.session}:{self.line_no}")
        except TicketError as err:
            return Reply(render_error(err, self.lang), ok=False)
        return Reply(t("reply.created", self.lang, key=result.ticket.key, title=result.ticket.title),
                     ticket=result.ticket, created=result.created)


def _title(value: str) -> str:
    from tickets.model import validate_title

    return validate_title(value)


def _priority(value: str) -> str:
    from tickets.grammar import PRIORITIES
    from tickets.errors import ValidationError

    level = PRIORITIES.get(value.lower())
    if level is None:
        raise ValidationError("bad_priority", value=value)
    return level


def _tz(team) -> str:
    return getattr(team.calendar, "tz_name", None) or "UTC"


def _default_user() -> str:
    try:
        name = getpass.getuser()
    except Exception:
        name = "user"
    return name if NAME_RE.match(name) else "user"
