"""The report rollup: per team and UTC hour (report_hours), the tickets opened and the audit events that move
the backlog; per team, UTC day and assignee (report_agent_days), the claims and assignments.

Written with the audit events, in their transaction, by their two writers (the unit of work and the SLA
sweep): one upsert that adds this batch's counts. Rows are written in key order, so concurrent writers
lock them in the same order. storage/reports.py reads it for whole hours; migration 0005_report_rollup
builds it from the audit log (`backfill`, also used by the benchmark's fill).
"""
from __future__ import annotations

from datetime import timezone
from typing import Iterable

from sqlalchemy import Connection
from sqlalchemy.dialects import postgresql, sqlite

from storage.models import ReportAgentDayRow, ReportHourRow

OPEN_STATUSES = ("new", "in_progress", "waiting", "awaiting_approval")
COUNTS = ("created", "resolved", "closed", "closed_open", "reopened", "cancelled")
COLUMN = {"open": "created", "resolve": "resolved", "close": "closed", "reopen": "reopened", "cancel": "cancelled",
          "reject": "closed", "merge": "closed"}  # a rejected approval and a merged duplicate close the ticket


def hourly(events: Iterable[dict]) -> list[dict]:
    """report_hours increments for audit event rows (dicts with team, action, at, prior_status)."""
    rows: dict[tuple, dict] = {}
    for e in events:
        column = COLUMN.get(e["action"])
        if column is None or e.get("team") is None:
            continue
        hour = e["at"].astimezone(timezone.utc).replace(minute=0, second=0, microsecond=0)
        row = rows.get((e["team"], hour))
        if row is None:
            row = rows[(e["team"], hour)] = dict(team=e["team"], hour=hour, **{c: 0 for c in COUNTS})
        row[column] += 1
        if column == "closed" and e.get("prior_status") in OPEN_STATUSES:
            row["closed_open"] += 1
    return [rows[k] for k in sorted(rows)]


def daily_assigned(events: Iterable[dict]) -> list[dict]:
    """report_agent_days increments for audit event rows (claims and assignments with a subject)."""
    rows: dict[tuple, dict] = {}
    for e in events:
        if e["action"] not in ("claim", "assign") or e.get("subject") is None or e.get("team") is None:
            continue
        day = e["at"].astimezone(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
        row = rows.setdefault((e["team"], day, e["subject"]),
                              dict(team=e["team"], day=day, subject=e["subject"], assigned=0))
        row["assigned"] += 1
    return [rows[k] for k in sorted(rows)]


_STATEMENTS: dict[str, tuple] = {}


def _statements(dialect: str) -> tuple:
    """The two upserts, built once per dialect (building them is most of their cost)."""
    if dialect not in _STATEMENTS:
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        hours = insert(ReportHourRow)
        hours = hours.on_conflict_do_update(index_elements=["team", "hour"],
                                            set_={c: getattr(ReportHourRow, c) + getattr(hours.excluded, c)
                                                  for c in COUNTS})
        agents = insert(ReportAgentDayRow)
        agents = agents.on_conflict_do_update(index_elements=["team", "day", "subject"],
                                              set_={"assigned": ReportAgentDayRow.assigned + agents.excluded.assigned})
        _STATEMENTS[dialect] = (hours, agents)
    return _STATEMENTS[dialect]


def add_events(conn: Connection, events: list[dict]) -> None:
    hours, agents = _statements(conn.dialect.name)
    rows = hourly(events)
    if rows:
        conn.execute(hours, rows)
    rows = daily_assigned(events)
    if rows:
        conn.execute(agents, rows)


def backfill(dialect: str) -> list[str]:
    """SQL that fills report_hours and report_agent_days from audit_events (into empty tables)."""
    if dialect == "postgresql":
        hour, day = "date_trunc('hour', at)", "date_trunc('day', at)"
    else:  # the text SQLAlchemy's DateTime stores on SQLite
        hour, day = "strftime('%Y-%m-%d %H:00:00.000000', at)", "strftime('%Y-%m-%d 00:00:00.000000', at)"
    assigned = (f"INSERT INTO report_agent_days (team, day, subject, assigned) SELECT team, {day}, subject, COUNT(*) "
                f"FROM audit_events WHERE action IN ('claim', 'assign') AND subject IS NOT NULL AND team IS NOT NULL "
                f"GROUP BY team, {day}, subject")
    return [assigned, f"INSERT INTO report_hours (team, hour, created, resolved, closed, closed_open, reopened, cancelled) "
            f"SELECT team, {hour}, SUM(CASE WHEN action = 'open' THEN 1 ELSE 0 END), "
            f"SUM(CASE WHEN action = 'resolve' THEN 1 ELSE 0 END), "
            f"SUM(CASE WHEN action = 'close' THEN 1 ELSE 0 END), "
            f"SUM(CASE WHEN action = 'close' AND prior_status IN ('new', 'in_progress', 'waiting') THEN 1 ELSE 0 END), "
            f"SUM(CASE WHEN action = 'reopen' THEN 1 ELSE 0 END), SUM(CASE WHEN action = 'cancel' THEN 1 ELSE 0 END) "
            f"FROM audit_events WHERE action IN ('open', 'resolve', 'close', 'reopen', 'cancel') AND team IS NOT NULL "
            f"GROUP BY team, {hour}"]
