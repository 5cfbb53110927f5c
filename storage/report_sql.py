"""The SQL of the reports: per-dialect pieces (Sql), the periods' covered hours and days, and the
statements SqlReportSource runs (storage/reports.py says how the figures are computed)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Iterable
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, text

from storage.types import UTCDateTime
from tickets.reports import Period, Scope

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
