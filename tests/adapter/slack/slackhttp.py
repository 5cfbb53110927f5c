"""Requests exactly as Slack sends them: signed with the signing secret (v0 HMAC-SHA256
over ``v0:<timestamp>:<body>``), form-encoded slash commands, ``payload=`` interactivity,
JSON Events API callbacks (with X-Slack-Retry-Num/Reason on retries)."""
from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from urllib.parse import urlencode

import httpx

_ids = itertools.count(1)


def sign(secret: str, body: str, timestamp: int | None = None) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


class SlackSender:
    def __init__(self, base_url: str, secret: str, fake_base: str, team: str = "T0001") -> None:
        self.url = base_url + "/slack/events"
        self.base_url = base_url
        self.secret = secret
        self.fake_base = fake_base
        self.team = team
        self.http = httpx.Client(timeout=10)

    def close(self) -> None:
        self.http.close()

    def send(self, body: str, content_type: str, *, headers: dict | None = None,
             secret: str | None = None, timestamp: int | None = None) -> httpx.Response:
        all_headers = {"Content-Type": content_type, **sign(secret or self.secret, body, timestamp),
                       **(headers or {})}
        return self.http.post(self.url, content=body.encode(), headers=all_headers)

    def response_url(self) -> str:
        return f"{self.fake_base}/response/{next(_ids)}"

    def command(self, user: str, text: str, channel: str = "CIT", **kw) -> httpx.Response:
        form = {"token": "legacy", "team_id": self.team, "team_domain": "acme", "channel_id": channel,
                "channel_name": "it", "user_id": user, "user_name": user.lower(), "command": "/ticket",
                "text": text, "api_app_id": "A0TIKET", "is_enterprise_install": "false",
                "response_url": self.response_url(), "trigger_id": f"trig.{next(_ids)}"}
        return self.send(urlencode(form), "application/x-www-form-urlencoded", **kw)

    def interact(self, payload: dict, **kw) -> httpx.Response:
        payload = {"team": {"id": self.team, "domain": "acme"}, "api_app_id": "A0TIKET", "token": "legacy",
                   "is_enterprise_install": False, **payload}
        return self.send(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded", **kw)

    def action(self, user: str, action: dict, *, channel: str = "CIT", message_ts: str = "1.0") -> httpx.Response:
        return self.interact({"type": "block_actions", "user": {"id": user, "team_id": self.team},
                              "trigger_id": f"trig.{next(_ids)}", "response_url": self.response_url(),
                              "channel": {"id": channel}, "container": {"type": "message", "channel_id": channel,
                                                                        "message_ts": message_ts},
                              "message": {"ts": message_ts, "text": ""}, "actions": [action]})

    def event(self, event: dict, *, event_id: str | None = None, retry: int | None = None,
              **kw) -> httpx.Response:
        body = {"token": "legacy", "team_id": self.team, "api_app_id": "A0TIKET", "type": "event_callback",
                "event": event, "event_id": event_id or f"Ev{next(_ids):08d}",
                "event_time": int(time.time()), "authorizations": [{"team_id": self.team, "user_id": "UBOT",
                                                                     "is_bot": True}]}
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else {}
        return self.send(json.dumps(body), "application/json", headers=headers, **kw)
