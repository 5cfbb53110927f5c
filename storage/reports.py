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
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterable
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, and_, bindparam, or_, select, text
from sqlalchemy.orm import aliased

from storage.workflows import tag_counts
from storage.models import RatingRow, TicketRow
from storage.types import UTCDateTime
from tickets.reports import (AgentFigures, Compliance, Day, Durations, Figures, Period, Report, Satisfaction,
                             Scope)

OPEN = "('new','in_progress','waiting')"
# PostgreSQL connections one report uses at once; on a 2-core server a third only slowed the others down
PARALLEL = 2


class Sql:
    """The dialect-specific fragments."""

    def __init__(self, dialect: str, origin: datetime | None = None) -> None:
        self.pg = dialect == "postgresql"
        self.origin = origin  # a local midnight, when the zone keeps one UTC offset all period

    def bucket(self, column: str) -> str:
        if self.pg and self.origin is not None:  # cheaper than AT TIME ZONE, and exact for a fixed offset
            return f"date_bin('1 day', {column}, :origin)"
        if self.pg:
            return f"CAST(({column} AT TIME ZONE :tz) AS DATE)"
        return f"(CAST(strftime('%s', {column}) AS INTEGER) / 900)"

    def to_day(self, value, tz: ZoneInfo) -> date | None:
        if value is None or isinstance(value, date) and not isinstance(value, datetime):
            return value
        if isinstance(value, datetime):
            return value.astimezone(tz).date()
        return datetime.fromtimestamp(int(value) * 900, timezone.utc).astimezone(tz).date()

    def percentiles(self, relation: str, key: str | None, where: str = "1=1") -> str:
        """count, median and 90th percentile of `v` in `relation`, per `key` (None: over all rows); SQLite
        (PostgreSQL: `ranked`)."""
        k = key or "NULL"
        part = f"PARTITION BY {key} " if key else ""

        def interp(p: float) -> str:
            pos = f"(1 + {p} * (n - 1))"
            lo = f"CAST({pos} AS INTEGER)"
            return (f"SUM(CASE WHEN rn = {lo} THEN v * (1 - ({pos} - {lo})) "
                    f"WHEN rn = {lo} + 1 THEN v * ({pos} - {lo}) ELSE 0 END)")
        return (f"SELECT k, MAX(n) AS n, {interp(0.5)} AS p50, {interp(0.9)} AS p90 FROM ("
                f"SELECT {k} AS k, v, ROW_NUMBER() OVER ({part}ORDER BY v) AS rn, COUNT(*) OVER ({part.strip()}) AS n "
                f"FROM {relation} WHERE v IS NOT NULL AND {where}) AS ranked GROUP BY k")

    @staticmethod
    def ranked(n: str, values: str) -> str:
        """PostgreSQL: n, p50, p90 of the `n` integers x FROM `values` (a FROM clause), as percentile_cont gives
        them (linear interpolation between the two ranks around q * (n - 1)), with the ranks taken by
        percentile_disc: its sort is of integers, which PostgreSQL sorts faster than the doubles
        percentile_cont would sort."""
        ranks, picks = [], []
        for i, q in enumerate((0.5, 0.9)):
            r = f"({q} * ({n} - 1))"
            ranks += [f"(FLOOR({r}) + 0.5) / NULLIF({n}, 0)", f"(CEIL({r}) + 0.5) / NULLIF({n}, 0)"]
            picks.append(f"d[{2 * i + 1}] + ({r} - FLOOR({r})) * (d[{2 * i + 2}] - d[{2 * i + 1}])")
        return (f"SELECT CAST({n} AS BIGINT) AS n, CAST({picks[0]} AS DOUBLE PRECISION) AS p50, "
                f"CAST({picks[1]} AS DOUBLE PRECISION) AS p90 FROM (SELECT percentile_disc(ARRAY[{', '.join(ranks)}]) "
                f"WITHIN GROUP (ORDER BY x) AS d FROM {values}) AS pick")

    def grouped_and_all(self, relation: str, key: str) -> str:
        """kind ('team' per `key`, 'all' over every row), k, n, p50, p90: `percentiles` both ways; on PostgreSQL
        from one pass that gathers each group's values."""
        if not self.pg:
            return (f"SELECT 'team' AS kind, * FROM ({self.percentiles(relation, key)}) AS a UNION ALL "
                    f"SELECT 'all', * FROM ({self.percentiles(relation, None)}) AS b")
        return (f"WITH grouped AS MATERIALIZED (SELECT {key} AS k, array_agg(v) AS vs, COUNT(*) AS n FROM {relation} "
                f"WHERE v IS NOT NULL GROUP BY {key}) "
                f"SELECT 'team' AS kind, k, p.* FROM grouped, LATERAL ({self.ranked('grouped.n', 'unnest(vs) AS x')}) AS p "
                f"UNION ALL SELECT 'all', NULL, p.* FROM (SELECT COALESCE(SUM(n), 0) AS n FROM grouped) AS a, "
                f"LATERAL ({self.ranked('a.n', 'grouped, unnest(grouped.vs) AS x')}) AS p")


def fixed_origin(period: Period, now: datetime) -> datetime | None:
    """The first local midnight of the period, if the zone's UTC offset is the same on every day."""
    zone = ZoneInfo(period.tz)
    days = period.days(now) or [period.since.astimezone(zone).date()]
    days.append(days[-1] + timedelta(days=1))
    offsets = {datetime.combine(day, time(0), zone).utcoffset() for day in days}
    if len(offsets) != 1:
        return None
    return datetime.combine(days[0], time(0), zone).astimezone(timezone.utc)


def hours_covered(period: Period, now: datetime) -> dict[str, datetime] | None:
    """The whole UTC hours the report may read from the rollup (report_hours), as two spans [c1, c2) inside the
    period and [c3, c4) after it (up to `now`), when every such hour lies within one local day of the zone (its
    UTC offsets are whole hours); None when they are not (the raw audit events are read instead). The events of
    the broken hours at either end ([s, c1), [c2, c3), [c4, now)) are read raw."""
    zone, s, u = ZoneInfo(period.tz), period.since, period.until
    end = max(now, u)
    hour = timedelta(hours=1)
    at = s.replace(minute=0, second=0, microsecond=0)
    while at <= end:  # a year is 8,760 hours
        if at.astimezone(zone).utcoffset() % hour:
            return None
        at += hour

    def floor(t: datetime) -> datetime:
        return t.replace(minute=0, second=0, microsecond=0)

    def ceil(t: datetime) -> datetime:
        return t if t == floor(t) else floor(t) + hour

    c1 = min(ceil(s), end)
    c2 = max(c1, floor(u))
    c3 = min(max(c2, ceil(u)), end)
    c4 = min(max(c3, floor(end)), end)
    return {"c1": c1, "c2": c2, "c3": c3, "c4": c4}


def days_covered(period: Period) -> dict[str, datetime]:
    """The whole UTC days [d1, d2) of the period the report reads from report_agent_days."""
    def floor(t: datetime) -> datetime:
        return t.replace(hour=0, minute=0, second=0, microsecond=0)

    s, u = period.since, period.until
    d1 = min(s if s == floor(s) else floor(s) + timedelta(days=1), u)
    return {"d1": d1, "d2": max(d1, floor(u))}


def statements(sql: Sql, rollup: bool = False) -> dict[str, str]:
    """The report's queries, heaviest first (the ones that read the rollup are light). Audit events carry their ticket's team and, in typed columns,
    the values read here (a resolve's seconds and outcome, the status before a close, the assignee after a
    claim): no join to tickets and no JSON; on PostgreSQL they are read from the covering events index."""
    events = "FROM audit_events e WHERE e.team IN :teams AND e.at >= :s"
    moves = (f"CASE WHEN e.action = 'close' THEN (CASE WHEN e.prior_status IN {OPEN} THEN 1 ELSE 0 END) "
             f"ELSE 1 END")
    fr_rel = ("(SELECT t.team AS g, t.first_response_seconds AS v FROM tickets t WHERE t.team IN :teams "
              "AND t.first_response_at >= :s AND t.first_response_at < :u) AS r")
    resolve = (f"SELECT e.team AS g, e.actor AS actor, e.seconds AS v, "
               f"CASE WHEN e.met THEN 1 WHEN NOT e.met THEN 0 END AS m {events} AND e.at < :u "
               f"AND (e.action = 'resolve' OR (e.action = 'close' AND e.seconds IS NOT NULL))")  # closed unresolved too
    if sql.pg:  # one pass gathers each team's and agent's values and outcomes; the percentiles sort those
        resolutions = f"""WITH ga AS MATERIALIZED (SELECT g, actor, array_agg(v) FILTER (WHERE v IS NOT NULL) AS vs,
                  COUNT(v) AS n_v, COUNT(m) AS n_m, SUM(m) AS s_m, COUNT(*) AS n FROM ({resolve}) AS ev GROUP BY g, actor)
              SELECT 'team', k.g, NULL, NULL, NULL, p.* FROM (SELECT g, SUM(n_v) AS n FROM ga GROUP BY g) AS k,
                LATERAL ({sql.ranked('k.n', 'ga, unnest(ga.vs) AS x WHERE ga.g = k.g')}) AS p
              UNION ALL SELECT 'all', NULL, NULL, NULL, NULL, p.* FROM (SELECT COALESCE(SUM(n_v), 0) AS n FROM ga) AS k,
                LATERAL ({sql.ranked('k.n', 'ga, unnest(ga.vs) AS x')}) AS p
              UNION ALL SELECT 'agent', k.actor, NULL, NULL, NULL, p.*
                FROM (SELECT actor, SUM(n_v) AS n FROM ga WHERE g IN :listed GROUP BY actor) AS k,
                LATERAL ({sql.ranked('k.n', 'ga, unnest(ga.vs) AS x WHERE ga.actor = k.actor AND ga.g IN :listed')}) AS p
              UNION ALL SELECT 'met', g, actor, NULL, NULL, n_m, s_m, n FROM ga"""
    else:
        resolutions = f"""WITH ev AS MATERIALIZED ({resolve})
              SELECT kind, k, NULL, NULL, NULL, n, p50, p90 FROM ({sql.grouped_and_all('ev', 'g')}) AS a
              UNION ALL SELECT 'agent', k, NULL, NULL, NULL, n, p50, p90
                FROM ({sql.percentiles('ev', 'actor', 'g IN :listed')}) AS d
              UNION ALL SELECT 'met', g, actor, NULL, NULL, COUNT(m), SUM(m), COUNT(*) FROM ev GROUP BY g, actor"""
    flows = f"""SELECT 'flow', e.team, e.action, {moves} AS moves,
                  CASE WHEN e.at < :u THEN {sql.bucket('e.at')} END AS b, COUNT(*), NULL, NULL
                {events} AND e.at < :now AND e.action IN ('resolve', 'close', 'reopen', 'cancel')
                GROUP BY e.team, e.action, moves, b"""
    if rollup:  # whole hours from report_hours, the broken hours at the ends from the events
        raw = " UNION ALL ".join(
            f"""SELECT e.team, e.action, {moves} AS moves, CASE WHEN e.at < :u THEN {sql.bucket('e.at')} END AS b,
                  1 AS n FROM audit_events e WHERE e.team IN :teams AND e.at >= :{lo} AND e.at < :{hi}
                  AND e.action IN ('resolve', 'close', 'reopen', 'cancel')"""
            for lo, hi in (("s", "c1"), ("c2", "c3"), ("c4", "now")))
        kinds = ("SELECT 'resolve' AS action, 1 AS moves, 0 AS k UNION ALL SELECT 'close', 1, 1 UNION ALL "
                 "SELECT 'close', 0, 2 UNION ALL SELECT 'reopen', 1, 3 UNION ALL SELECT 'cancel', 1, 4")
        flows = f"""WITH h AS (SELECT team, CASE WHEN hour < :u THEN {sql.bucket('hour')} END AS b,
                  SUM(resolved) AS r, SUM(closed_open) AS co, SUM(closed - closed_open) AS cc, SUM(reopened) AS ro,
                  SUM(cancelled) AS ca FROM report_hours WHERE team IN :teams
                  AND ((hour >= :c1 AND hour < :c2) OR (hour >= :c3 AND hour < :c4)) GROUP BY team, b)
              SELECT 'flow', team, action, moves, b, CAST(SUM(n) AS BIGINT), NULL, NULL FROM (
                SELECT h.team, a.action, a.moves, h.b,
                  CASE a.k WHEN 0 THEN h.r WHEN 1 THEN h.co WHEN 2 THEN h.cc WHEN 3 THEN h.ro ELSE h.ca END AS n
                FROM h CROSS JOIN ({kinds}) AS a
                UNION ALL {raw}) AS f GROUP BY team, action, moves, b"""
    tickets = f"""SELECT t.team, CASE WHEN t.created_at < :u THEN {sql.bucket('t.created_at')} END AS b,
                  SUM(CASE WHEN t.created_at >= :s AND t.created_at < :u THEN 1 ELSE 0 END),
                  SUM(CASE WHEN t.created_at >= :s THEN 1 ELSE 0 END),
                  SUM(CASE WHEN fr THEN (CASE WHEN t.first_response_met THEN 1 ELSE 0 END) ELSE 0 END),
                  SUM(CASE WHEN fr THEN 1 ELSE 0 END)
                FROM (SELECT t.*, (t.first_response_met IS NOT NULL
                        AND COALESCE(t.first_response_at, t.first_response_due) >= :s
                        AND COALESCE(t.first_response_at, t.first_response_due) < :u) AS fr
                      FROM tickets t WHERE t.team IN :teams AND (t.created_at >= :s
                        OR t.first_response_at >= :s OR t.first_response_due >= :s)) AS t
                GROUP BY t.team, b"""
    created = None
    if rollup:  # created: whole hours from report_hours, the broken hours at the ends from the tickets
        raw = " UNION ALL ".join(
            f"""SELECT t.team, CASE WHEN t.created_at < :u THEN {sql.bucket('t.created_at')} END AS b,
                  CASE WHEN t.created_at < :u THEN 1 ELSE 0 END AS c, 1 AS n FROM tickets t
                  WHERE t.team IN :teams AND t.created_at >= :{lo}{f' AND t.created_at < :{hi}' if hi else ''}"""
            for lo, hi in (("s", "c1"), ("c2", "c3"), ("c4", None)))
        created = f"""SELECT team, b, CAST(SUM(c) AS BIGINT), CAST(SUM(n) AS BIGINT), 0, 0 FROM (
                SELECT team, CASE WHEN hour < :u THEN {sql.bucket('hour')} END AS b,
                  CASE WHEN hour < :u THEN created ELSE 0 END AS c, created AS n FROM report_hours
                  WHERE team IN :teams AND ((hour >= :c1 AND hour < :c2) OR (hour >= :c3 AND hour < :c4))
                UNION ALL {raw}) AS a GROUP BY team, b"""
        tickets = """SELECT team, NULL, 0, 0, SUM(m), COUNT(*) FROM (
                SELECT t.team, CASE WHEN t.first_response_met THEN 1 ELSE 0 END AS m FROM tickets t
                  WHERE t.team IN :teams AND t.first_response_met IS NOT NULL
                  AND t.first_response_at >= :s AND t.first_response_at < :u
                UNION ALL SELECT t.team, CASE WHEN t.first_response_met THEN 1 ELSE 0 END FROM tickets t
                  WHERE t.team IN :teams AND t.first_response_met IS NOT NULL AND t.first_response_at IS NULL
                  AND t.first_response_due >= :s AND t.first_response_due < :u) AS c GROUP BY team"""
    queries = {
        # each resolution in the period: its recorded business seconds and SLA outcome, per team and agent
        "resolutions": resolutions,
        "first_response": sql.grouped_and_all(fr_rel, "g"),
        # created (per local day), created since the start, first-response compliance (with the rollup:
        # first-response compliance only, and `created` the rest)
        "tickets": tickets,
        "ratings": """SELECT t.team, t.assignee, COUNT(*), SUM(r.score) FROM ratings r JOIN tickets t ON t.id = r.ticket_id
                WHERE r.at >= :s AND r.at < :u AND t.team IN :teams GROUP BY t.team, t.assignee""",
        # claims and assignments in the period: who was given tickets (listed teams only); whole UTC days
        # [d1, d2) from report_agent_days, the broken days at the ends from the events
        "assigned": """SELECT subject, CAST(SUM(n) AS BIGINT) FROM (
                SELECT subject, assigned AS n FROM report_agent_days WHERE team IN :teams AND team IN :listed
                  AND day >= :d1 AND day < :d2
                UNION ALL SELECT e.subject, 1 FROM audit_events e WHERE e.team IN :teams AND e.team IN :listed
                  AND e.action IN ('claim', 'assign') AND e.subject IS NOT NULL AND e.at >= :s AND e.at < :d1
                UNION ALL SELECT e.subject, 1 FROM audit_events e WHERE e.team IN :teams AND e.team IN :listed
                  AND e.action IN ('claim', 'assign') AND e.subject IS NOT NULL AND e.at >= :d2 AND e.at < :u
                ) AS a GROUP BY subject""",
        # the backlog now, by status and priority
        "open": f"""SELECT team, status, priority, COUNT(*) FROM tickets
                WHERE team IN :teams AND status IN {OPEN} GROUP BY team, status, priority""",
        # resolutions, closes, reopens and cancels from the start until now: the backlog's moves
        "flows": flows,
    }
    if created:
        queries["created"] = created
    return queries


def _params(scope: Scope, period: Period, now: datetime) -> dict:
    return {"teams": list(scope.teams), "listed": list(scope.listed) or ["-"], "s": period.since,
            "u": period.until, "now": max(now, period.until), "tz": period.tz}


def _bind(sql: str, names: Iterable[str] = ("s", "u", "now", "origin", "c1", "c2", "c3", "c4", "d1", "d2")):
    stmt = text(sql)
    binds = [bindparam(n, type_=UTCDateTime()) for n in names if f":{n}" in sql]
    binds += [bindparam(n, expanding=True) for n in ("teams", "listed") if f":{n}" in sql]
    return stmt.bindparams(*binds)


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
