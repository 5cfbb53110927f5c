"""Data for bench/report.py, made in SQL, and the plain-Python baseline it is compared with.

Every value derives from the row number g through multiplicative hashes, so the
same size always gives the same data on PostgreSQL and SQLite. Tickets are created
evenly over [now - 365d, now - 2d); everything that happens to a ticket happens
within two days, so no event lies in the future.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, select, text

from storage.rollup import backfill

DAY = 86400
OPEN = ("new", "in_progress", "waiting")


def _h(mult: int) -> str:
    """A number 0..999 from g, well mixed (the high bits of a 32-bit multiplicative hash)."""
    return f"(((CAST(g AS BIGINT) * {mult}) % 4294967296) * 1000 / 4294967296)"


def _base(n: int, teams: list[str], now_epoch: int, pg: bool) -> str:
    series = (f"generate_series(1, {n}) AS s(g)" if pg else
              f"(WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < {n}) SELECT g FROM s) AS s")
    team = "CASE g % {t} {whens} END".format(t=len(teams), whens=" ".join(
        f"WHEN {i} THEN '{k}'" for i, k in enumerate(teams)))
    start, spread = now_epoch - 365 * DAY, 363 * DAY
    level0 = (f"SELECT g, {team} AS team, (g - 1) / {len(teams)} + 1 AS number, g % {len(teams)} AS ti, "
              f"{start} + (CAST(g AS BIGINT) - 1) * {spread} / {n} AS created, {_h(2654435761)} AS r1, "
              f"{_h(2246822519)} AS r2, {_h(3266489917)} AS r3, {_h(668265263)} AS r4 FROM {series}")
    level1 = ("SELECT b.*, CASE WHEN r1 < 20 THEN 'cancelled' WHEN r1 < 200 THEN 'resolved' WHEN r1 < 970 THEN "
              "'closed' WHEN r1 < 980 THEN 'waiting' WHEN r1 < 990 THEN 'new' ELSE 'in_progress' END AS st, "
              "60 + (r2 * r2 / 1000) * 9 AS frs, 600 + (r3 * r3 / 1000) * 60 AS rs, "
              "'console:u' || CAST(g % 5000 AS TEXT) AS requester, "
              f"CASE WHEN r4 < 30 THEN 1 ELSE 0 END AS reopened FROM ({level0}) AS b")
    return ("SELECT c.*, CASE WHEN st IN ('cancelled', 'new') THEN NULL ELSE created + frs END AS fr_at, "
            "CASE WHEN st IN ('resolved', 'closed') THEN created + frs + rs END AS res_at, "
            "CASE WHEN st IN ('resolved', 'closed') AND reopened = 1 THEN created + frs + rs / 3 END AS res1_at, "
            "CASE WHEN st = 'closed' THEN created + frs + rs + 86400 WHEN st = 'cancelled' THEN created + 600 END "
            "AS closed_at, CASE WHEN st IN ('cancelled', 'new') THEN NULL "
            "ELSE 'console:ag' || CAST(ti AS TEXT) || '_' || CAST(g % 7 AS TEXT) END AS assignee "
            f"FROM ({level1}) AS c")


def fill(engine: Engine, n: int, teams: list[str], now: datetime) -> dict[str, int]:
    pg = engine.dialect.name == "postgresql"
    base = _base(n, teams, int(now.timestamp()), pg)

    def ts(expr: str) -> str:
        if pg:
            return f"to_timestamp({expr})"
        return f"(strftime('%Y-%m-%d %H:%M:%f', {expr}, 'unixepoch') || '000')"

    def obj(*pairs: str) -> str:
        return f"{'jsonb_build_object' if pg else 'json_object'}({', '.join(pairs)})"

    def arr(a: str, b: str) -> str:
        return f"{'jsonb_build_array' if pg else 'json_array'}({a}, {b})"

    def flag(expr: str) -> str:
        return f"({expr})" if pg else f"(CASE WHEN {expr} THEN json('true') ELSE json('false') END)"

    null = "CAST(NULL AS TEXT)"
    empty_obj, empty_arr = ("CAST('{}' AS JSONB)", "CAST('[]' AS JSONB)") if pg else ("'{}'", "'[]'")
    tickets = f"""INSERT INTO tickets (id, team, number, title, description, status, priority, requester, reporter,
        assignee, source, first_response_due, resolution_due, first_response_at, resolved_at, closed_at,
        first_response_seconds, resolution_seconds, first_response_met, resolution_met, sla_state, watchers,
        created_at, updated_at, version)
      SELECT g, team, number, 'Ticket ' || CAST(g AS TEXT), '', st,
        CASE g % 10 WHEN 0 THEN 'urgent' WHEN 1 THEN 'high' WHEN 2 THEN 'high' WHEN 9 THEN 'low' ELSE 'normal' END,
        requester, requester, assignee, 'console',
        {ts('created + 3600')}, {ts('created + 28800')}, {ts('fr_at')}, {ts('res_at')}, {ts('closed_at')},
        CASE WHEN fr_at IS NOT NULL THEN frs END, CASE WHEN res_at IS NOT NULL THEN rs END,
        CASE WHEN st = 'cancelled' THEN NULL WHEN st = 'new' THEN {'false' if pg else '0'} ELSE frs <= 3600 END,
        CASE WHEN res_at IS NOT NULL THEN rs <= 28800 END,
        {empty_obj}, {empty_arr}, {ts('created')}, {ts('COALESCE(closed_at, res_at, fr_at, created)')}, 0
      FROM ({base}) AS t"""
    status = "'status'"
    true = "TRUE" if pg else "1"
    # (action, actor, at, changes, where, the typed columns: seconds, met, prior_status, subject)
    events = [
        ("open", "requester", "created", obj(status, arr(null, "'new'")), "1=1", ("NULL", "NULL", "NULL", "NULL")),
        ("claim", "assignee", "fr_at", obj(status, arr("'new'", "'in_progress'"), "'assignee'", arr(null, "assignee")),
         "fr_at IS NOT NULL", ("NULL", "NULL", "'new'", "assignee")),
        ("resolve", "assignee", "res1_at", obj(status, arr("'in_progress'", "'resolved'"), "'resolution_seconds'",
                                               arr(null, "rs / 3"), "'resolution_met'", arr(null, flag("1 = 1"))),
         "res1_at IS NOT NULL", ("rs / 3", true, "'in_progress'", "NULL")),
        ("reopen", "requester", "res1_at + 600", obj(status, arr("'resolved'", "'in_progress'")),
         "res1_at IS NOT NULL", ("NULL", "NULL", "'resolved'", "NULL")),
        ("resolve", "assignee", "res_at", obj(status, arr("'in_progress'", "'resolved'"), "'resolution_seconds'",
                                              arr(null, "rs"), "'resolution_met'", arr(null, flag("rs <= 28800"))),
         "res_at IS NOT NULL", ("rs", "rs <= 28800", "'in_progress'", "NULL")),
        ("close", "assignee", "closed_at", obj(status, arr("'resolved'", "'closed'")), "st = 'closed'",
         ("NULL", "NULL", "'resolved'", "NULL")),
        ("cancel", "requester", "closed_at", obj(status, arr("'new'", "'cancelled'")), "st = 'cancelled'",
         ("NULL", "NULL", "'new'", "NULL")),
    ]
    ratings = f"""INSERT INTO ratings (ticket_id, resolution, score, comment, "by", at)
      SELECT g, 1 + reopened, 1 + (r4 / 10) % 5, '', requester, {ts('res_at + 3600')}
      FROM ({base}) AS t WHERE res_at IS NOT NULL AND r4 % 10 < 3"""
    with engine.begin() as conn:
        conn.execute(text(tickets))
        for action, actor, at, changes, where, typed in events:
            conn.execute(text(f"INSERT INTO audit_events (ticket_id, team, actor, action, at, changes, seconds, met, "
                              f"prior_status, subject) SELECT g, team, {actor}, '{action}', {ts(at)}, {changes}, "
                              f"{', '.join(typed)} FROM ({base}) AS t WHERE {where}"))
        conn.execute(text(ratings))
        for table in ("report_hours", "report_agent_days"):  # the report rollup, as migration 0005 builds it
            conn.execute(text(f"DELETE FROM {table}"))
        for statement in backfill(engine.dialect.name):
            conn.execute(text(statement))
    # VACUUM as autovacuum would on a live database: it marks the pages all-visible, so the report's
    # scans of the covering audit index need not visit the table
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE" if pg else "ANALYZE"))
        return {name: conn.execute(text(f"SELECT COUNT(*) FROM {name}")).scalar()
                for name in ("tickets", "audit_events", "ratings")}


def _pct(values: list[float], p: float) -> float | None:
    if not values:
        return None
    pos = p * (len(values) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(values) - 1)
    return values[lo] + (pos - lo) * (values[hi] - values[lo])


def python_figures(engine: Engine, since: datetime, until: datetime, now: datetime,
                   unlisted: frozenset[str] = frozenset()) -> dict:
    """The overall figures the SQL report gives, by reading every row into Python and looping."""
    from storage.models import AuditRow, RatingRow, TicketRow

    created = created_since = backlog_now = 0
    fr_values, fr_met, fr_total = [], 0, 0
    hidden: set[int] = set()  # tickets of confidential teams: counted, but no agent is listed for them
    with engine.connect().execution_options(stream_results=True, yield_per=20000) as conn:
        for ticket_id, team, status, c_at, fr_at, fr_due, fr_s, met in conn.execute(select(
                TicketRow.id, TicketRow.team, TicketRow.status, TicketRow.created_at, TicketRow.first_response_at, TicketRow.first_response_due,
                TicketRow.first_response_seconds, TicketRow.first_response_met)):
            if team in unlisted:
                hidden.add(ticket_id)
            created += since <= c_at < until
            created_since += c_at >= since
            backlog_now += status in OPEN
            if fr_at is not None and since <= fr_at < until and fr_s is not None:
                fr_values.append(fr_s)
            moment = fr_at or fr_due
            if met is not None and moment is not None and since <= moment < until:
                fr_total += 1
                fr_met += bool(met)
        counts = {"resolve": 0, "close": 0, "reopen": 0, "cancel": 0}
        moved, res_values, res_met, res_total, agents_resolved = 0, [], 0, 0, 0
        for ticket_id, action, at, changes in conn.execute(select(AuditRow.ticket_id, AuditRow.action, AuditRow.at,
                                                                  AuditRow.changes)):
            if action not in counts or not since <= at < max(now, until):
                continue
            before = (changes.get("status") or [None])[0]
            if action == "reopen":
                moved += 1
            elif action != "close" or before in OPEN:
                moved -= 1
            if at >= until:
                continue
            counts[action] += 1
            if action == "resolve":
                agents_resolved += ticket_id not in hidden
                seconds = (changes.get("resolution_seconds") or [None, None])[-1]
                met = (changes.get("resolution_met") or [None, None])[-1]
                if seconds is not None:
                    res_values.append(seconds)
                if met is not None:
                    res_total += 1
                    res_met += bool(met)
        ratings = total = 0
        for score, at in conn.execute(select(RatingRow.score, RatingRow.at)):
            if since <= at < until:
                ratings += 1
                total += score
    fr_values.sort()
    res_values.sort()
    return {"created": created, "resolved": counts["resolve"], "closed": counts["close"],
            "reopened": counts["reopen"], "cancelled": counts["cancel"],
            "backlog_start": backlog_now - created_since - moved, "backlog_now": backlog_now,
            "first_response": (len(fr_values), _pct(fr_values, 0.5), _pct(fr_values, 0.9)),
            "resolution": (len(res_values), _pct(res_values, 0.5), _pct(res_values, 0.9)),
            "first_response_sla": (fr_met, fr_total), "resolution_sla": (res_met, res_total),
            "ratings": (ratings, total), "agents_resolved": agents_resolved}
