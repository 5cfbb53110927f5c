"""bench/sweep.py runs at a tiny size (its figures are printed, not asserted)."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_sweep_benchmark_runs_tiny():
    proc = subprocess.run([sys.executable, "-m", "bench.sweep", "--smoke"], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "ratio large/small" in proc.stdout and "lateness" in proc.stdout and "p99" in proc.stdout
