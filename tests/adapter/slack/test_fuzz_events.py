"""Fuzzing /slack/events (hypothesis, seeded): random bodies, content types and headers, signed and unsigned.
Never a 500, never a traceback in the log, and whatever signed commands stored passes validation."""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import time
from urllib.parse import urlencode

from hypothesis import HealthCheck, given, settings, strategies as st

from tests.adapter.slack.conftest import SECRET
from tickets.model import validate_text, validate_title

SCALE = int(os.environ.get("TIKET_FUZZ_SCALE", "1"))
TEXT = st.text(alphabet=st.characters(codec=None, exclude_categories=("Cs",)), max_size=80)  # form text is UTF-8
JSONISH = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
                       lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
                       max_leaves=12)
FORM = st.dictionaries(st.sampled_from(["command", "text", "user_id", "team_id", "channel_id", "trigger_id",
                                        "response_url", "payload", "type", "token", "ssl_check"]), TEXT, max_size=6)
BODIES = st.one_of(
    st.binary(max_size=300),
    JSONISH.map(lambda v: json.dumps(v).encode()),
    FORM.map(lambda f: urlencode(f).encode("utf-8", "surrogatepass")),
    JSONISH.map(lambda v: urlencode({"payload": json.dumps(v)}).encode()),
    st.builds(lambda user, text: urlencode({"command": "/ticket", "user_id": user, "team_id": "T0001",
                                            "channel_id": "CIT", "text": text}).encode("utf-8", "surrogatepass"),
              st.sampled_from(["UBUDI", "UANDI", "USARI"]), TEXT.map(lambda s: "new IT " + s)),
)
CTYPES = st.sampled_from(["application/json", "application/x-www-form-urlencoded", "text/plain", "", "multipart/x"])
STAMPS = st.one_of(st.just("now"), st.sampled_from(["", "abc", "-1", "1e9", "99999999999999999999", "0"]))


def headers_for(body: bytes, ctype: str, stamp: str, signed: bool) -> dict[str, str]:
    stamp = str(int(time.time())) if stamp == "now" else stamp
    digest = hmac.new(SECRET.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    headers = {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest}" if signed else "v0=00"}
    if ctype:
        headers["Content-Type"] = ctype
    return headers


def test_slack_events_fuzz(slack_container, fake, caplog):
    from starlette.testclient import TestClient

    from bot.slack.runtime import build

    runtime = build(slack_container, deliver_interval=3600, pace_seconds=0)
    client = TestClient(runtime.asgi, raise_server_exceptions=True)
    statuses = set()

    @settings(max_examples=500 * SCALE, derandomize=True, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    @given(BODIES, CTYPES, STAMPS, st.booleans())
    def post(body, ctype, stamp, signed):
        resp = client.post("/slack/events", content=body, headers=headers_for(body, ctype, stamp, signed))
        statuses.add(resp.status_code)
        assert resp.status_code in (200, 400, 401, 404, 413), (resp.status_code, body[:100])

    post()
    runtime.pump.drain()  # the stored requests' work, in the foreground (no 500 from it either)
    assert 500 not in statuses and {400, 401} <= statuses
    bad = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert bad == [], [r.getMessage()[:200] for r in bad[:3]]
    with slack_container.uow() as uow:
        stored = uow.tickets.search(limit=10_000)
    for ticket in stored:
        assert validate_title(ticket.title) == ticket.title
        assert validate_text(ticket.description) == ticket.description
