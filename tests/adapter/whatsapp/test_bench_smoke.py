"""bench/whatsapp.py runs at a tiny size (its figures are printed, never asserted)."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_whatsapp_benchmark_runs():
    proc = subprocess.run([sys.executable, "-m", "bench.whatsapp", "--smoke"], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "ratio" in proc.stdout and "lost calls: 0" in proc.stdout, proc.stdout
