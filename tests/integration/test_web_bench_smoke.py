"""bench/web.py runs at a tiny size (its figures are printed, never asserted)."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_web_benchmark_runs():
    proc = subprocess.run([sys.executable, "-m", "bench.web", "--smoke"], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "ratio to baseline" in proc.stdout
    assert proc.stdout.count("lost requests: 0") == 2, proc.stdout
