"""How fast `tiket serve web` acknowledges WhatsApp webhook calls, and that none is lost.

Starts the real web process (`tiket serve web`) with WhatsApp configured against the fake Graph
API on loopback. A warm-up opens one ticket per "old" number. Then N concurrent webhook calls
signed like Meta's (X-Hub-Signature-256): half from new numbers (each opens a ticket), half
follow-ups from the old numbers (each adds a comment). Prints the acknowledgement latency
(p50/p95/p99/max) against the baseline GET /healthz fired at the same concurrency on the same
server in the same run, the tickets and comments created and the calls lost (acknowledged but
never turned into a ticket or comment). Meta wants a 200 within a few seconds; the aim is p99 < 300 ms.

    python -m bench.whatsapp [--concurrency 200] [--database-url URL] [--smoke]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from sqlalchemy import create_engine, func, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.slack_ack import fire, free_port, percentile  # noqa: E402
from storage.models import CommentRow, TicketRow  # noqa: E402
from tests.adapter.whatsapp.fake_graph import FakeGraph  # noqa: E402
from tests.adapter.whatsapp.meta import sign  # noqa: E402
from tickets.ports import SystemClock  # noqa: E402

SECRET = "bench-app-secret"
PHONE_ID = "1098765432"


def webhook_body(number: str, n: int, text: str) -> bytes:
    digits = number.lstrip("+")
    return json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{
        "field": "messages", "value": {
            "messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550001111",
                                                          "phone_number_id": PHONE_ID},
            "contacts": [{"profile": {"name": f"Bench {n}"}, "wa_id": digits}],
            "messages": [{"from": digits, "id": f"wamid.bench{n:08d}", "timestamp": str(int(time.time())),
                          "type": "text", "text": {"body": text}}]}}]}]}).encode()


def teams_file(folder: str) -> str:
    """The test teams, with IT taking WhatsApp requests (one team: a first message opens at once)."""
    text = (ROOT / "tests/fixtures/teams.toml").read_text()
    text = text.replace('name = "IT Helpdesk"\n', 'name = "IT Helpdesk"\nwhatsapp = true\n', 1)
    path = Path(folder) / "teams.toml"
    path.write_text(text)
    return str(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--smoke", action="store_true", help="tiny size, to check the benchmark runs")
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    args = parser.parse_args()
    if args.smoke:
        args.concurrency = 4
    graph = FakeGraph(SystemClock(), phone_number_id=PHONE_ID).start()
    tmp = tempfile.TemporaryDirectory()
    url = args.database_url or f"sqlite:///{tmp.name}/bench.db"
    if args.database_url:
        from storage.migrate import upgrade

        upgrade(url)
    port = free_port()
    env = {**os.environ, "TIKET_DATABASE_URL": url, "TIKET_TEAMS_FILE": teams_file(tmp.name),
           "TIKET_RATE_LIMIT_PER_HOUR": "0", "TIKET_SCHEDULER__DELIVER_SECONDS": "0.2",
           "TIKET_WHATSAPP__TOKEN": graph.token, "TIKET_WHATSAPP__APP_SECRET": SECRET,
           "TIKET_WHATSAPP__VERIFY_TOKEN": "bench", "TIKET_WHATSAPP__PHONE_NUMBER_ID": PHONE_ID,
           "TIKET_WHATSAPP__API_URL": graph.api_url, "TIKET_WHATSAPP__TEMPLATE": "tiket_update",
           "TIKET_WHATSAPP__PER_SECOND": "10000", "TIKET_WHATSAPP__PAIR_BURST": "100"}
    for name in ("TIKET_SLACK__BOT_TOKEN", "TIKET_SLACK__APP_TOKEN", "TIKET_DISCORD__TOKEN"):
        env.pop(name, None)
    server = subprocess.Popen([sys.executable, "-m", "cli.main", "serve", "web", "--host", "127.0.0.1",
                               "--port", str(port)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    try:
        run(args, graph, f"http://127.0.0.1:{port}", url, server)
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        graph.stop()
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


def counts(url: str) -> tuple[int, int]:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as conn:
        tickets = conn.execute(select(func.count()).select_from(TicketRow)
                               .where(TicketRow.source == "whatsapp")).scalar_one()
        comments = conn.execute(select(func.count()).select_from(CommentRow)
                                .where(CommentRow.author.like("whatsapp:%"))).scalar_one()
    engine.dispose()
    return tickets, comments


def wait_for(url: str, tickets: int, comments: int, timeout: float) -> tuple[int, int]:
    deadline = time.monotonic() + timeout
    while True:
        got = counts(url)
        if (got[0] >= tickets and got[1] >= comments) or time.monotonic() > deadline:
            return got
        time.sleep(0.2)


def run(args, graph: FakeGraph, base: str, url: str, server: subprocess.Popen) -> None:
    wait_ready(base, server)
    half = max(1, args.concurrency // 2)
    old = [f"+62811{n:07d}" for n in range(half)]
    new = [f"+62812{n:07d}" for n in range(args.concurrency - half)]
    for number in old + new:
        graph.inbound(number)  # the window is open at Meta for everyone who writes
    post = lambda http, body: http.post(base + "/whatsapp/webhook", content=body, headers={  # noqa: E731
        "Content-Type": "application/json", "X-Hub-Signature-256": sign(SECRET, body)})
    warm = [webhook_body(number, i, f"Laptop {i} tidak menyala") for i, number in enumerate(old)]
    fire(len(warm), lambda http, i: post(http, warm[i]))
    warm_tickets, _ = wait_for(url, len(old), 0, timeout=120)
    calls = ([webhook_body(number, 10_000 + i, f"Printer {i} rusak") for i, number in enumerate(new)]
             + [webhook_body(number, 20_000 + i, f"Masih belum bisa ({i})") for i, number in enumerate(old)])
    healthz = fire(len(calls), lambda http, i: http.get(base + "/healthz"))
    start = time.perf_counter()
    acks = fire(len(calls), lambda http, i: post(http, calls[i]))
    tickets, comments = wait_for(url, warm_tickets + len(new), len(old), timeout=180)
    done_s = time.perf_counter() - start
    replies = len([m for m in graph.sent() if m["type"] == "text"])
    created, commented = tickets - warm_tickets, comments
    lost = (len(new) - created) + (len(old) - commented)
    backend = "postgresql" if url.startswith("postgres") else "sqlite"
    print(f"whatsapp webhook benchmark: tiket serve web on {backend}, {len(calls)} concurrent signed webhook "
          f"calls ({len(new)} first messages, {len(old)} follow-ups; {len(warm)} warm-up first messages before)")
    print(f"{'':26}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    for name, values in (("baseline GET /healthz", healthz), ("POST /whatsapp/webhook ack", acks)):
        print(f"{name:26}{statistics.median(values):9.1f}{percentile(values, 95):9.1f}"
              f"{percentile(values, 99):9.1f}{max(values):9.1f}")
    ratio = percentile(acks, 99) / max(percentile(healthz, 99), 0.001)
    print(f"ratio ack/baseline at p99: {ratio:.2f}x   (aim: ack p99 < 300 ms)")
    print(f"tickets created: {created} of {len(new)}   comments created: {commented} of {len(old)}   "
          f"all done {done_s:.1f} s after the burst   answers sent on WhatsApp: {replies}")
    print(f"lost calls: {lost}")


if __name__ == "__main__":
    main()
