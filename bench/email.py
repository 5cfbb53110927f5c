"""What Tiket adds to reading mail: N mails in a real Dovecot mailbox -> tickets and acknowledgements.

Starts Dovecot (a throwaway configuration on a loopback port) and aiosmtpd, puts N mails from
N different senders into the mailbox with IMAP APPEND, then, in the same run:
  baseline: fetch and parse the same N mails over IMAP (headers, then bodies), no tickets;
  tiket:    the mail worker: fetch -> inbox -> ticket -> move to Tiket/Processed -> acknowledgement
            delivered to the SMTP server.
Prints mails turned into tickets per second, the time until the last acknowledgement reached
the SMTP server, and the ratio against the baseline.

    python -m bench.email [--mails 1000] [--smoke] [--database-url URL]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from email.utils import make_msgid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.adapter.email.servers import Dovecot, SmtpRecorder  # noqa: E402

TEAMS = ROOT / "tests" / "adapter" / "email" / "teams.toml"


def make_mail(n: int) -> bytes:
    return (f"From: Sender {n} <sender{n}@corp.example>\r\nTo: it@corp.example\r\n"
            f"Subject: Request number {n}: laptop does not start\r\nMessage-ID: {make_msgid(domain='bench.example')}\r\n"
            f"Date: Mon, 23 Nov 2026 09:00:00 +0700\r\nMIME-Version: 1.0\r\n"
            f"Content-Type: text/plain; charset=utf-8\r\n\r\n"
            f"Hello,\r\n\r\nmy laptop ({n}) shows a black screen since this morning.\r\n\r\nThanks,\r\nSender {n}\r\n"
            ).encode()


def fill(dovecot: Dovecot, user: str, count: int) -> None:
    client = dovecot.client(user)
    try:
        for n in range(count):
            client.append("INBOX", "", None, make_mail(n))
    finally:
        client.logout()


def baseline(url: str, count: int) -> float:
    """Fetch and parse every mail as the worker does, without creating anything."""
    from bot.email.fetch import _fetched, connect
    from bot.email.parse import read_mail

    started = time.perf_counter()
    box = connect(url)
    uids = list(box.uids("ALL"))
    parsed = 0
    for start in range(0, len(uids), 100):
        chunk = ",".join(uids[start:start + 100])
        box.client.uid("FETCH", chunk, "(UID RFC822.SIZE BODY.PEEK[HEADER])")
        for sub in range(start, min(start + 100, len(uids)), 20):
            typ, data = box.client.uid("FETCH", ",".join(uids[sub:sub + 20]), "(UID BODY.PEEK[])")
            for _, _, raw in _fetched(data):
                read_mail(raw)
                parsed += 1
    box.logout()
    assert parsed == count, (parsed, count)
    return time.perf_counter() - started


def run_tiket(url: str, smtp: SmtpRecorder, count: int, database_url: str) -> tuple[float, float]:
    from config.settings import Settings
    from config.teams import load_teams
    from config.wiring import build
    from bot.email.runtime import MailWorker
    from storage.inbox import SqlInbox

    settings = Settings(database_url=database_url, teams_file=str(TEAMS), rate_limit_per_hour=count + 10,
                        email={"imap_url": url, "smtp_url": smtp.url, "from": "IT <helpdesk@corp.example>"},
                        _env_file=None)
    container = build(settings, directory=load_teams(TEAMS, rate_limit_per_hour=count + 10),
                      platforms=frozenset({"console", "email"}), migrate=True)
    worker = MailWorker(container)
    inbox = SqlInbox(container.engine, getattr(container, "cipher", None))
    started = time.perf_counter()
    tickets_done = None
    deadline = started + 3600
    while time.perf_counter() < deadline:
        worker.fetcher.sync()  # new mail -> the inbox (and finished mail -> Tiket/Processed)
        worker.worker.drain(limit=100, rounds=1000)  # stored mail -> tickets, acknowledgements queued
        if tickets_done is None and inbox.counts("email").get("done", 0) >= count:
            tickets_done = time.perf_counter() - started
        while worker.deliver():  # acknowledgements -> the SMTP server
            pass
        if len(smtp.received) >= count:
            worker.fetcher.sync()
            break
    last_ack = smtp.arrived[-1] - started if smtp.arrived else float("nan")
    worker.fetcher.close()
    container.engine.dispose()
    return tickets_done or float("nan"), last_ack


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mails", type=int, default=1000)
    parser.add_argument("--smoke", action="store_true", help="a tiny run (CI)")
    parser.add_argument("--database-url", default=None, help="default: a new SQLite file")
    args = parser.parse_args(argv)
    count = 5 if args.smoke else args.mails
    dovecot = Dovecot().start()
    smtp = SmtpRecorder().start()
    try:
        fill(dovecot, "bench", count)
        url = dovecot.url("bench")
        with tempfile.TemporaryDirectory() as tmp:
            database_url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
            base = baseline(url, count)
            tickets, last_ack = run_tiket(url, smtp, count, database_url)
    finally:
        smtp.stop()
        dovecot.stop()
    print(f"mails: {count} (Dovecot IMAP on loopback, aiosmtpd; {database_url.split(':')[0]})")
    print(f"baseline fetch+parse only: {base:.2f} s ({count / base:.0f} mails/s)")
    print(f"tiket mails -> tickets:    {tickets:.2f} s ({count / tickets:.1f} tickets/s)")
    print(f"last acknowledgement at the SMTP server after: {last_ack:.2f} s ({len(smtp.received)} acks)")
    print(f"ratio tickets/baseline: {tickets / base:.1f}x the time of fetching and parsing alone")
    return 0 if len(smtp.received) == count else 1


if __name__ == "__main__":
    raise SystemExit(main())
