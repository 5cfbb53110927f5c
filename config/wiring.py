"""The composition root: build every part from a Settings object, nothing at import time."""
from __future__ import annotations

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
from storage.outbox import SqlOutbox
from storage.uow import uow_factory
from tickets.ports import Clock, Notifier, SystemClock
from tickets.queries import TicketQueries
from tickets.service import TicketService
from tickets.deadlines import DeadlinePolicy
from tickets.limits import Limits
from tickets.teams import Directory


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
    notifiers: dict[str, Notifier] = field(default_factory=dict)
    cipher: object = None  # storage.crypto.Cipher: confidential teams' text sealed at rest
    _metrics: object = field(default=None, repr=False)
    _triage: object = field(default=None, repr=False)

    def dispatcher(self):
        from scheduler.delivery import Dispatcher

        return Dispatcher(self.outbox, self.notifiers, self.clock, max_attempts=self.settings.scheduler.max_attempts)

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
                             extra=report_commands(self))


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
    cipher = make_cipher(settings, directory)
    uow = uow_factory(engine, clock, cipher=cipher)
    platforms = platforms or settings.platforms()
    service = TicketService(uow, directory, clock, platforms=platforms, sla=DeadlinePolicy(settings.scheduler),
                            limits=Limits.from_settings(settings.limits),
                            attachment_rules=settings.attachments.rules())
    readers = uow_factory(engine, clock, readonly=True, cipher=cipher)  # never waits for the write lock
    container = Container(settings=settings, engine=engine, directory=directory, clock=clock, uow=uow,
                          service=service, queries=TicketQueries(readers, directory),
                          outbox=SqlOutbox(engine, cipher), cipher=cipher)
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
