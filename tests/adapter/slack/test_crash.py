"""Crash test: kill -9 the Slack web process during 50 concurrent signed `/ticket new`, restart it;
every request that got a 200 has exactly one ticket and its answer at its response URL.

The process is the real `tiket serve slack` (a subprocess on a free loopback port) against the
fake Slack Web API; bench/crash_intake.py drives it and prints the same figures."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench.crash_intake import run
from tests.adapter.slack.fake_slack import FakeSlack

ROOT = Path(__file__).resolve().parents[3]


def test_kill_9_during_50_concurrent_commands_loses_no_acknowledged_request(db_url):
    fake = FakeSlack().start()
    try:
        outcome = run(db_url, fake, 50, kill=True, tag="crash")
    finally:
        fake.stop()
    acked = len(outcome.acknowledged)
    assert acked >= 10  # the kill came after the first tenth were acknowledged
    assert outcome.unanswered_at_kill > 0, "nothing was left in flight: the kill came too late to test anything"
    assert (outcome.stored, outcome.answered, outcome.duplicates) == (acked, acked, 0), outcome
    assert outcome.lost == 0


def test_crash_benchmark_runs():
    proc = subprocess.run([sys.executable, "-m", "bench.crash_intake", "--smoke"], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "kill -9 + restart" in proc.stdout and "lost/acknowledged" in proc.stdout
