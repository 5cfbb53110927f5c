"""The web door under load: API creates and form submissions at N concurrent clients.

Starts the real web process (`tiket serve web`) on a loopback port, creates an API token with
`tiket api token create`, then runs three phases at the same concurrency, each client a
keep-alive connection of its own:
  baseline  GET /healthz (the HTTP round trip alone)
  api       POST /api/v1/tickets with a fresh Idempotency-Key each
  form      GET /t/it (CSRF token + cookie), then POST /t/it (timed: the submission)
and prints throughput, p50/p95/p99 latency, the ratio to the baseline at p99, and the requests
lost (answered 201 but not stored, or not answered 201). Aim: API create p99 < 300 ms, zero lost.

    python -m bench.web [--concurrency 50] [--requests 500] [--database-url URL] [--smoke]
"""
from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx
from sqlalchemy import create_engine, func, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from storage.models import TicketRow  # noqa: E402

SECRET = "bench-web-secret-key-0123456789-abcdef"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, int(round(q / 100 * len(ordered) + 0.5)) - 1))
    return ordered[index]


def phase(concurrency: int, total: int, one) -> tuple[list[float], int, float]:
    """`total` calls of one(http, n) spread over `concurrency` clients; (latencies ms, failures, seconds)."""
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    counter = iter(range(total))
    barrier = threading.Barrier(concurrency)

    def client() -> None:
        with httpx.Client(timeout=60) as http:
            barrier.wait()
            while True:
                with lock:
                    n = next(counter, None)
                if n is None:
                    return
                took, ok = one(http, n)
                with lock:
                    latencies.append(took)
                    failures[0] += 0 if ok else 1

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    start = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return latencies, failures[0], time.perf_counter() - start


def timed(call) -> tuple[float, httpx.Response]:
    start = time.perf_counter()
    resp = call()
    return (time.perf_counter() - start) * 1000, resp


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--requests", type=int, default=500, help="per phase")
    parser.add_argument("--smoke", action="store_true", help="tiny size, to check the benchmark runs")
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    args = parser.parse_args()
    if args.smoke:
        args.concurrency, args.requests = 3, 6
    tmp = tempfile.TemporaryDirectory()
    url = args.database_url or f"sqlite:///{tmp.name}/bench.db"
    teams = Path(tmp.name) / "teams.toml"
    teams.write_text((ROOT / "tests/fixtures/teams.toml").read_text(encoding="utf-8").replace(
        'name = "IT Helpdesk"', 'name = "IT Helpdesk"\nweb_form = "public"', 1), encoding="utf-8")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "TIKET_DATABASE_URL": url, "TIKET_TEAMS_FILE": str(teams), "TIKET_WEB__BASE_URL": base,
           "TIKET_WEB__SECRET_KEY": SECRET, "TIKET_RATE_LIMIT_PER_HOUR": "0",
           "TIKET_WEB__RATE_PER_IP_PER_HOUR": "0", "TIKET_WEB__RATE_PER_EMAIL_PER_HOUR": "0"}
    for name in [k for k in env if k.startswith(("TIKET_SLACK__", "TIKET_DISCORD__", "TIKET_EMAIL__"))]:
        env.pop(name)
    cli = [sys.executable, "-m", "cli.main"]
    subprocess.run([*cli, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    made = subprocess.run([*cli, "api", "token", "create", "--team", "IT", "--name", f"bench-{uuid.uuid4().hex[:6]}"],
                          cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    token = made.stdout.split()[0]
    server = subprocess.Popen([*cli, "serve", "web", "--host", "127.0.0.1", "--port", str(port)], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        run(args, base, url, token, server)
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        tmp.cleanup()


def wait_ready(base: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"tiket serve web exited: {server.stderr.read()[-2000:]}")
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise SystemExit("tiket serve web did not come up")


def run(args, base: str, url: str, token: str, server: subprocess.Popen) -> None:
    wait_ready(base, server)
    run_id = uuid.uuid4().hex[:6]
    auth = {"Authorization": f"Bearer {token}"}

    def healthz(http, n):
        took, resp = timed(lambda: http.get(base + "/healthz"))
        return took, resp.status_code == 200

    def api(http, n):
        body = {"team": "IT", "title": f"Bench api {run_id} {n}" if n >= 0 else "Warm-up", "requester": f"api{n}@bench.example",
                "category": "software", "external_reference": f"bench-{n}"}
        took, resp = timed(lambda: http.post(base + "/api/v1/tickets", json=body,
                                             headers={**auth, "Idempotency-Key": f"{run_id}-{n}"}))
        return took, resp.status_code == 201

    def form(http, n):
        page = http.get(base + "/t/it")
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        data = {"csrf": csrf, "title": f"Bench form {run_id} {n}" if n >= 0 else "Warm-up", "description": "from the benchmark",
                "category": "hardware", "name": f"Bench {n}", "email": f"form{n}@bench.example"}
        took, resp = timed(lambda: http.post(base + "/t/it", data=data))
        return took, resp.status_code == 201

    with httpx.Client(timeout=60) as http:  # warm-up: imports, first connections, caches
        healthz(http, 0)
        api(http, -1)
        form(http, -1)
    results = {}
    for name, one in (("baseline GET /healthz", healthz), ("API POST /api/v1/tickets", api),
                      ("form POST /t/it", form)):
        results[name] = phase(args.concurrency, args.requests, one)
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as conn:
        stored = {kind: conn.execute(select(func.count()).select_from(TicketRow).where(
            TicketRow.title.like(f"Bench {kind} {run_id} %"))).scalar_one() for kind in ("api", "form")}
    engine.dispose()
    backend = "postgresql" if url.startswith("postgres") else "sqlite"
    print(f"web benchmark: tiket serve web on {backend}, {args.concurrency} concurrent clients, "
          f"{args.requests} requests per phase")
    print(f"{'':26}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}{'failed':>8}")
    for name, (lat, failed, seconds) in results.items():
        print(f"{name:26}{len(lat) / seconds:8.1f}{statistics.median(lat):9.1f}{percentile(lat, 95):9.1f}"
              f"{percentile(lat, 99):9.1f}{max(lat):9.1f}{failed:8d}")
    base_p99 = max(percentile(results["baseline GET /healthz"][0], 99), 0.001)
    for name, label in (("API POST /api/v1/tickets", "api"), ("form POST /t/it", "form")):
        lat, failed, _ = results[name]
        ok = len(lat) - failed
        print(f"{label}: p99 ratio to baseline {percentile(lat, 99) / base_p99:.1f}x; answered 201: {ok}, "
              f"stored: {stored[label]}, lost requests: {max(0, ok - stored[label]) + failed}")
    print(f"aim: API create p99 < 300 ms -> {percentile(results['API POST /api/v1/tickets'][0], 99):.0f} ms")


if __name__ == "__main__":
    main()
