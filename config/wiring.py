"""The composition root: build every part from a Settings object, nothing at import time."""
from __future__ import annotations

import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from sqlalchemy import Engine

from config.settings import Settings
from config.teams import load_teams
from storage.crypto import make_cipher
from storage.db import is_sqlite, make_engine
from storage.migrate import upgrade
from storage.inbox import SqlInbox
from storage.outbox import SqlOutbox
from storage.platform_refs import SqlPlatformRefs
from storage.uow import uow_factory
from tickets.delivery import Dispatcher
from tickets.intake import InboxWorker
from tickets.ports import Clock, Notifier, SystemClock
from tickets.pump import Pump, Wakeup
from tickets.queries import TicketQueries
from tickets.service import TicketService
from tickets.deadlines import DeadlinePolicy
from tickets.limits import Limits
from tickets.teams import Directory

log = logging.getLogger(__name__)


@dataclass
class Container:
    settings: Settings
    engine: Engine
    directory: Directory
    clock: Clock
    uow: Callable
    service: TicketService
    queries: TicketQueries
    outbox: SqlOutbox
    inbox: SqlInbox
    wakeup: Wakeup  # after-commit signal (unit of work, inbox): wakes this process's pump
    worker: InboxWorker  # adapters register their inbox handlers here
    notifiers: dict[str, Notifier] = field(default_factory=dict)
    cipher: object = None  # storage.crypto.Cipher: confidential teams' text sealed at rest
    _metrics: object = field(default=None, repr=False)
    _triage: object = field(default=None, repr=False)
    _pump: Pump | None = field(default=None, repr=False)

    def dispatcher(self) -> Dispatcher:
        return Dispatcher(self.outbox, self.notifiers, self.clock, max_attempts=self.settings.scheduler.max_attempts,
                          lease_seconds=self.settings.intake.lease_seconds)

    def refs(self, platform: str) -> SqlPlatformRefs:
        """The platform-references port of one platform."""
        return SqlPlatformRefs(self.engine, platform, self.cipher)

    def email_store(self):
        """Email's own tables (Message-IDs, attachments, raw mail), storage.email.EmailStore."""
        from storage.email import EmailStore

        return EmailStore(self.engine, self.cipher)

    def reports(self):
        """The read side of reports (tickets.reports.Reports) over this database."""
        from storage.reports import SqlReportSource
        from tickets.reports import Reports

        return Reports(SqlReportSource(self.engine, self.cipher), self.directory, self.clock.now)

    def check_database(self) -> str | None:
        """None when the database answers, else what went wrong (readiness probes)."""
        from sqlalchemy import text

        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return None
        except Exception as exc:  # the words say what is wrong; the driver's text (hosts, ports) stays in the log
            log.warning("readiness: database check failed (%s)", type(exc).__name__)
            return "unreachable: the database did not answer a simple query"

    def scheduler_status(self) -> dict:
        """The SLA scheduler's heartbeat (stale after four sweep intervals)."""
        from scheduler.runtime import heartbeat_status

        stale_after = 4 * self.settings.scheduler.sweep_seconds
        return heartbeat_status(self.engine, self.clock.now(), max_age_seconds=stale_after)

    def slack_stores(self):
        """Slack OAuth's installation and state stores, in Tiket's database."""
        from storage.slack_install import installation_store, state_store

        return installation_store(self.settings.slack.client_id or "", self.engine), state_store(self.engine)

    def slack_installed_token(self) -> Callable[[str | None], str | None]:
        """workspace -> the installed bot token (multi-workspace installs)."""
        from storage.slack_install import installed_token

        return installed_token(self.settings.slack.client_id or "", self.engine)

    def pump(self, *, interval: float | None = None, threads: int | None = None) -> Pump:
        """This process's one pump (inbox worker + outbox dispatcher), woken after each commit. Built on
        first use; every part of the process (Slack, the web door, Discord, the scheduler) shares it."""
        if self._pump is None:
            self._pump = Pump(self.dispatcher(), self.worker, threads=threads or self.settings.intake.pump_threads,
                              interval=interval if interval is not None else self.settings.scheduler.deliver_seconds)
            self.wakeup.subscribe(self._pump.wake)
        return self._pump

    @property
    def metrics(self):
        """This process's Prometheus registry (built on first use)."""
        if self._metrics is None:
            from config.metrics import Metrics

            self._metrics = Metrics(self.engine, self.clock.now)
        return self._metrics

    @property
    def triage(self):
        """The triage service, or None when it is off (setting, or the model package missing)."""
        if self._triage is None:
            from config.triage import make_triage

            self._triage = make_triage(self) or False
        return self._triage or None

    def runner(self):
        from bot.commands import CommandRunner

        from bot.reports import commands as report_commands

        # stats and export are answered by the reports package
        return CommandRunner(self.service, self.queries, self.directory, self.clock,
                             extra=report_commands(self.reports(), self.directory))


def teams_path(settings: Settings) -> Path:
    """The teams file; a newcomer without one gets the shipped example (and a note on stderr)."""
    path = Path(settings.teams_file)
    if not path.exists() and settings.teams_file == "teams.toml":
        example = Path(__file__).resolve().parent.parent / "teams.example.toml"
        if example.exists():
            print(f"note: {path} not found, using {example}", file=sys.stderr)
            return example
    return path


def build(settings: Settings, *, clock: Clock | None = None, directory: Directory | None = None,
          platforms: frozenset[str] | None = None, migrate: bool | None = None,
          engine: Engine | None = None) -> Container:
    clock = clock or SystemClock()
    directory = directory or load_teams(teams_path(settings), language=settings.language,
                                        rate_limit_per_hour=settings.rate_limit_per_hour)
    engine = engine or make_engine(settings.database_url, busy_timeout_ms=settings.limits.sqlite_busy_timeout_ms,
                                   statement_timeout_ms=settings.limits.statement_timeout_ms)
    if migrate if migrate is not None else is_sqlite(engine):
        upgrade(settings.database_url)
    wakeup = Wakeup()
    cipher = make_cipher(settings, directory)
    uow = uow_factory(engine, clock, cipher=cipher, on_commit=wakeup)
    platforms = platforms or settings.platforms()
    service = TicketService(uow, directory, clock, platforms=platforms, sla=DeadlinePolicy(settings.scheduler),
                            limits=Limits.from_settings(settings.limits),
                            attachment_rules=settings.attachments.rules())
    readers = uow_factory(engine, clock, readonly=True, cipher=cipher)  # never waits for the write lock
    inbox = SqlInbox(engine, cipher, on_commit=wakeup)
    container = Container(settings=settings, engine=engine, directory=directory, clock=clock, uow=uow,
                          service=service, queries=TicketQueries(readers, directory),
                          outbox=SqlOutbox(engine, cipher), cipher=cipher, inbox=inbox, wakeup=wakeup,
                          worker=InboxWorker(inbox, clock, max_attempts=settings.intake.max_attempts,
                                             lease_seconds=settings.intake.lease_seconds))
    attach_notifiers(container, platforms)
    return container


def attach_notifiers(container: Container, platforms: frozenset[str]) -> None:
    """Each configured platform's REST Notifier (`bot.<platform>.notifier.make_notifier`, None without
    credentials), so any process, the scheduler too, can deliver the outbox. Imported only when used."""
    import importlib

    for platform in sorted(platforms & {"slack", "discord", "email", "whatsapp"}):
        notifier = importlib.import_module(f"bot.{platform}.notifier").make_notifier(container)
        if notifier is not None:
            container.notifiers.setdefault(platform, notifier)
