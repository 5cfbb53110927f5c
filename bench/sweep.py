"""One SLA sweep over 1,000 due tickets in a small and a large table, and reminder lateness.

    python -m bench.sweep [--small 10000] [--large 1000000] [--sqlite-large 200000]
                          [--pg URL] [--interval 15] [--smoke]

Each table holds N tickets, 10% of them open; 1,000 of the open ones are due now
(their first response has just become overdue: one breach each, a thread message, a
DM and an audit event). The table is filled by one INSERT … SELECT in SQL
(generate_series on PostgreSQL, a recursive CTE on SQLite). A sweep is timed
several times after a warm-up, alternating between the tables (the due tickets
are put back between runs); the median and the best are printed with the ratio of the large table to the small one: the sweep's cost
should follow the due tickets, not the table.

Lateness: tickets whose warnings fall due over a window are left to the real
APScheduler runtime (scheduler/runtime.py) on the system clock; lateness is the
time a reminder was posted minus the time it was due.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import delete, insert, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.create import fresh_pg  # noqa: E402
from config.settings import SchedulerSettings, Settings  # noqa: E402
from config.teams import parse_teams  # noqa: E402
from config.wiring import build  # noqa: E402
from scheduler.jobs import SlaEngine  # noqa: E402
from storage.db import make_engine  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import TicketRow  # noqa: E402
from storage.repository import to_values  # noqa: E402
from tickets.deadlines import DeadlinePolicy  # noqa: E402
from tickets.model import Ticket  # noqa: E402

UTC = timezone.utc
TEAMS = {"teams": [{"key": "IT", "name": "IT", "agents": ["console:andi"], "supervisors": ["console:sari"],
                    "escalation": ["console:sari", "console:boss"],
                    "sla": {"normal": {"first_response": "10m", "resolution": "8h"}},
                    "calendar": {"timezone": "Asia/Jakarta", "hours": "24/7"}}]}
NO_DIGEST = SchedulerSettings(digest_time="")

FILL_PG = """
INSERT INTO tickets (team, number, title, description, status, priority, requester, reporter, source,
                     created_at, updated_at, next_action_at, sla_state, watchers, version)
SELECT 'IT', g, 'ticket ' || g, '', CASE WHEN g % 10 = 0 THEN 'in_progress' ELSE 'closed' END, 'normal',
       'console:bench', 'console:bench', 'console', :created, :created,
       CASE WHEN g % 10 = 0 THEN :later + (g % 86400) * interval '1 second' END, '{}'::jsonb, '[]'::jsonb, 0
FROM generate_series(1, :n) AS g
"""
FILL_SQLITE = """
INSERT INTO tickets (team, number, title, description, status, priority, requester, reporter, source,
                     created_at, updated_at, next_action_at, sla_state, watchers, version)
WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < :n)
SELECT 'IT', x, 'ticket ' || x, '', CASE WHEN x % 10 = 0 THEN 'in_progress' ELSE 'closed' END, 'normal',
       'console:bench', 'console:bench', 'console', :created, :created,
       CASE WHEN x % 10 = 0 THEN strftime('%Y-%m-%d %H:%M:%f', :later, '+' || (x % 86400) || ' seconds') END,
       '{}', '[]', 0
FROM g
"""


def container_for(url: str, engine=None, clock=None):
    directory = parse_teams(TEAMS, "bench")
    settings = Settings(database_url=url, scheduler=NO_DIGEST, _env_file=None)
    return build(settings, directory=directory, platforms=frozenset({"console"}), migrate=False, engine=engine,
                 clock=clock)


def due_rows(container, now: datetime, first: int, count: int, created: datetime | None = None) -> list[dict]:
    team = container.directory.teams["IT"]
    policy = DeadlinePolicy(container.settings.scheduler)
    opened = created or now - timedelta(minutes=10, seconds=1)
    rows = []
    for number in range(first, first + count):
        ticket = Ticket(team="IT", number=number, title=f"due {number}", requester="console:bench",
                        reporter="console:bench", created_at=opened, updated_at=opened)
        policy.on_open(ticket, team, opened)
        rows.append(to_values(ticket) | {"version": 0})
    return rows


def fill(engine, n: int, now: datetime) -> None:
    sql = FILL_PG if engine.dialect.name == "postgresql" else FILL_SQLITE
    later = now + timedelta(days=1)
    params = {"n": n, "created": now - timedelta(days=30), "later": later}
    if engine.dialect.name == "sqlite":
        params = {"n": n, "created": (now - timedelta(days=30)).strftime("%Y-%m-%d %H:%M:%S.%f"),
                  "later": later.strftime("%Y-%m-%d %H:%M:%S")}
    with engine.begin() as conn:
        conn.execute(text(sql), params)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE"))


class SweepTable:
    """A database of `n` tickets (10% open) plus `due` tickets due now, ready to time sweeps on."""

    def __init__(self, url: str, n: int, due: int) -> None:
        upgrade(url)
        self.engine = make_engine(url)
        self.container = container_for(url, self.engine)
        self.n, self.due, self.now = n, due, datetime.now(UTC)
        fill(self.engine, n, self.now)

    def run(self) -> tuple[float, int]:
        """Put the due tickets back, then time one sweep: (milliseconds, tickets handled)."""
        rows = due_rows(self.container, self.now, self.n + 1, self.due)
        with self.engine.begin() as conn:
            conn.execute(delete(TicketRow).where(TicketRow.number > self.n))
            conn.execute(insert(TicketRow), rows)
        sweeper = SlaEngine(self.container, batch=1000)
        started = time.perf_counter()
        handled = sweeper.sweep(self.now)
        return (time.perf_counter() - started) * 1000, handled

    def close(self) -> None:
        self.engine.dispose()


class Posted:
    platform = "console"

    def __init__(self):
        self.at: dict[str, float] = {}
        self.lock = threading.Lock()

    def deliver(self, delivery):
        if delivery.template.startswith("sla_warn"):
            with self.lock:
                self.at.setdefault(delivery.params["sla_event"], time.time())


def lateness(url: str, count: int, window: float, interval: float) -> list[float]:
    """Seconds between each reminder's due moment and its delivery, through the real scheduler runtime."""
    from scheduler.runtime import start_scheduler

    upgrade(url)
    engine = make_engine(url)
    container = container_for(url, engine)
    posted = Posted()
    container.notifiers["console"] = posted
    start = datetime.now(UTC) + timedelta(seconds=1)
    rows, due_at = [], {}
    for i in range(count):
        warn_at = start + timedelta(seconds=window * i / max(1, count - 1))
        created = warn_at - timedelta(minutes=7, seconds=30)  # 75% of the 10 min first-response target
        row = due_rows(container, start, i + 1, 1, created=created)[0]
        rows.append(row)
        due_at[f"fr:warn:0@{row['first_response_due'].isoformat()}"] = warn_at.timestamp()
    with engine.begin() as conn:
        conn.execute(insert(TicketRow), rows)
    stop = start_scheduler(container, sweep_seconds=interval, deliver_seconds=min(2.0, interval))
    deadline = time.time() + window + interval + 15
    try:
        while time.time() < deadline and len(posted.at) < len(due_at):
            time.sleep(0.05)
    finally:
        stop()
        engine.dispose()
    return [posted.at[key] - due for key, due in due_at.items() if key in posted.at]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def report_sweeps(backend: str, make_url, small: int, large: int, due: int, runs: int) -> None:
    """Runs alternate between the two tables, so a busy machine slows both alike."""
    tables, cleanups = {}, []
    try:
        for n in (small, large):
            url, cleanup = make_url()
            cleanups.append(cleanup)
            tables[n] = SweepTable(url, n, due)
            tables[n].run()  # warm-up (statement caches, connection pool), not timed
        timings: dict[int, list[float]] = {small: [], large: []}
        handled: dict[int, int] = {}
        for _ in range(runs):
            for n, table in tables.items():
                ms, handled[n] = table.run()
                timings[n].append(ms)
    finally:
        for table in tables.values():
            table.close()
        for cleanup in cleanups:
            cleanup()
    for n in (small, large):
        print(f"{backend:<11}{n:>11,}{handled[n]:>7,}{statistics.median(timings[n]):>12.1f}{min(timings[n]):>10.1f}")
    ratio = statistics.median(timings[large]) / statistics.median(timings[small])
    print(f"{backend:<11} ratio large/small (medians): {ratio:.2f}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000, help="PostgreSQL's large table")
    parser.add_argument("--sqlite-large", type=int, default=200_000)
    parser.add_argument("--due", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--pg", default=os.environ.get("TIKET_TEST_DATABASE_URL"),
                        help="a PostgreSQL URL whose server may create a scratch database")
    parser.add_argument("--interval", type=float, default=15.0, help="sweep interval for the lateness run")
    parser.add_argument("--late-count", type=int, default=300)
    parser.add_argument("--late-window", type=float, default=45.0)
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--smoke", action="store_true", help="a tiny run that only checks the benchmark works")
    args = parser.parse_args(argv)
    if args.smoke:
        args.small, args.large, args.sqlite_large, args.due, args.runs = 200, 400, 400, 20, 1
        args.interval, args.late_count, args.late_window = 0.5, 5, 1.0
    print(f"bench/sweep: one sweep over {args.due} due tickets (10% of each table open), median of {args.runs}")
    print(f"{'backend':<11}{'tickets':>11}{'due':>7}{'ms/sweep':>12}{'best ms':>10}")
    tmp = tempfile.TemporaryDirectory()
    counter = iter(range(1000))

    def sqlite_url():
        return f"sqlite:///{tmp.name}/sweep{next(counter)}.db", lambda: None

    try:
        if not args.skip_sqlite:
            report_sweeps("sqlite", sqlite_url, args.small, args.sqlite_large, args.due, args.runs)
        if args.pg:
            report_sweeps("postgresql", lambda: fresh_pg(args.pg), args.small, args.large, args.due, args.runs)
        else:
            print("postgresql skipped (no --pg / TIKET_TEST_DATABASE_URL)")
        if args.pg:
            url, cleanup = fresh_pg(args.pg)
            backend = "postgresql"
        else:
            url, cleanup = sqlite_url()
            backend = "sqlite"
        try:
            late = lateness(url, args.late_count, args.late_window, args.interval)
        finally:
            cleanup()
        print(f"lateness ({backend}, {len(late)}/{args.late_count} reminders due over {args.late_window:g}s, "
              f"sweep every {args.interval:g}s): p50 {percentile(late, 50):.2f}s  p99 {percentile(late, 99):.2f}s"
              f"  (aim: p99 < {args.interval + 2:g}s)")
    finally:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
