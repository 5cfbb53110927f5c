"""What /slack/events checks before Bolt sees a request: size, signature, shape.

An unsigned or malformed request is answered 400/401/413 here, without a traceback:
the body is read with a size limit (413 as soon as it is exceeded, never read whole),
the signature (v0 HMAC-SHA256 over ``v0:<timestamp>:<raw body>``) is checked on the raw
bytes before anything is decoded or parsed, and only a signed body whose shape Bolt
can parse (UTF-8; a JSON object, a form, or a form whose ``payload`` is a JSON object)
goes on. Rejections are logged once per interval and reason, with a count.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
import time
from typing import Callable, Mapping
from urllib.parse import parse_qsl

log = logging.getLogger(__name__)

MAX_AGE_SECONDS = 300  # Slack's replay window


class TooLarge(Exception):
    pass


async def read_limited(request, limit: int) -> bytes:
    """The request body, refusing (TooLarge) once more than `limit` bytes arrive or are announced."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not (declared.isascii() and declared.isdigit()):
            raise ValueError("bad content-length")
        if int(declared) > limit:
            raise TooLarge()
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge()
        chunks.append(chunk)
    return b"".join(chunks)


def signature_problem(secret: bytes | None, headers: Mapping[str, str], body: bytes, now: float) -> str | None:
    """None when the request is signed with `secret` and fresh; else why not (in words)."""
    if not secret:
        return "no signing secret configured"
    stamp = headers.get("x-slack-request-timestamp") or ""
    given = headers.get("x-slack-signature") or ""
    if not (stamp.isascii() and stamp.isdigit() and len(stamp) <= 12):
        return "missing or malformed timestamp"
    if abs(now - int(stamp)) > MAX_AGE_SECONDS:
        return "stale timestamp"
    expected = "v0=" + hmac.new(secret, b"v0:" + stamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    if not given.isascii() or not hmac.compare_digest(expected, given):
        return "bad signature"
    return None


def shape_problem(body: bytes, content_type: str | None) -> str | None:
    """None when Bolt can parse the (signed) body into a dict; else why not."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return "body is not UTF-8"
    if not text:
        return None
    try:
        if content_type == "application/json" or text.startswith("{"):
            return None if isinstance(json.loads(text), dict) else "JSON body is not an object"
        form = dict(parse_qsl(text, keep_blank_values=True))
        if "payload" in text:
            payload = form.get("payload")
            if payload is not None and not isinstance(json.loads(payload), dict):
                return "payload is not a JSON object"
        elif form.get("command") and not form.get("response_url"):
            return "slash command without a response_url (nowhere to answer)"
        return None
    except ValueError:  # JSONDecodeError, and parse_qsl's own refusals
        return "body is not valid JSON or form data"


class RejectLog:
    """Log rejected requests once per `interval` seconds per reason, with how many there were."""

    def __init__(self, interval: float, clock: Callable[[], float] = time.monotonic,
                 logger: logging.Logger = log) -> None:
        self.interval, self.clock, self.log = interval, clock, logger
        self._lock = threading.Lock()
        self._last: dict[str, float] = {}
        self._count: dict[str, int] = {}

    def note(self, reason: str, status: int) -> None:
        now = self.clock()
        with self._lock:
            self._count[reason] = self._count.get(reason, 0) + 1
            last = self._last.get(reason)
            if last is not None and now - last < self.interval:
                return
            count, self._count[reason], self._last[reason] = self._count[reason], 0, now
        self.log.warning("rejected %d request(s) with %d: %s (next report in %.0fs at the earliest)",
                         count, status, reason, self.interval)


def command_key(body: Mapping[str, object]) -> str:
    """The idempotency key of a slash command: Slack's trigger id, or (without one) a key made of
    the user and the request itself (its response URL is unique per request), never a constant."""
    trigger = body.get("trigger_id")
    if trigger:
        return f"slack:cmd:{trigger}"
    parts = [str(body.get(name) or "") for name in ("team_id", "channel_id", "text", "response_url")]
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8", "replace")).hexdigest()[:32]
    return f"slack:cmd:{body.get('user_id') or 'unknown'}:{digest}"
