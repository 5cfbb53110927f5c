"""`start_slack_background` (what `tiket run` uses): HTTP served from a thread, and the
Slack outbox delivered by this process without anyone draining it by hand."""
from __future__ import annotations

import socket

import httpx

from bot.slack.runtime import start_slack_background
from tests.adapter.slack.conftest import SECRET
from tests.adapter.slack.slackhttp import SlackSender


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_background_server_answers_and_delivers_by_itself(slack_container, fake):
    port = free_port()
    stop = start_slack_background(slack_container, host="127.0.0.1", port=port)
    sender = SlackSender(f"http://127.0.0.1:{port}", SECRET, fake.base)
    try:
        def up():
            try:
                return sender.http.get(sender.base_url + "/healthz").status_code == 200
            except httpx.HTTPError:
                return False
        fake.wait_for(up)
        assert sender.command("UBUDI", "new IT Projector dead").status_code == 200
        card = fake.wait_call("chat.postMessage", channel="CIT")[0]
        assert "IT-1" in card.args["text"]
        fake.wait_call("chat.postMessage", 2, channel="CIT")  # the thread line too, paced
    finally:
        sender.close()
        stop()
    assert slack_container.notifiers["slack"].platform == "slack"
