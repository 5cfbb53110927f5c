"""What one "time left" figure and one natural deadline cost, against plain datetime arithmetic.

    python -m bench.dates [--n 2000] [--smoke]

A card, a list line or a reminder shows `split_left` (working days + hours on the team's
calendar); `due`/`snooze` run `parse_due(...).resolve(...)`; a team's targets run
`Duration.after`. The baseline is what the figure cost before: `due - now` on the wall clock
(and `now + timedelta` for a deadline). All on the example IT calendar (lunch break, ID holidays).
"""
from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from config.teams import load_teams  # noqa: E402
from tickets.dates import parse_due, parse_duration  # noqa: E402
from tickets.workdays import split_left  # noqa: E402

TEXTS = ("besok", "jumat 10:00", "17 Des", "end of week", "3d", "4 jam", "senin", "24/12", "lusa", "2026-12-01 14:00")


def per_second(fn, n: int) -> float:
    started = time.perf_counter()
    for i in range(n):
        fn(i)
    return n / max(time.perf_counter() - started, 1e-9)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--smoke", action="store_true", help="a tiny run (tests)")
    args = parser.parse_args(argv)
    n = 50 if args.smoke else args.n
    cal = load_teams(ROOT / "teams.example.toml").teams["IT"].calendar
    now = datetime(2026, 11, 26, 3, 0, tzinfo=timezone.utc)  # Thursday 10:00 in Jakarta
    dues = [now + timedelta(hours=h) for h in range(1, 24 * 14, 7)]  # up to two weeks ahead
    three_days = parse_duration("3d")
    rows = [
        ("time left, wall clock (baseline)", per_second(lambda i: dues[i % len(dues)] - now, n)),
        ("time left, split_left (working days + h)", per_second(lambda i: split_left(cal, now, dues[i % len(dues)]), n)),
        ("deadline, now + timedelta (baseline)", per_second(lambda i: now + timedelta(days=3), n)),
        ("deadline, 3d to close of business", per_second(lambda i: three_days.after(now, cal), n)),
        ("parse_due + resolve (natural text)", per_second(lambda i: parse_due(TEXTS[i % len(TEXTS)]).resolve(now, cal), n)),
    ]
    base_left, base_deadline = rows[0][1], rows[2][1]
    print(f"{'operation':44} {'per second':>12} {'x baseline':>12}")
    for name, rate in rows:
        base = base_left if "time left" in name else base_deadline
        print(f"{name:44} {rate:12.0f} {base / rate:11.1f}x  (time per call)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
