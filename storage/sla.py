"""The SLA sweep's side of the database: claim due tickets, write what they owe, beat.

Claiming: on PostgreSQL the due rows are locked with ``FOR UPDATE SKIP LOCKED``,
so several scheduler replicas split the work and never take the same ticket; on
SQLite the whole batch runs under ``BEGIN IMMEDIATE`` (storage/db.py), one
writer at a time. The ticket's new state, its outbox rows (each with a unique
dedup key) and its audit events are written in the same transaction, so a
sweeper killed half-way leaves nothing half-done: the rows stay due and the
next sweep takes them again.

Cost follows the due rows: the claim reads ``ix_tickets_next_action_at`` only.
"""
from __future__ import annotations

import os
import socket
from datetime import date, datetime, timedelta
from typing import Callable, Iterable

from sqlalchemy import Engine, and_, bindparam, func, insert, or_, select, text, update
from sqlalchemy.dialects import postgresql, sqlite

from storage.bulk import as_rows, recordset
from storage.models import AuditRow, Heartbeat, OutboxRow, TicketRow, UserRow, audit_values
from storage.outbox import write_messages
from storage.rollup import add_events
from storage.repository import UPDATE_TICKET, to_ticket, to_values
from tickets.model import OPEN_STATUSES, AuditEvent, Ticket

OPEN = [s.value for s in OPEN_STATUSES]
# What a sweep may change on a ticket it holds locked (a narrow UPDATE: fewer values to send).
SWEPT_FIELDS = ("status", "next_action_at", "sla_state", "closed_at", "paused_at", "updated_at",
                "first_response_due", "resolution_due", "version")
SWEPT = (update(TicketRow).where(TicketRow.id == bindparam("_id"))
         .values({name: bindparam(name) for name in SWEPT_FIELDS}))


# PostgreSQL: each write of a batch is one statement over one JSON document of rows (storage.bulk).
SWEPT_COLUMNS = {"id": "bigint", "status": "text", "next_action_at": "timestamptz", "sla_state": "jsonb",
                 "closed_at": "timestamptz", "paused_at": "timestamptz", "updated_at": "timestamptz",
                 "first_response_due": "timestamptz", "resolution_due": "timestamptz"}
SWEPT_PG = text("UPDATE tickets AS t SET " + ", ".join(f"{c} = v.{c}" for c in SWEPT_COLUMNS if c != "id")
                + ", version = t.version + 1 FROM " + recordset(SWEPT_COLUMNS) + " WHERE t.id = v.id")
AUDIT_COLUMNS = {"ticket_id": "bigint", "team": "text", "actor": "text", "action": "text", "at": "timestamptz",
                 "changes": "jsonb", "seconds": "int", "met": "boolean", "prior_status": "text", "subject": "text"}
AUDITS_PG = text("INSERT INTO audit_events (" + ", ".join(AUDIT_COLUMNS) + ") SELECT " + ", ".join(AUDIT_COLUMNS)
                 + " FROM " + recordset(AUDIT_COLUMNS))


def swept_values(ticket: Ticket) -> dict:
    return {"_id": ticket.id, "status": ticket.status.value, "next_action_at": ticket.next_action_at,
            "sla_state": ticket.sla_state, "closed_at": ticket.closed_at, "paused_at": ticket.paused_at,
            "updated_at": ticket.updated_at, "first_response_due": ticket.first_response_due,
            "resolution_due": ticket.resolution_due, "version": ticket.version + 1}
ProcessBatch = Callable[[object, list[Ticket]], list[AuditEvent]]


def replica_name() -> str:
    return f"scheduler:{socket.gethostname()}:{os.getpid()}"


class SqlSlaStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.pg = engine.dialect.name == "postgresql"
        self.insert = postgresql.insert if self.pg else sqlite.insert
        self.insert_audit = insert(AuditRow)

    # -- the sweep ----------------------------------------------------------------------
    def sweep_batch(self, now: datetime, make_sink: Callable, process: ProcessBatch, limit: int = 500) -> int:
        """Claim up to `limit` due tickets, let `process` decide, write it all; returns how many."""
        t = TicketRow.__table__
        with self.engine.begin() as conn:
            stmt = (select(t).where(t.c.next_action_at <= now).order_by(t.c.next_action_at, t.c.id).limit(limit))
            if self.pg:
                stmt = stmt.with_for_update(skip_locked=True)
            rows = conn.execute(stmt).all()
            if not rows:
                return 0
            tickets = [to_ticket(row) for row in rows]
            sink = make_sink(lambda user: conn.execute(
                select(UserRow.locale).where(UserRow.user_id == user)).scalar())
            audits = process(sink, tickets)
            if self.pg:
                conn.execute(SWEPT_PG, as_rows([swept_values(tk) | {"id": tk.id} for tk in tickets]))
            else:
                conn.execute(SWEPT, [swept_values(tk) for tk in tickets])
            write_messages(conn, sink.messages, now)  # the one outbox writer
            team_of = {tk.id: tk.team for tk in tickets}  # each event carries its ticket's team (reports)
            audit_rows = [dict(ticket_id=a.ticket_id, team=a.team or team_of[a.ticket_id], actor=a.actor,
                               action=a.action, at=a.at, changes=a.changes, **audit_values(a.changes))
                          for a in audits]
            if audit_rows:
                conn.execute(*((AUDITS_PG, as_rows(audit_rows)) if self.pg else (self.insert_audit, audit_rows)))
                add_events(conn, audit_rows)  # the report rollup, in the same transaction
            return len(tickets)

    def due_count(self, now: datetime) -> int:
        with self.engine.connect().execution_options(sqlite_readonly=True) as conn:
            return conn.execute(select(func.count()).select_from(TicketRow)
                                .where(TicketRow.next_action_at <= now)).scalar_one()

    def refresh_open(self, fix: Callable[[Ticket], bool], batch: int = 1000) -> int:
        """Give every open ticket to `fix`; write back those it changed (after a teams-file change)."""
        t = TicketRow.__table__
        last, changed = 0, 0
        while True:
            with self.engine.begin() as conn:
                rows = conn.execute(select(t).where(t.c.status.in_(OPEN), t.c.id > last)
                                    .order_by(t.c.id).limit(batch)).all()
                if not rows:
                    return changed
                last = rows[-1].id
                todo = [tk for tk in map(to_ticket, rows) if fix(tk)]
                if todo:
                    conn.execute(UPDATE_TICKET, [to_values(tk) | {"version": tk.version + 1, "_id": tk.id,
                                                                  "_version": tk.version} for tk in todo])
                changed += len(todo)

    # -- stale reminders ------------------------------------------------------------------
    def drop_stale(self, now: datetime, platforms: Iterable[str], is_current: Callable[[Ticket, dict], bool]) -> int:
        """Drop queued, unsent SLA messages whose deadline no longer stands (it moved, or the ticket closed)."""
        platforms = sorted(set(platforms))
        if not platforms:
            return 0
        o = OutboxRow.__table__
        with self.engine.begin() as conn:
            stmt = (select(o.c.id, o.c.params, o.c.ticket_id)
                    .where(o.c.platform.in_(platforms), o.c.status == "pending", o.c.template.like("sla\\_%", escape="\\"),
                           or_(o.c.lease_until.is_(None), o.c.lease_until <= now), o.c.ticket_id.is_not(None)))
            if self.pg:
                stmt = stmt.with_for_update(skip_locked=True)
            pending = conn.execute(stmt).all()
            if not pending:
                return 0
            t = TicketRow.__table__
            ids = sorted({row.ticket_id for row in pending})
            tickets = {row.id: to_ticket(row) for row in conn.execute(select(t).where(t.c.id.in_(ids)))}
            stale = [row.id for row in pending
                     if row.ticket_id not in tickets or not is_current(tickets[row.ticket_id], row.params or {})]
            if stale:
                conn.execute(update(OutboxRow).where(OutboxRow.id.in_(stale))
                             .values(status="dropped", last_error="deadline changed before delivery"))
            return len(stale)

    # -- digests ----------------------------------------------------------------------------
    def digest_once(self, team: str, day: date, now: datetime, write: Callable[[object], None],
                    make_sink: Callable) -> bool:
        """Run `write(counts-builder)` once per team and local day, whichever replica gets there first."""
        name = f"digest:{team}"
        marker = datetime(day.year, day.month, day.day, tzinfo=now.tzinfo)
        with self.engine.begin() as conn:
            conn.execute(self.insert(Heartbeat).values(name=name, beat_at=marker - timedelta(days=1))
                         .on_conflict_do_nothing(index_elements=["name"]))
            stmt = select(Heartbeat.beat_at).where(Heartbeat.name == name)
            if self.pg:
                stmt = stmt.with_for_update(skip_locked=True)
            last = conn.execute(stmt).scalar()
            if last is None or last >= marker:
                return False
            sink = make_sink(lambda user: conn.execute(
                select(UserRow.locale).where(UserRow.user_id == user)).scalar())
            write(sink, lambda: self._counts(conn, team, now))
            write_messages(conn, sink.messages, now)  # the one outbox writer
            conn.execute(update(Heartbeat).where(Heartbeat.name == name).values(beat_at=marker))
            return True

    def _counts(self, conn, team: str, now: datetime, limit: int = 15):
        t = TicketRow.__table__
        mine = and_(t.c.team == team, t.c.status.in_(OPEN))
        overdue = or_(and_(t.c.resolution_due < now, t.c.paused_at.is_(None)),
                      and_(t.c.first_response_at.is_(None), t.c.first_response_due < now))
        unassigned = t.c.assignee.is_(None)

        def count(*cond) -> int:
            return conn.execute(select(func.count()).select_from(t).where(mine, *cond)).scalar_one()

        def keys(*cond) -> list[str]:
            rows = conn.execute(select(t.c.team, t.c.number).where(mine, *cond).order_by(t.c.number).limit(limit))
            return [f"{r.team}-{r.number}" for r in rows]

        return (count(), count(overdue), count(unassigned), keys(overdue), keys(unassigned))

    # -- heartbeats ---------------------------------------------------------------------------
    def beat(self, name: str, now: datetime) -> None:
        with self.engine.begin() as conn:
            stmt = self.insert(Heartbeat).values(name=name, beat_at=now)
            conn.execute(stmt.on_conflict_do_update(index_elements=["name"], set_={"beat_at": now}))
            conn.execute(Heartbeat.__table__.delete().where(Heartbeat.name.like("scheduler:%"),
                                                           Heartbeat.beat_at < now - timedelta(days=7)))

    def beats(self, prefix: str = "scheduler:") -> list[tuple[str, datetime]]:
        with self.engine.connect().execution_options(sqlite_readonly=True) as conn:
            rows = conn.execute(select(Heartbeat.name, Heartbeat.beat_at).where(Heartbeat.name.like(f"{prefix}%"))
                                .order_by(Heartbeat.beat_at.desc()))
            return [(r.name, r.beat_at) for r in rows]

