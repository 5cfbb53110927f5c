"""Kill -9 the Slack web process during N concurrent `/ticket new`; restart it; count what was lost.

Starts `tiket serve slack` as a real subprocess on a free loopback port, against the fake
Slack Web API, fires N concurrent signed slash commands, kills the process (SIGKILL) as soon
as the first of them are acknowledged (the rest are in flight: some acknowledged, some not),
starts it again and waits until every acknowledged request is answered or the wait runs out.

    acknowledged  requests that got HTTP 200 (Slack was told "got it")
    stored        acknowledged requests with exactly one ticket (idempotency key = the trigger id)
    answered      acknowledged requests whose response URL was answered at the fake
    lost          acknowledged requests without their one ticket or without their answer

The baseline in the same run is the same N requests with no kill.

    python -m bench.crash_intake [--requests 50] [--database-url postgresql://...] [--smoke]
"""
from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import httpx
from sqlalchemy import create_engine, func, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from storage.models import TicketRow  # noqa: E402
from tests.adapter.slack.fake_slack import FakeSlack  # noqa: E402
from tests.adapter.slack.slackhttp import sign  # noqa: E402

SECRET = "crash-signing-secret"


@dataclass
class Outcome:
    sent: int
    acknowledged: list[int]
    stored: int
    answered: int
    duplicates: int  # acknowledged requests with more than one ticket
    backend: str
    killed: bool
    unanswered_at_kill: int = 0  # acknowledged, not yet answered when the process died: the restart's work

    @property
    def lost(self) -> int:
        return len(self.acknowledged) - min(self.stored, self.answered)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`tiket serve slack` as a subprocess (started again on the same port after a kill)."""

    def __init__(self, url: str, fake: FakeSlack) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "TIKET_DATABASE_URL": url, "TIKET_TEAMS_FILE": str(ROOT / "tests/fixtures/teams.toml"),
                    "TIKET_SLACK__BOT_TOKEN": "xoxb-crash", "TIKET_SLACK__SIGNING_SECRET": SECRET,
                    "TIKET_SLACK__API_URL": fake.api_url, "TIKET_RATE_LIMIT_PER_HOUR": "0",
                    # a killed process's leased work comes back quickly; the pump polls often
                    "TIKET_INTAKE__LEASE_SECONDS": "3", "TIKET_SCHEDULER__DELIVER_SECONDS": "0.5"}
        self.env.pop("TIKET_SLACK__APP_TOKEN", None)
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "cli.main", "serve", "slack", "--host", "127.0.0.1",
                                      "--port", str(self.port)], cwd=ROOT, env=self.env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"tiket serve slack exited: {self.proc.stderr.read()[-2000:]}")
            try:
                if httpx.get(self.base + "/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05)  # bounded poll for a subprocess to listen
        raise SystemExit("tiket serve slack did not come up")

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=15)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def command_body(fake: FakeSlack, n: int, tag: str) -> str:
    return urlencode({"team_id": "T0001", "channel_id": "CIT", "user_id": f"UC{n:05d}", "command": "/ticket",
                      "text": f"new IT Crash {tag} {n}", "response_url": f"{fake.base}/response/{tag}-{n}",
                      "trigger_id": f"trig.{tag}.{n}"})


def fire(server: Server, fake: FakeSlack, n: int, tag: str, kill_after: int | None) -> list[int]:
    """n concurrent signed commands; with kill_after, SIGKILL the server once that many were acknowledged."""
    barrier = threading.Barrier(n)
    acked: list[int] = []
    lock = threading.Lock()

    def one(i: int) -> None:
        body = command_body(fake, i, tag)
        with httpx.Client(timeout=30) as http:
            barrier.wait()
            try:
                resp = http.post(server.base + "/slack/events", content=body,
                                 headers={"Content-Type": "application/x-www-form-urlencoded", **sign(SECRET, body)})
            except httpx.HTTPError:
                return  # the connection died with the process: not acknowledged
        if resp.status_code == 200:
            with lock:
                acked.append(i)
                if kill_after is not None and len(acked) == kill_after:
                    server.kill()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return sorted(acked)


def count(url: str, fake: FakeSlack, tag: str, acked: list[int]) -> tuple[int, int, int]:
    """(stored exactly once, answered, duplicated) among the acknowledged requests."""
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as conn:
            rows = conn.execute(select(TicketRow.idempotency_key, func.count()).where(
                TicketRow.idempotency_key.like(f"slack:cmd:trig.{tag}.%")).group_by(TicketRow.idempotency_key)).all()
    finally:
        engine.dispose()
    per_key = {key: n for key, n in rows}
    keys = [f"slack:cmd:trig.{tag}.{i}" for i in acked]
    paths = {c.path for c in fake.calls_to("response_url")}
    answered = sum(1 for i in acked if f"/response/{tag}-{i}" in paths)
    return (sum(1 for k in keys if per_key.get(k) == 1), answered, sum(1 for k in keys if per_key.get(k, 0) > 1))


def run(url: str, fake: FakeSlack, n: int, *, kill: bool, tag: str, wait: float = 90.0) -> Outcome:
    """One round: fire n commands (killing the server after the first acknowledgements), restart, wait."""
    server = Server(url, fake)
    server.start()
    try:
        acked = fire(server, fake, n, tag, kill_after=max(1, n // 5) if kill else None)
        unanswered = 0
        if kill:
            server.kill()  # (already dead unless fewer than kill_after were acknowledged)
            unanswered = len(acked) - count(url, fake, tag, acked)[1]
            server.start()  # the next process finishes what the dead one acknowledged
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            stored, answered, duplicates = count(url, fake, tag, acked)
            if stored == answered == len(acked):
                break
            time.sleep(0.2)  # bounded poll: the restarted process works on its own
        stored, answered, duplicates = count(url, fake, tag, acked)
    finally:
        server.stop()
    backend = "postgresql" if url.startswith("postgres") else "sqlite"
    return Outcome(n, acked, stored, answered, duplicates, backend, kill, unanswered)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    parser.add_argument("--smoke", action="store_true", help="tiny size, to check the benchmark runs")
    args = parser.parse_args()
    n = 5 if args.smoke else args.requests
    fake = FakeSlack().start()
    tmp = tempfile.TemporaryDirectory()
    url = args.database_url or f"sqlite:///{tmp.name}/crash.db"
    try:
        if args.database_url:
            from storage.migrate import upgrade

            upgrade(url)
        base = run(url, fake, n, kill=False, tag=f"b{int(time.time())}")
        crash = run(url, fake, n, kill=True, tag=f"k{int(time.time())}")
    finally:
        fake.stop()
        tmp.cleanup()
    print(f"crash intake: tiket serve slack on {crash.backend}, {n} concurrent signed /ticket new, "
          f"SIGKILL after the first {max(1, n // 5)} acknowledgements, then a restart")
    print(f"{'':24}{'sent':>6}{'acked':>7}{'unanswered at kill':>20}{'stored':>8}{'answered':>10}{'lost':>6}"
          f"{'dup':>5}")
    for name, o in (("baseline (no kill)", base), ("kill -9 + restart", crash)):
        print(f"{name:24}{o.sent:6}{len(o.acknowledged):7}{o.unanswered_at_kill:20}{o.stored:8}{o.answered:10}"
              f"{o.lost:6}{o.duplicates:5}")
    ratio = crash.lost / max(1, len(crash.acknowledged))
    print(f"lost/acknowledged after the kill: {ratio:.2%}")


if __name__ == "__main__":
    main()
