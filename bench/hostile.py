"""Hostile traffic against `tiket serve slack`: does junk slow down real users, does it grow memory?

Starts the real web process on loopback (fake Slack Web API), then measures the acknowledgement
latency of signed `/ticket list` commands from normal clients twice in the same run:
  baseline  with no junk,
  attacked  while 20 clients send junk: unsigned and signed malformed bodies (JSON null, arrays,
            invalid JSON, `payload=%7B`, bad timestamps, non-UTF-8), 100 MB declared bodies and
            chunked bodies streamed until the server refuses them (413).
Prints p50/p95/p99 of both, the p99 ratio (aim: under 2), what the junk got back, and the server's
resident memory before and after the attack (aim: growth under 50 MB). Loopback only; every loop
is bounded by a request count.

    python -m bench.hostile [--requests 200] [--attackers 20] [--smoke]
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
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.slack_ack import free_port, percentile, wait_ready  # noqa: E402
from tests.adapter.slack.fake_slack import FakeSlack  # noqa: E402
from tests.adapter.slack.slackhttp import sign  # noqa: E402

SECRET = "bench-signing-secret"
JUNK = [(b"null", "application/json"), (b"{not json", "application/json"), (b"[1,2,3]", "application/json"),
        (b"payload=%7B", "application/x-www-form-urlencoded"), (b"\xff\xfe junk", "application/json")]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def raw_post(port: int, head: str, body_parts, limit_bytes: int) -> str:
    """Send a request on a raw socket, stop sending once the server answers; the status line."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(head.encode())
        sent = 0
        for part in body_parts:
            if sent >= limit_bytes:
                break
            try:
                sock.sendall(part)
            except OSError:
                break
            sent += len(part)
            import select

            if select.select([sock], [], [], 0)[0]:
                break
        try:
            return sock.recv(64).split(b"\r\n", 1)[0].decode(errors="replace")
        except OSError:
            return "reset"


def attacker(port: int, base: str, count: int, seen: Counter, lock: threading.Lock) -> None:
    with httpx.Client(timeout=30) as http:
        for i in range(count):
            kind = i % 8
            if kind < 5:
                body, ctype = JUNK[kind]
                headers = {"Content-Type": ctype}
                if i % 2:  # a fresh timestamp and a forged signature
                    headers |= {"X-Slack-Request-Timestamp": str(int(time.time())),
                                "X-Slack-Signature": "v0=" + "0" * 64}
                status = str(http.post(base + "/slack/events", content=body, headers=headers).status_code)
            elif kind == 5:
                status = str(http.post(base + "/slack/events", content=b"text=list",
                                       headers={"X-Slack-Request-Timestamp": "abc",
                                                "X-Slack-Signature": "v0=x"}).status_code)
            elif kind == 6:  # announces 100 MB
                head = ("POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        "Content-Length: 100000000\r\n\r\n")
                status = raw_post(port, head, iter([b"a" * 65536] * 32), 2 * 1024 * 1024)
            else:  # chunked, no length: streamed until refused (at most 4 MB)
                head = ("POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        "Transfer-Encoding: chunked\r\n\r\n")
                chunk = b"%x\r\n" % 65536 + b"c" * 65536 + b"\r\n"
                status = raw_post(port, head, iter([chunk] * 64), 4 * 1024 * 1024)
            with lock:
                seen[status.split(" ")[1] if status.startswith("HTTP/") else status] += 1


def lister(base: str, fake_base: str, count: int, user: int, out: list[float]) -> None:
    with httpx.Client(timeout=30) as http:
        for n in range(count):
            body = urlencode({"team_id": "T0001", "channel_id": "CIT", "user_id": "USARI", "command": "/ticket",
                              "text": "list all", "response_url": f"{fake_base}/response/l{user}-{n}-{time.time_ns()}",
                              "trigger_id": f"trig.l{user}.{n}.{time.time_ns()}"})
            headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(SECRET, body)}
            start = time.perf_counter()
            resp = http.post(base + "/slack/events", content=body, headers=headers)
            out.append((time.perf_counter() - start) * 1000)
            if resp.status_code != 200:
                raise SystemExit(f"a normal /ticket list got {resp.status_code}")


def measure(base: str, fake_base: str, requests: int, clients: int = 4) -> list[float]:
    out: list[float] = []
    threads = [threading.Thread(target=lister, args=(base, fake_base, requests // clients, c, out))
               for c in range(clients)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="normal /ticket list requests per phase")
    parser.add_argument("--attackers", type=int, default=20)
    parser.add_argument("--junk", type=int, default=400, help="junk requests per attacker")
    parser.add_argument("--smoke", action="store_true", help="tiny size, to check the benchmark runs")
    args = parser.parse_args()
    if args.smoke:
        args.requests, args.attackers, args.junk = 8, 2, 8
    fake = FakeSlack().start()
    tmp = tempfile.TemporaryDirectory()
    url = f"sqlite:///{tmp.name}/bench.db"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "TIKET_DATABASE_URL": url, "TIKET_TEAMS_FILE": str(ROOT / "tests/fixtures/teams.toml"),
           "TIKET_SLACK__BOT_TOKEN": "xoxb-bench", "TIKET_SLACK__SIGNING_SECRET": SECRET,
           "TIKET_SLACK__API_URL": fake.api_url, "TIKET_RATE_LIMIT_PER_HOUR": "0",
           "TIKET_LIMITS__BAD_REQUEST_LOG_SECONDS": "60"}
    env.pop("TIKET_SLACK__APP_TOKEN", None)
    server = subprocess.Popen([sys.executable, "-m", "cli.main", "serve", "slack", "--host", "127.0.0.1",
                               "--port", str(port)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    try:
        wait_ready(base, server)
        measure(base, fake.base, 8)  # warm-up: imports, auth.test, connections
        baseline = measure(base, fake.base, args.requests)
        before = rss_mb(server.pid)
        seen: Counter = Counter()
        lock = threading.Lock()
        attackers = [threading.Thread(target=attacker, args=(port, base, args.junk, seen, lock))
                     for _ in range(args.attackers)]
        for th in attackers:
            th.start()
        attacked = measure(base, fake.base, args.requests)
        for th in attackers:
            th.join()
        after = rss_mb(server.pid)
        server.terminate()
        _, stderr = server.communicate(timeout=15)
    finally:
        if server.poll() is None:
            server.kill()
        fake.stop()
        tmp.cleanup()
    print(f"hostile traffic benchmark: tiket serve slack on sqlite, {len(baseline)} signed /ticket list acks per "
          f"phase from 4 clients; {args.attackers} junk clients x {args.junk} requests while attacked")
    print(f"{'':26}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    for name, values in (("baseline (no junk)", baseline), ("under junk + oversize", attacked)):
        print(f"{name:26}{statistics.median(values):9.1f}{percentile(values, 95):9.1f}"
              f"{percentile(values, 99):9.1f}{max(values):9.1f}")
    ratio = percentile(attacked, 99) / max(percentile(baseline, 99), 0.001)
    print(f"ratio attacked/baseline at p99: {ratio:.2f}x   (aim: under 2)")
    print(f"junk answered: {dict(sorted(seen.items()))}   (500s: {seen.get('500', 0)})")
    print(f"server memory (RSS): {before:.1f} MB before the attack, {after:.1f} MB after, "
          f"growth {after - before:+.1f} MB   (aim: under 50 MB)")
    tracebacks = stderr.count("Traceback")
    warnings = sum(1 for line in stderr.splitlines() if "rejected" in line)
    print(f"server log: {len(stderr)} bytes, {tracebacks} tracebacks, {warnings} 'rejected' lines")


if __name__ == "__main__":
    main()
