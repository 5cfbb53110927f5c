"""A process without a web server (here the clock) serves /metrics on TIKET_METRICS_PORT."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def scrape(port: int, proc: subprocess.Popen) -> str:
    """Wait (bounded) until the process answers; fail at once if it died."""
    import time

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as response:
                return response.read().decode()
        except OSError:
            time.sleep(0.1)  # waiting for another process to start listening, not for time to pass
    raise AssertionError("the clock process never served /metrics")


def test_the_clock_process_serves_metrics_on_its_port(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIKET_")}
    env.update(TIKET_DATABASE_URL=f"sqlite:///{tmp_path / 't.db'}", TIKET_METRICS_PORT=str(port),
               TIKET_TEAMS_FILE=str(ROOT / "tests/fixtures/teams.toml"), PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "cli.main", "run", "scheduler"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        body = scrape(port, proc)
        assert "# TYPE tiket_sweep_seconds histogram" in body and "tiket_database_errors_total" in body
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
