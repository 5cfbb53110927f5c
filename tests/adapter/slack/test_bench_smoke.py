"""bench/slack_ack.py runs at a tiny size (its figures are printed, never asserted)."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_slack_ack_benchmark_runs():
    proc = subprocess.run([sys.executable, "-m", "bench.slack_ack", "--smoke"], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "ratio" in proc.stdout and "lost requests: 0" in proc.stdout
