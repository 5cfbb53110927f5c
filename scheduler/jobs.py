"""The scheduler's jobs: the SLA sweep and a delivery round, on the injected clock.

`tick(container)` is one sweep plus one delivery round; the console calls it
between lines, the APScheduler runtime (scheduler/runtime.py) calls the same
parts on intervals, and tests call them directly as a FixedClock advances.
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Iterable

from storage.sla import SqlSlaStore, replica_name
from tickets.deadlines import DeadlinePolicy
from tickets.sla_plan import digest_day
from tickets.sla_sweep import DigestCounts, Sink, SlaSweep

log = logging.getLogger(__name__)


def policy_of(container) -> DeadlinePolicy:
    policy = getattr(container.service, "sla", None)
    return policy if isinstance(policy, DeadlinePolicy) else DeadlinePolicy(container.settings.scheduler)


class SlaEngine:
    """The sweep over due tickets, the daily digests, stale-message dropping and the heartbeat."""

    def __init__(self, container, *, batch: int = 500) -> None:
        self.container = container
        self.clock = container.clock
        self.store = SqlSlaStore(container.engine)
        self.policy = policy_of(container)
        self.rules = SlaSweep(self.policy, container.directory, container.service.fanout)
        self.batch = batch
        self.name = replica_name()

    def sweep(self, now: datetime | None = None, *, max_batches: int = 1000) -> int:
        """Handle every ticket due by `now` (batch by batch); returns how many were handled."""
        now = now or self.clock.now()

        def process(sink, tickets):
            audits = []
            for ticket in tickets:
                audits += self.rules.process(sink, ticket, now)
            return audits

        total = 0
        for _ in range(max_batches):
            handled = self.store.sweep_batch(now, Sink, process, limit=self.batch)
            total += handled
            if handled < self.batch:
                break
        self.digests(now)
        return total

    def refresh(self, now: datetime | None = None) -> int:
        """Recompute the deadlines of open tickets whose team, targets or calendar changed."""
        now = now or self.clock.now()
        teams = self.container.directory.teams
        bases: dict = {}

        def fix(ticket) -> bool:
            team = teams.get(ticket.team)
            if team is None:
                return False
            key = (team.key, ticket.priority)
            if key not in bases:
                bases[key] = self.policy.basis(team, ticket)
            if ticket.sla_state.get("basis") == bases[key]:
                return False
            self.policy.recompute(ticket, team, now)
            return True

        return self.store.refresh_open(fix)

    def digests(self, now: datetime) -> int:
        sent = 0
        for team in self.container.directory.teams.values():
            day = digest_day(team, self.rules.rules, now)
            if day is None:
                continue

            def write(sink, counts, team=team, day=day):
                total, overdue, unassigned, overdue_keys, unassigned_keys = counts()
                self.rules.digest(sink, team, day, DigestCounts(total, overdue, unassigned, overdue_keys,
                                                                unassigned_keys))

            sent += self.store.digest_once(team.key, day, now, write, Sink)
        return sent

    def drop_stale(self, now: datetime | None = None, platforms: Iterable[str] | None = None) -> int:
        now = now or self.clock.now()
        if platforms is None:
            platforms = set(self.container.notifiers) | set(self.container.service.fanout.platforms)
        return self.store.drop_stale(now, platforms, lambda ticket, params: self.rules.still_current(
            ticket, params, now))

    def beat(self, now: datetime | None = None) -> None:
        self.store.beat(self.name, now or self.clock.now())

    def run(self, now: datetime | None = None, *, beat: bool = True) -> dict:
        """One sweep job: sweep, drop what went stale, beat (not for the console, which is no scheduler)."""
        now = now or self.clock.now()
        swept = self.sweep(now)
        dropped = self.drop_stale(now)
        if beat:
            self.beat(now)
        return {"swept": swept, "dropped": dropped}


def deliver(container, limit: int = 100) -> int:
    """One delivery round through the registered Notifiers."""
    if not container.notifiers:
        return 0
    return container.dispatcher().run_once(limit)


def tick(container, *, beat: bool = True) -> dict:
    """One sweep and one delivery round; errors are logged, never raised into the caller's loop.
    The console passes beat=False: it is not a scheduler `tiket scheduler status` may count on."""
    result: dict = {}
    try:
        result.update(SlaEngine(container).run(beat=beat))
    except Exception:
        log.exception("SLA sweep failed")
    try:
        from scheduler.weekly import run_weekly_reports

        result["weekly_reports"] = run_weekly_reports(container)
    except Exception:
        log.exception("weekly reports failed")
    try:
        result["delivered"] = deliver(container)
    except Exception:
        log.exception("delivery round failed")
    return result
