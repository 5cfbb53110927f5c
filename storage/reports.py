"""Report figures computed in SQL: a handful of GROUP BY queries, never every ticket in Python.

Percentiles: percentile_cont's linear interpolation. On PostgreSQL per group over the group's
values gathered with array_agg (so millions of rows are hashed, not sorted by group), the two
ranks around it picked by percentile_disc, which sorts the integers as integers (Sql.ranked);
on SQLite with ROW_NUMBER() over the sorted values. Days are the team's local days:
PostgreSQL bins by day from a local midnight when the zone keeps one offset all period
(date_bin), else converts with AT TIME ZONE; SQLite groups by 15-minute UTC buckets
(every zone's offset is a multiple of 15 minutes) that Python maps to local dates.
On PostgreSQL the queries run side by side on a few connections sharing one snapshot.
Audit events carry their ticket's team (audit_events.team), so they are filtered and
grouped by team without joining tickets, and typed copies of the values the reports read
from their `changes` (audit_events.seconds, met, prior_status, subject; storage.models.audit_values).

Durations are the business seconds the SLA policy recorded (tickets columns, and
each resolve's audit event for resolutions, so a reopened ticket's second resolution
counts on its own); nothing is recomputed here. Resolve events written before those
figures were recorded got their ticket's (when it was the ticket's last resolution)
in migration 0004_audit_values.
"""
from __future__ import annotations

import json

from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from typing import Iterable
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, and_, or_, select
from sqlalchemy.orm import aliased

from storage.workflows import tag_counts
from storage.models import RatingRow, TicketRow
from storage.report_sql import PARALLEL, Sql, _bind, _params, days_covered, fixed_origin, hours_covered, statements
from tickets.reports import AgentFigures, Compliance, Day, Durations, Figures, Period, Report, Scope


class SqlReportSource:
    def __init__(self, engine: Engine, cipher=None) -> None:
        self.engine = engine
        self.cipher = cipher  # opens confidential teams' sealed titles in exports (storage/crypto.py)

    # -- the report ---------------------------------------------------------------
    def report(self, scope: Scope, period: Period, now: datetime) -> Report:
        origin = fixed_origin(period, now) if self.engine.dialect.name == "postgresql" else None
        sql, tz = Sql(self.engine.dialect.name, origin), ZoneInfo(period.tz)
        covered = hours_covered(period, now)
        params = dict(_params(scope, period, now), origin=origin, **(covered or {}), **days_covered(period))
        results = self._fetch(statements(sql, rollup=covered is not None), params, parallel=sql.pg)
        figures = {team: Figures(team) for team in scope.teams}
        created_since: dict[str, int] = defaultdict(int)
        moved_since: dict[str, int] = defaultdict(int)  # left the backlog (-) or came back (+) since `s`
        daily: dict[date, Day] = {d: Day(d) for d in period.days(now)}
        agents: dict[str, AgentFigures] = {}
        overall = Figures(None)

        def agent(user: str) -> AgentFigures:
            return agents.setdefault(user, AgentFigures(user))

        for team, bucket, created, since, met, total in (*results["tickets"], *results.get("created", ())):
            f = figures[team]
            f.created += created or 0
            created_since[team] += since or 0
            f.first_response_sla.met += met or 0
            f.first_response_sla.total += total or 0
            day = daily.get(sql.to_day(bucket, tz))
            if day is not None:
                day.created += created or 0
        for team, status, priority, count in results["open"]:
            f = figures[team]
            f.backlog_now += count
            f.open_by_status[status] = f.open_by_status.get(status, 0) + count
            f.open_by_priority[priority] = f.open_by_priority.get(priority, 0) + count
        for kind, k, n, p50, p90 in results["first_response"]:
            (overall if kind == "all" else figures[k]).first_response = Durations(n or 0, _f(p50), _f(p90))
        names = {"resolve": "resolved", "close": "closed", "reopen": "reopened", "cancel": "cancelled"}
        for kind, key, action, moves, bucket, count, p50, p90 in (*results["flows"], *results["resolutions"]):
            if kind == "flow":
                f, sign = figures[key], (1 if action == "reopen" else -1)
                if moves:
                    moved_since[key] += sign * count
                if bucket is None:
                    continue  # after the period: only moves the backlog
                setattr(f, names[action], getattr(f, names[action]) + count)
                day = daily.get(sql.to_day(bucket, tz))
                if day is not None:
                    day.resolved += count if action == "resolve" else 0
                    day.backlog += sign * count if moves else 0
            elif kind in ("team", "all"):
                (overall if kind == "all" else figures[key]).resolution = Durations(count or 0, _f(p50), _f(p90))
            elif kind == "met":  # per team and agent (`action`): SLA outcomes recorded, met, resolutions
                sla = figures[key].resolution_sla
                figures[key].resolution_sla = Compliance(sla.met + int(p50 or 0), sla.total + (count or 0))
                if key in scope.listed:
                    agent(action).resolved += int(p90)
            elif kind == "agent":
                agent(key).median_resolution = _f(p50)
        for who, count in results["assigned"]:
            agent(who).assigned += count
        for team, assignee, count, total in results["ratings"]:
            figures[team].satisfaction.count += count
            figures[team].satisfaction.total += total or 0
            if assignee and team in scope.listed:
                agent(assignee).ratings += count
                agent(assignee).rating_total += total or 0
        report = self._assemble(scope, period, now, figures, overall, created_since, moved_since, daily, agents)
        with self.engine.connect().execution_options(sqlite_readonly=True) as conn:
            report.tags = tag_counts(conn, scope.listed, period.since, period.until)  # issue 15
        return report

    def _fetch(self, queries: dict[str, str], params: dict, *, parallel: bool) -> dict[str, list]:
        """Run the queries: one after another on SQLite; on PostgreSQL side by side on a few connections
        that share one snapshot (pg_export_snapshot), so the figures stay consistent with each other."""
        def prepare(conn, snapshot: str | None = None) -> None:
            if snapshot:
                conn.exec_driver_sql(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
            conn.exec_driver_sql("SET LOCAL jit = off")  # these statements are planned and run once
            conn.exec_driver_sql("SET LOCAL work_mem = '64MB'")  # the percentiles' sorts stay in memory
            # the planner guesses millions of groups for computed keys (local days, JSON fields) where there are
            # thousands: with room to hash them it groups millions of audit rows without sorting them
            conn.exec_driver_sql("SET LOCAL hash_mem_multiplier = 4")

        if not parallel:
            with self.engine.connect().execution_options(sqlite_readonly=True) as conn:
                return {name: conn.execute(_bind(q), params).all() for name, q in queries.items()}
        with self.engine.connect().execution_options(isolation_level="REPEATABLE READ") as lead:
            snapshot = lead.exec_driver_sql("SELECT pg_export_snapshot()").scalar()
            prepare(lead)

            def run(item: tuple[str, str]) -> tuple[str, list]:
                name, query = item
                with self.engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
                    prepare(conn, snapshot)
                    return name, conn.execute(_bind(query), params).all()

            with ThreadPoolExecutor(max_workers=PARALLEL, thread_name_prefix="report") as pool:
                return dict(pool.map(run, queries.items()))

    @staticmethod
    def _assemble(scope, period, now, figures, overall, created_since, moved_since, daily, agents) -> Report:
        for team, f in figures.items():
            f.satisfaction.resolutions = f.resolved
            f.backlog_start = f.backlog_now - created_since[team] - moved_since[team]
            for name in ("created", "resolved", "closed", "reopened", "cancelled", "backlog_start", "backlog_now"):
                setattr(overall, name, getattr(overall, name) + getattr(f, name))
            for mine, total in ((f.open_by_status, overall.open_by_status),
                                (f.open_by_priority, overall.open_by_priority)):
                for key, value in mine.items():
                    total[key] = total.get(key, 0) + value
            for name in ("first_response_sla", "resolution_sla"):
                getattr(overall, name).met += getattr(f, name).met
                getattr(overall, name).total += getattr(f, name).total
            overall.satisfaction.count += f.satisfaction.count
            overall.satisfaction.total += f.satisfaction.total
        overall.satisfaction.resolutions = overall.resolved
        backlog = overall.backlog_start
        days = []
        for day in sorted(daily):
            point = daily[day]
            backlog += point.created + point.backlog
            days.append(Day(day, point.created, point.resolved, backlog))
        listed = [figures[t] for t in scope.listed]
        ranked = sorted(agents.values(), key=lambda a: (-a.resolved, -a.assigned, a.user))
        return Report(period, scope, now, overall, listed, ranked, days)

    # -- the export -------------------------------------------------------------------
    def export(self, scope: Scope, period: Period) -> Iterable[tuple]:
        t = aliased(TicketRow)
        rating = (select(RatingRow.score).where(RatingRow.ticket_id == t.id)
                  .order_by(RatingRow.resolution.desc()).limit(1).scalar_subquery())

        def within(column):
            return and_(column >= period.since, column < period.until)

        stmt = (select(t.team, t.number, t.title, t.status, t.priority, t.requester, t.assignee, t.created_at,
                       t.first_response_at, t.resolved_at, t.closed_at, t.first_response_seconds,
                       t.resolution_seconds, t.first_response_met, t.resolution_met, rating, t.category,
                       t.tags, t.fields)
                .where(t.team.in_(list(scope.listed) or ["-"]),
                       or_(within(t.created_at), within(t.resolved_at), within(t.closed_at)))
                .order_by(t.created_at, t.id))
        with self.engine.connect().execution_options(sqlite_readonly=True) as conn:
            for row in conn.execute(stmt):
                team, number, title, *rest, tags, fields = row
                title = self.cipher.open(title) if self.cipher is not None else title
                yield (f"{team}-{number}", team, title, *rest, ";".join(tags or ()),
                       json.dumps(fields or {}, sort_keys=True))


def _f(value) -> float | None:
    return None if value is None else float(value)
