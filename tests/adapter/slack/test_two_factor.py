"""Slack fills Actor.mfa from users.info's has_2fa when the token may see it (issue 10)."""
from __future__ import annotations


def test_slack_actor_carries_has_2fa_when_slack_shows_it(slack_container, fake):
    from bot.slack.runtime import build
    from slack_sdk import WebClient

    fake.users.update({"UANDI": {"has_2fa": True}, "URINA": {"has_2fa": False}})
    client = WebClient(token="xoxb-test", base_url=fake.api_url)
    deps = build(slack_container).deps
    assert deps.actor(client, "UANDI").mfa is True
    assert deps.actor(client, "URINA").mfa is False
    assert deps.actor(client, "UJOKO").mfa is None  # the token cannot see it
