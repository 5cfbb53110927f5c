"""Each benchmark runs at a tiny size, so a broken benchmark is caught (figures are not asserted)."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_create_benchmark_runs():
    proc = subprocess.run([sys.executable, "-m", "bench.create", "--smoke"], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "sqlite" in proc.stdout and "ratio" in proc.stdout
