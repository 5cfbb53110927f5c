"""Hostile requests to /slack/events (issue 10, findings 2, 7 and 8): 401 for anything unsigned, 400 for
signed junk, 413 for oversize bodies while they are read, no traceback, bad requests logged once per interval."""
from __future__ import annotations

import hashlib
import hmac
import logging
import select
import socket
import time
from urllib.parse import urlencode

import pytest

from bot.slack.guard import RejectLog, command_key, shape_problem, signature_problem
from tests.adapter.slack.conftest import SECRET

JUNK = [
    (b"null", "application/json"),
    (b"{not json", "application/json"),
    (b"[1, 2, 3]", "application/json"),
    (b"payload=%7B", "application/x-www-form-urlencoded"),
    (b"payload=%5B%5D", "application/x-www-form-urlencoded"),
    (b"payload=null", "application/x-www-form-urlencoded"),
    (b"\xff\xfe\xfa not utf-8", "application/x-www-form-urlencoded"),
    (b"{\"type\": \"event_callback\", \"event\": null}\xff", "application/json"),
]


def signed(body: bytes, stamp: str | None = None) -> dict[str, str]:
    stamp = stamp if stamp is not None else str(int(time.time()))
    digest = hmac.new(SECRET.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest}"}


def streamed_until_answered(base_url: str, headers: dict[str, str]) -> tuple[int, bytes]:
    """Send a chunked body (no Content-Length) of up to 100 MB, 64 KB at a time, until the server answers;
    (bytes sent, the answer's first bytes)."""
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        sock.sendall(f"POST /slack/events HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: chunked\r\n"
                     f"Content-Type: application/json\r\n{head}\r\n".encode())
        chunk = b"%x\r\n" % 65536 + b"c" * 65536 + b"\r\n"
        sent = 0
        for _ in range(1600):
            if select.select([sock], [], [], 0)[0]:
                break
            try:
                sock.sendall(chunk)
            except OSError:  # the server closed the connection after answering
                break
            sent += 65536
        return sent, sock.recv(200)


def tracebacks(caplog) -> list:
    return [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR or "Traceback" in r.getMessage()]


@pytest.mark.parametrize("body,ctype", JUNK)
def test_unsigned_junk_is_401_and_signed_junk_is_400(slack, caplog, body, ctype):
    post = slack.send.http.post
    unsigned = post(slack.send.url, content=body, headers={"Content-Type": ctype})
    forged = post(slack.send.url, content=body, headers={"Content-Type": ctype, **signed(body + b"x")})
    good = post(slack.send.url, content=body, headers={"Content-Type": ctype, **signed(body)})
    assert (unsigned.status_code, forged.status_code) == (401, 401)
    assert good.status_code == 400, good.text
    assert tracebacks(caplog) == []


@pytest.mark.parametrize("stamp", ["abc", "", "1.5", "1e9", "99999999999999999999", "-1", "0x10"])
def test_bad_timestamps_are_401(slack, caplog, stamp):
    body = b"command=%2Fticket&text=list&user_id=UBUDI"
    headers = {"Content-Type": "application/x-www-form-urlencoded", **signed(body, stamp)}
    assert slack.send.http.post(slack.send.url, content=body, headers=headers).status_code == 401
    assert tracebacks(caplog) == []


def test_oversize_bodies_get_413_while_being_read(slack, caplog):
    limit = slack.container.settings.limits.max_body_bytes
    big = b"a" * (limit + 1)
    announced = slack.send.http.post(slack.send.url, content=big, headers=signed(big))
    assert announced.status_code == 413
    sent = streamed_until_answered(slack.send.base_url, signed(b""))
    assert sent[1].startswith(b"HTTP/1.1 413"), sent[1][:80]
    assert sent[0] < 16 * 1_048_576  # answered long before 100 MB: the server never reads it whole
    just_under = slack.send.http.post(slack.send.url, content=b"a" * (limit - 1), headers=signed(b"a" * (limit - 1)))
    assert just_under.status_code != 413
    assert tracebacks(caplog) == []


def test_repeated_bad_requests_are_logged_once_per_interval(slack, caplog):
    caplog.set_level(logging.WARNING, logger="bot.slack.guard")
    for _ in range(200):
        slack.send.http.post(slack.send.url, content=b"null", headers={"Content-Type": "application/json"})
    lines = [r for r in caplog.records if r.name == "bot.slack.guard"]
    assert 1 <= len(lines) <= 2 and "rejected" in lines[0].getMessage()
    assert sum(len(r.getMessage()) for r in caplog.records) < 2_000  # was 800 KB of tracebacks


def test_reject_log_counts_and_reports_again_after_the_interval():
    now = [0.0]
    records = []

    class Sink:
        def warning(self, fmt, *args):
            records.append(fmt % args)

    rejects = RejectLog(60, clock=lambda: now[0], logger=Sink())
    for _ in range(5):
        rejects.note("bad signature", 401)
    now[0] = 61
    rejects.note("bad signature", 401)
    rejects.note("oversize", 413)
    assert len(records) == 3 and records[1].startswith("rejected 5 request(s) with 401")


def test_signature_and_shape_checks_in_isolation():
    body, now = b"a=1", time.time()
    headers = {k.lower(): v for k, v in signed(body).items()}
    assert signature_problem(SECRET.encode(), headers, body, now) is None
    assert signature_problem(None, headers, body, now) == "no signing secret configured"
    assert signature_problem(SECRET.encode(), headers, body, now + 3600) == "stale timestamp"
    assert signature_problem(SECRET.encode(), {**headers, "x-slack-signature": "v0=é"}, body, now) == "bad signature"
    assert shape_problem(b'{"type": "url_verification"}', "application/json") is None
    assert shape_problem(b"token=x&text=hi", "application/x-www-form-urlencoded") is None
    assert shape_problem(b"payload=%7B%7D", None) is None


def test_a_signed_command_without_trigger_id_keeps_each_users_request(slack, fake):
    for user, title in (("UBUDI", "printer jammed"), ("URINA", "monitor dark")):
        form = {"team_id": "T0001", "channel_id": "CIT", "user_id": user, "command": "/ticket",
                "text": f"new IT {title}", "response_url": slack.send.response_url()}
        assert slack.send.send(urlencode(form), "application/x-www-form-urlencoded").status_code == 200
    slack.settle()  # the inbox worker runs both stored commands and answers them
    answers = fake.wait_call("response_url", count=2)
    texts = sorted(a.args["text"] for a in answers)
    assert any("printer jammed" in t for t in texts) and any("monitor dark" in t for t in texts), texts
    with slack.container.uow() as uow:
        assert {uow.tickets.get("IT", n).title for n in (1, 2)} == {"printer jammed", "monitor dark"}


def test_command_key_never_constant():
    a = command_key({"user_id": "U1", "text": "new IT x", "response_url": "https://r/1"})
    b = command_key({"user_id": "U2", "text": "new IT x", "response_url": "https://r/1"})
    c = command_key({"user_id": "U1", "text": "new IT x", "response_url": "https://r/2"})
    assert len({a, b, c}) == 3 and "None" not in a and a.startswith("slack:cmd:U1:")
    assert command_key({"trigger_id": "13345.1", "user_id": "U1"}) == "slack:cmd:13345.1"


def test_readyz_says_what_is_wrong_without_internals(slack_container):
    from starlette.testclient import TestClient

    from bot.slack.web import asgi_app
    from storage.db import make_engine

    slack_container.engine = make_engine("postgresql://tiket:secret@127.0.0.1:9/nowhere")
    client = TestClient(asgi_app(slack_container, None))
    resp = client.get("/readyz")
    assert resp.status_code == 503
    body = resp.text
    assert "unreachable" in resp.json()["database"]
    for secret in ("127.0.0.1", ":9", "nowhere", "tiket", "psycopg", "OperationalError", "connection"):
        assert secret not in body, (secret, body)
