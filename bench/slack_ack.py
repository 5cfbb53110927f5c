"""How fast `tiket serve slack` acknowledges Slack: N concurrent signed `/ticket new`.

Starts the real web process (`tiket serve slack`) against the fake Slack Web API on
loopback, fires N concurrent slash commands signed like Slack's, and prints the
acknowledgement latency (p50/p95/p99), the tickets created and the requests lost
(acknowledged but never answered or never stored). The baseline, measured in the same
run at the same concurrency, is GET /healthz on the same server: the cost of the
HTTP round trip alone. Slack's own limit for an ack is 3,000 ms.

    python -m bench.slack_ack [--concurrency 50] [--rounds 3] [--smoke]
"""
from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx
from sqlalchemy import create_engine, func, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from storage.models import TicketRow  # noqa: E402
from tests.adapter.slack.fake_slack import FakeSlack  # noqa: E402
from tests.adapter.slack.slackhttp import sign  # noqa: E402

SECRET = "bench-signing-secret"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, int(round(q / 100 * len(ordered) + 0.5)) - 1))
    return ordered[index]


def fire(n: int, make_request) -> list[float]:
    """n requests at once (a barrier releases them together); latency of each in ms."""
    barrier = threading.Barrier(n)
    latencies: list[float] = [0.0] * n
    errors: list[str] = []

    def one(i: int) -> None:
        with httpx.Client(timeout=30) as http:
            barrier.wait()
            start = time.perf_counter()
            resp = make_request(http, i)
            latencies[i] = (time.perf_counter() - start) * 1000
            if resp.status_code != 200:
                errors.append(f"{resp.status_code} {resp.text[:100]}")

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    if errors:
        raise SystemExit(f"{len(errors)} requests failed, e.g. {errors[0]}")
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--smoke", action="store_true", help="tiny size, to check the benchmark runs")
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    args = parser.parse_args()
    if args.smoke:
        args.concurrency, args.rounds = 3, 1
    fake = FakeSlack().start()
    tmp = tempfile.TemporaryDirectory()
    url = args.database_url or f"sqlite:///{tmp.name}/bench.db"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "TIKET_DATABASE_URL": url, "TIKET_TEAMS_FILE": str(ROOT / "tests/fixtures/teams.toml"),
           "TIKET_SLACK__BOT_TOKEN": "xoxb-bench", "TIKET_SLACK__SIGNING_SECRET": SECRET,
           "TIKET_SLACK__API_URL": fake.api_url, "TIKET_RATE_LIMIT_PER_HOUR": "0"}
    env.pop("TIKET_SLACK__APP_TOKEN", None)
    if args.database_url:
        from storage.migrate import upgrade

        upgrade(url)
    server = subprocess.Popen([sys.executable, "-m", "cli.main", "serve", "slack", "--host", "127.0.0.1",
                               "--port", str(port)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    try:
        run(args, fake, base, url, server)
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        fake.stop()
        tmp.cleanup()


def wait_ready(base: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"tiket serve slack exited: {server.stderr.read()[-2000:]}")
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise SystemExit("tiket serve slack did not come up")


def run(args, fake: FakeSlack, base: str, url: str, server: subprocess.Popen) -> None:
    wait_ready(base, server)
    counter = iter(range(1, 10**9))

    def command(http: httpx.Client, i: int) -> httpx.Response:
        n = next(counter)
        body = urlencode({"team_id": "T0001", "channel_id": "CIT", "user_id": f"UB{n:05d}", "command": "/ticket",
                          "text": f"new IT Bench request {n}", "response_url": f"{fake.base}/response/{n}",
                          "trigger_id": f"trig.{n}"})
        headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(SECRET, body)}
        return http.post(base + "/slack/events", content=body, headers=headers)

    with httpx.Client() as http:  # warm-up: first-request auth.test, imports, connections
        command(http, 0)
    fake.wait_call("response_url", 1, timeout=30)
    healthz, acks = [], []
    sent = 1
    for _ in range(args.rounds):
        healthz += fire(args.concurrency, lambda http, i: http.get(base + "/healthz"))
        acks += fire(args.concurrency, command)
        sent += args.concurrency
    try:
        fake.wait_call("response_url", sent, timeout=120)
    except AssertionError:
        pass  # counted below as lost
    answered = len(fake.calls_to("response_url"))
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as conn:
        created = conn.execute(select(func.count()).select_from(TicketRow)
                               .where(TicketRow.title.like("Bench request %"))).scalar_one()
    engine.dispose()
    lost = sent - min(answered, created)
    backend = "postgresql" if url.startswith("postgres") else "sqlite"
    print(f"slack ack benchmark: tiket serve slack on {backend}, {args.concurrency} concurrent x "
          f"{args.rounds} rounds ({len(acks)} signed /ticket new, plus 1 warm-up)")
    print(f"{'':22}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    for name, values in (("baseline GET /healthz", healthz), ("/ticket new ack", acks)):
        print(f"{name:22}{statistics.median(values):9.1f}{percentile(values, 95):9.1f}"
              f"{percentile(values, 99):9.1f}{max(values):9.1f}")
    ratio = percentile(acks, 99) / max(percentile(healthz, 99), 0.001)
    print(f"ratio ack/baseline at p99: {ratio:.2f}x   (Slack's limit: 3000 ms)")
    print(f"tickets created: {created} of {sent}   answered: {answered}   lost requests: {lost}")


if __name__ == "__main__":
    main()
