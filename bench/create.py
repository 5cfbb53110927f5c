"""Tickets created per second through the service layer vs raw INSERT+COMMIT, same run, same database.

    python -m bench.create [--n 2000] [--pg URL] [--smoke]

The raw baseline inserts an equivalent ticket row, one INSERT and one COMMIT
each; the service layer does the whole open: idempotency check, rate limit,
key counter, ticket, audit event and outbox messages in one transaction.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import insert, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from config.settings import Settings  # noqa: E402
from config.teams import load_teams  # noqa: E402
from config.wiring import build  # noqa: E402
from storage.db import make_engine, normalise_url  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import Base, TicketRow  # noqa: E402
from tickets.teams import Actor  # noqa: E402


def fresh_pg(url: str) -> tuple[str, callable]:
    import uuid

    from sqlalchemy import create_engine

    admin = create_engine(normalise_url(url), isolation_level="AUTOCOMMIT")
    name = f"tiket_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    db = normalise_url(url).rpartition("/")[0] + "/" + name

    def drop():
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return db, drop


def run(url: str, n: int) -> dict:
    upgrade(url)
    engine = make_engine(url)
    directory = load_teams(ROOT / "teams.example.toml", rate_limit_per_hour=0)
    container = build(Settings(database_url=url, _env_file=None), directory=directory,
                      platforms=frozenset({"console"}), migrate=False, engine=engine)
    now = datetime.now(timezone.utc)
    # raw baseline: an equivalent row, one INSERT + COMMIT each
    started = time.perf_counter()
    for i in range(n):
        with engine.begin() as conn:
            conn.execute(insert(TicketRow).values(
                team="RAW", number=i + 1, title=f"raw {i}", description="", status="new", priority="normal",
                requester="console:bench", reporter="console:bench", source="console", created_at=now,
                updated_at=now, sla_state={}, watchers=[], version=0))
    raw = n / (time.perf_counter() - started)
    started = time.perf_counter()
    for i in range(n):
        container.service.open(Actor(f"console:user{i % 50}"), "IT", f"service {i}",
                               idempotency_key=f"bench:{i}")
    service = n / (time.perf_counter() - started)
    engine.dispose()
    return {"raw": raw, "service": service, "ratio": service / raw}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--pg", default=os.environ.get("TIKET_TEST_DATABASE_URL"),
                        help="a PostgreSQL URL whose server may create a scratch database")
    parser.add_argument("--smoke", action="store_true", help="a tiny run that only checks the benchmark works")
    args = parser.parse_args(argv)
    n = 20 if args.smoke else args.n
    print(f"bench/create: {n} tickets per backend")
    print(f"{'backend':<12}{'raw inserts/s':>16}{'service opens/s':>18}{'ratio':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        result = run(f"sqlite:///{tmp}/bench.db", n)
        print(f"{'sqlite':<12}{result['raw']:>16.0f}{result['service']:>18.0f}{result['ratio']:>8.2f}")
    if args.pg:
        url, drop = fresh_pg(args.pg)
        try:
            result = run(url, n)
            print(f"{'postgresql':<12}{result['raw']:>16.0f}{result['service']:>18.0f}{result['ratio']:>8.2f}")
        finally:
            drop()
    else:
        print("postgresql  skipped (no --pg / TIKET_TEST_DATABASE_URL)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
