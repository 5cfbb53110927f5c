"""bench/hostile.py runs at a tiny size (its figures are printed, never asserted)."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_hostile_benchmark_runs():
    proc = subprocess.run([sys.executable, "-m", "bench.hostile", "--smoke"], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "ratio attacked/baseline at p99" in proc.stdout and "(500s: 0)" in proc.stdout
    assert "0 tracebacks" in proc.stdout
