"""What the database knows, as Prometheus metrics read at scrape time.

Tickets opened per team and channel, the inbox backlog, the outbox's pending and dead
messages per platform, the scheduler's heartbeat age, and database errors seen by this
process. Labels are teams, channels, platforms and statuses: never ticket text or people.
Scrapes are cached for a few seconds so a busy Prometheus cannot load the database.
"""
from __future__ import annotations

import threading
import time
from datetime import datetime
from typing import Callable, Iterator

from sqlalchemy import Engine, event, func, select

from storage.inbox import InboxRow
from storage.models import Heartbeat, OutboxRow, TicketRow


class StoreCollector:
    """A prometheus_client collector over the Tiket database."""

    def __init__(self, engine: Engine, now: Callable[[], datetime], *, cache_seconds: float = 10.0) -> None:
        self.engine = engine
        self.now = now
        self.cache_seconds = cache_seconds
        self._lock = threading.Lock()
        self._cached: tuple[float, list] | None = None
        self.db_errors: dict[str, int] = {}
        event.listen(engine, "handle_error", self._on_error)

    def _on_error(self, context) -> None:
        kind = type(context.original_exception).__name__
        with self._lock:
            self.db_errors[kind] = self.db_errors.get(kind, 0) + 1

    def describe(self) -> list:
        return []  # read at scrape time only; registering must not query the database

    def collect(self) -> Iterator:
        from prometheus_client.core import CounterMetricFamily

        with self._lock:
            cached = self._cached
        if cached is None or time.monotonic() - cached[0] > self.cache_seconds:
            try:
                families = self._read()
            except Exception:  # the database is down: say so through the error counter, keep serving
                families = cached[1] if cached else []
            else:
                with self._lock:
                    self._cached = (time.monotonic(), families)
        else:
            families = cached[1]
        yield from families
        errors = CounterMetricFamily("tiket_database_errors", "Database errors seen by this process.",
                                     labels=["error"])
        with self._lock:
            for kind, count in sorted(self.db_errors.items()):
                errors.add_metric([kind], count)
        yield errors

    def _read(self) -> list:
        from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

        opened = CounterMetricFamily("tiket_tickets_opened", "Tickets opened, by team and channel.",
                                     labels=["team", "channel"])
        backlog = GaugeMetricFamily("tiket_inbox_backlog", "Inbound requests stored and not yet handled.",
                                    labels=["platform"])
        inbox_dead = GaugeMetricFamily("tiket_inbox_dead", "Inbound requests given up after retries.",
                                       labels=["platform"])
        outbox = GaugeMetricFamily("tiket_outbox_messages", "Outgoing messages waiting or dead, by platform.",
                                   labels=["platform", "status"])
        heartbeat = GaugeMetricFamily("tiket_scheduler_heartbeat_age_seconds",
                                      "Seconds since the most recent scheduler heartbeat (absent: none yet).")
        with self.engine.connect().execution_options(sqlite_readonly=True) as conn:
            for team, source, n in conn.execute(select(TicketRow.team, TicketRow.source, func.count())
                                                .group_by(TicketRow.team, TicketRow.source)):
                opened.add_metric([team, source], n)
            for platform, status, n in conn.execute(
                    select(InboxRow.platform, InboxRow.status, func.count())
                    .where(InboxRow.status.in_(("pending", "dead"))).group_by(InboxRow.platform, InboxRow.status)):
                (backlog if status == "pending" else inbox_dead).add_metric([platform], n)
            for platform, status, n in conn.execute(
                    select(OutboxRow.platform, OutboxRow.status, func.count())
                    .where(OutboxRow.status.in_(("pending", "dead"))).group_by(OutboxRow.platform, OutboxRow.status)):
                outbox.add_metric([platform, status], n)
            newest = conn.execute(select(func.max(Heartbeat.beat_at)).where(Heartbeat.name.like("scheduler:%"))
                                  ).scalar()
        families = [opened, backlog, inbox_dead, outbox]
        if newest is not None:
            if isinstance(newest, str):
                newest = datetime.fromisoformat(newest)
            if newest.tzinfo is None:
                from datetime import timezone

                newest = newest.replace(tzinfo=timezone.utc)
            heartbeat.add_metric([], max(0.0, (self.now() - newest).total_seconds()))
            families.append(heartbeat)
        return families
