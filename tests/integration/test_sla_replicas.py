"""Several scheduler replicas against PostgreSQL: every reminder goes out exactly once."""
from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, insert, select

from config.wiring import build
from scheduler.jobs import SlaEngine
from storage.db import make_engine
from storage.models import AuditRow, OutboxRow, TicketRow
from storage.repository import to_values
from tickets.deadlines import DeadlinePolicy
from tickets.model import Ticket

TICKETS = 2000
REPLICAS = 3


class Shared:
    platform = "console"

    def __init__(self):
        self.lock = threading.Lock()
        self.sent = Counter()

    def deliver(self, delivery):
        with self.lock:
            self.sent[delivery.id] += 1


def fill_due(engine, directory, settings, now, count):
    """`count` IT tickets whose first response became overdue a minute ago."""
    team = directory.teams["IT"]
    policy = DeadlinePolicy(settings.scheduler)
    opened = now - timedelta(minutes=61)
    rows = []
    for number in range(1, count + 1):
        ticket = Ticket(team="IT", number=number, title=f"t{number}", requester="console:budi",
                        reporter="console:budi", created_at=opened, updated_at=opened)
        policy.on_open(ticket, team, opened)
        rows.append(to_values(ticket) | {"version": 0})
    with engine.begin() as conn:
        conn.execute(insert(TicketRow), rows)


def test_three_sweepers_and_three_deliverers_send_every_reminder_exactly_once(db_url, settings, clock, directory):
    if not db_url.startswith("postgresql"):
        pytest.skip("replicas share work through FOR UPDATE SKIP LOCKED: PostgreSQL only "
                    "(set TIKET_TEST_DATABASE_URL)")
    engines = [make_engine(db_url) for _ in range(REPLICAS)]
    try:
        fill_due(engines[0], directory, settings, clock.now(), TICKETS)
        containers = [build(settings, clock=clock, directory=directory, platforms=frozenset({"console"}),
                            migrate=False, engine=e) for e in engines]
        shared = Shared()
        for c in containers:
            c.notifiers["console"] = shared
        start = threading.Barrier(REPLICAS)
        swept = [0] * REPLICAS
        errors = []

        def sweeper(i):
            try:
                start.wait()
                swept[i] = SlaEngine(containers[i], batch=50).sweep()
                start.wait()
                containers[i].dispatcher().drain(limit=50, rounds=1000)
            except Exception as exc:  # pragma: no cover - shown by the assertion below
                errors.append(exc)

        threads = [threading.Thread(target=sweeper, args=(i,)) for i in range(REPLICAS)]
        for th in threads:
            th.start()
        for th in threads:
            th.join(timeout=240)
        assert errors == []
        assert sum(swept) == TICKETS
        assert all(n > 0 for n in swept), swept  # the work really was shared
        with engines[0].connect() as conn:
            per_ticket = Counter(conn.execute(select(AuditRow.ticket_id).where(AuditRow.action == "escalate"))
                                 .scalars())
            rows = conn.execute(select(OutboxRow.id, OutboxRow.status).where(
                OutboxRow.template == "sla_breach_response")).all()
            due_left = conn.execute(select(func.count()).select_from(TicketRow)
                                    .where(TicketRow.next_action_at <= clock.now())).scalar_one()
        assert len(per_ticket) == TICKETS and set(per_ticket.values()) == {1}  # each ticket handled once
        assert len(rows) == TICKETS * 4  # thread + three supervisors' DMs
        assert {status for _, status in rows} == {"sent"}
        assert all(shared.sent[i] == 1 for i, _ in rows)  # delivered exactly once each
        assert due_left == 0
    finally:
        for e in engines:
            e.dispose()
