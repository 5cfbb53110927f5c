"""bench/email.py runs at a tiny size (its figures are printed, never asserted)."""
import subprocess
import sys
from pathlib import Path

import pytest

from tests.adapter.email.servers import dovecot_binary

ROOT = Path(__file__).resolve().parents[3]


def test_email_benchmark_runs():
    if dovecot_binary() is None:
        pytest.skip("dovecot is not installed (scripts/test installs dovecot-imapd)")
    proc = subprocess.run([sys.executable, "-m", "bench.email", "--smoke"], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr + proc.stdout
    assert "ratio" in proc.stdout and "(5 acks)" in proc.stdout
