"""Benchmark: `tiket report` on a year of tickets, SQL aggregation vs a plain Python loop.

    python bench/report.py                   # 1,000,000 tickets, 10 teams, PostgreSQL
    python bench/report.py --smoke           # 2,000 tickets on a temporary SQLite file
    python bench/report.py --url postgresql://postgres@127.0.0.1:5432/tiket_bench --reuse
    python bench/report.py --smoke --existing --url URL   # into an existing migrated database (tests)

The data is made in SQL (INSERT ... SELECT over generate_series; a recursive CTE on
SQLite): a year of tickets spread evenly over 10 teams (one confidential), with the
audit events (open, claim, resolve, close, cancel; 3% reopened and resolved again) and
ratings, and the business-time measurements the SLA engine records. It times the
function `tiket report --json` runs (in process, best of 3) for the last 30 days and
for the whole year, then, in the same run, a plain Python loop that reads every
ticket, event and rating row and computes the same figures; it prints both, their
ratio, and whether the figures agree.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text  # noqa: E402

from bench.report_fill import fill, python_figures  # noqa: E402

NOW = datetime(2026, 11, 27, 0, 0, tzinfo=timezone.utc)
DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/tiket_bench"
TEAM_KEYS = [f"T{chr(65 + i)}" for i in range(26)]


def teams_toml(teams: int) -> str:
    out = ['language = "en"', 'admins = ["console:admin"]']
    for i in range(teams):
        key = TEAM_KEYS[i]
        agents = ", ".join(f'"console:ag{i}_{j}"' for j in range(7))
        out += ["", "[[teams]]", f'key = "{key}"', f'name = "Team {key}"',
                f"confidential = {'true' if i == teams - 1 else 'false'}",
                f"agents = [{agents}]", f'supervisors = ["console:sup{i}"]',
                "[teams.sla]", 'normal = { first_response = "1h", resolution = "8h" }',
                "[teams.calendar]", 'timezone = "Asia/Jakarta"', 'hours = "24/7"']
    return "\n".join(out) + "\n"


def fresh_database(url: str) -> None:
    from storage.db import normalise_url

    if url.startswith("sqlite"):
        path = url.split("///", 1)[1]
        for suffix in ("", "-wal", "-shm"):
            Path(path + suffix).unlink(missing_ok=True)
        return
    base, _, name = normalise_url(url).rpartition("/")
    admin = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def timed(fn, repeat: int = 1):
    best, result = None, None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best, result


def compare(report, py: dict) -> list[str]:
    f = report.overall
    sql = {"created": f.created, "resolved": f.resolved, "closed": f.closed, "reopened": f.reopened,
           "cancelled": f.cancelled, "backlog_start": f.backlog_start, "backlog_now": f.backlog_now,
           "first_response": (f.first_response.count, f.first_response.median, f.first_response.p90),
           "resolution": (f.resolution.count, f.resolution.median, f.resolution.p90),
           "first_response_sla": (f.first_response_sla.met, f.first_response_sla.total),
           "resolution_sla": (f.resolution_sla.met, f.resolution_sla.total),
           "ratings": (f.satisfaction.count, f.satisfaction.total),
           "agents_resolved": sum(a.resolved for a in report.agents)}

    def same(a, b):
        if isinstance(a, tuple):
            return all(same(x, y) for x, y in zip(a, b))
        if a is None or b is None:
            return a is b
        return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(b)))
    return [f"{k}: sql={sql[k]} python={py[k]}" for k in sql if not same(sql[k], py[k])]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default=os.environ.get("TIKET_BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--teams", type=int, default=10)
    parser.add_argument("--smoke", action="store_true", help="tiny run (2,000 tickets; SQLite unless --url given)")
    parser.add_argument("--reuse", action="store_true", help="keep the data of an earlier run of the same size")
    parser.add_argument("--existing", action="store_true",
                        help="fill the migrated database at --url after deleting its tickets (no DROP/CREATE)")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="tiket-bench-"))
    if args.smoke:
        args.tickets = min(args.tickets, 2_000)
        if not any(a.startswith("--url") for a in (argv if argv is not None else sys.argv[1:])):
            args.url = f"sqlite:///{workdir / 'bench.db'}"

    from cli.report import run_report
    from config.settings import Settings
    from config.teams import load_teams
    from config.wiring import build
    from storage.db import make_engine
    from storage.migrate import upgrade
    from tickets.ports import FixedClock

    teams_file = workdir / "teams.toml"
    teams_file.write_text(teams_toml(args.teams))
    directory = load_teams(teams_file)
    engine = make_engine(args.url)
    filled = False
    if args.reuse:
        try:
            with engine.connect() as conn:
                filled = conn.execute(text("SELECT COUNT(*) FROM tickets")).scalar() == args.tickets
        except Exception:
            filled = False
    backend = engine.dialect.name
    print(f"backend: {backend}; tickets: {args.tickets:,}; teams: {args.teams}")
    if not filled and args.existing:
        with engine.begin() as conn:
            for table in ("ratings", "report_hours", "report_agent_days", "audit_events", "outbox", "comments", "tickets"):
                conn.execute(text(f"DELETE FROM {table}"))
    elif not filled:
        engine.dispose()
        fresh_database(args.url)
        upgrade(args.url)
        engine = make_engine(args.url)
    if not filled:
        seconds, counts = timed(lambda: fill(engine, args.tickets, [TEAM_KEYS[i] for i in range(args.teams)], NOW))
        print(f"fill (SQL INSERT ... SELECT): {seconds:.1f} s; " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    settings = Settings(database_url=args.url, teams_file=str(teams_file), _env_file=None)
    container = build(settings, clock=FixedClock(NOW), directory=directory, platforms=frozenset({"console"}),
                      migrate=False, engine=engine)
    from bot.reports import make_reports

    reports = make_reports(container)
    disagreements = 0
    for period in ("30d", "365d"):
        sql_s, _ = timed(lambda: run_report(container, period=period, as_json=True, echo=lambda *a, **k: None),
                         repeat=3)
        report = reports.operator(None, period)
        chosen = report.period
        unlisted = frozenset(k for k, t in directory.teams.items() if t.confidential)
        py_s, py = timed(lambda: python_figures(engine, chosen.since, chosen.until, NOW, unlisted))
        problems = compare(report, py)
        disagreements += len(problems)
        print(f"tiket report --period {period:>4} ({report.overall.created:,} tickets created): "
              f"SQL {sql_s:.3f} s (best of 3) | plain Python loop over all rows {py_s:.3f} s | "
              f"ratio {py_s / sql_s:.1f}x | figures agree: {'yes' if not problems else 'NO'}")
        for problem in problems:
            print(f"  differs: {problem}")
    engine.dispose()
    return 1 if disagreements else 0


if __name__ == "__main__":
    raise SystemExit(main())
