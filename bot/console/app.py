"""The console chat loop: `/as <name>` switches identity, `/ticket …` runs a command.

While it waits for a line, a timer runs the scheduler's tick (sweep + delivery), so
reminders appear as they fall due; every line and every tick hold one lock.
"""
from __future__ import annotations

import getpass
import re
import sys
import threading
import uuid
from pathlib import Path
from typing import Callable, TextIO

from bot.commands import CommandRunner, Reply
from bot.console.notifier import ConsoleNotifier
from bot.console.roles import roster, whoami
from bot.i18n import normalise_language, t
from bot.render import render_error
from tickets.errors import TicketError
from tickets.grammar import parse_due
from tickets.teams import Actor

NAME_RE = re.compile(r"^[A-Za-z0-9._-]{1,40}$")
CANCEL_WORDS = frozenset({"batal", "cancel", "/cancel", "/batal"})
SKIP = "-"


class Cancelled(Exception):
    """The person left the form (batal, cancel, /cancel, an empty line, or the end of input)."""


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
        self.lock = threading.RLock()
        console_settings = getattr(container.settings, "console", None)
        self.export_dir = Path(getattr(console_settings, "export_dir", None) or "tiket-exports")

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
    def run(self, on_idle: Callable[[], None] | None = None, every: float | None = None) -> int:
        """Read and handle lines until /quit or the end of input; with `every` (seconds), `on_idle`
        also runs on a timer while the console waits for a line."""
        self.say(t("console.welcome", self.lang, user=self.user))
        self.say(whoami(self.container.directory, self.user, self.lang))
        self.say(roster(self.container.directory, self.lang))
        stop = threading.Event()
        if on_idle is not None and every:
            threading.Thread(target=self._timer, args=(on_idle, every, stop), daemon=True,
                             name="console-scheduler").start()
        try:
            while True:
                line = self.read(f"{self.user}> ")
                if line is None:
                    return 0
                with self.lock:
                    if not self.handle(line.strip()):
                        return 0
                    if on_idle:
                        on_idle()
                    self.flush()
        finally:
            stop.set()

    def _timer(self, on_idle: Callable[[], None], every: float, stop: threading.Event) -> None:
        while not stop.wait(every):
            self.idle(on_idle)

    def idle(self, on_idle: Callable[[], None]) -> None:
        """One scheduler tick between lines (the timer's, or a test's)."""
        with self.lock:
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
        if word in ("/whoami", "/siapa"):
            self.say(whoami(self.container.directory, self.user, self.lang))
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
        """Charts and CSV files a reply carries: written owner-only to the export folder
        (TIKET_CONSOLE__EXPORT_DIR, default ./tiket-exports/), path printed."""
        from bot.files import write_private

        if not reply.attachments:
            return
        self.export_dir.mkdir(parents=True, exist_ok=True)
        for name, content in reply.attachments:
            path = write_private((self.export_dir / Path(name).name).resolve(), content)
            self.say(t("report.saved", self.lang, file=str(path)))

    def resolve_user(self, raw: str) -> str:
        raw = raw.strip().removeprefix("@")
        return raw if ":" in raw else f"console:{raw}"

    # -- the field-by-field form ----------------------------------------------------
    def ask(self, label: str, check: Callable[[str], object], *, required: bool) -> object:
        """One question; `-` skips an optional one; batal/cancel//cancel or an empty line leave the form."""
        while True:
            hint = "" if required else " " + t("form.skip_hint", self.lang)
            answer = self.read(t(label, self.lang) + hint + ": ")
            if answer is None:
                raise Cancelled
            answer = answer.strip()
            if not answer or answer.lower() in CANCEL_WORDS:
                raise Cancelled
            if answer == SKIP and not required:
                return None
            try:
                return check(answer)
            except TicketError as err:
                self.say(render_error(err, self.lang))

    def form(self, team: str | None) -> Reply:
        directory, service = self.container.directory, self.container.service
        self.say(t("form.howto", self.lang))
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
                                                                         team_obj.calendar or _tz(team_obj)),
                           required=False)
        except Cancelled:
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
