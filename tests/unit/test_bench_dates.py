"""bench/dates.py runs at a tiny size (figures are printed, not asserted)."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_dates_benchmark_runs():
    proc = subprocess.run([sys.executable, "-m", "bench.dates", "--smoke"], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "split_left" in proc.stdout and "baseline" in proc.stdout
