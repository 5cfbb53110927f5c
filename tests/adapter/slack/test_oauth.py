"""Multi-workspace: the OAuth install keeps the installation in our database; requests
from that workspace use its token; uninstalling removes it. Slack user groups as roles."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from bot.slack.oauth import token_lookup
from config.wiring import build
from tests.adapter.slack.conftest import serve, slack_settings


@pytest.fixture
def multi(db_url, fake, engine, clock, directory):
    settings = slack_settings(db_url, fake, bot_token=None, client_id="111.222", client_secret="s3cret")
    container = build(settings, clock=clock, directory=directory, platforms=frozenset({"slack"}), migrate=False,
                      engine=engine)
    served, stop = serve(container, fake)
    yield served
    stop()


def count(engine, table: str) -> int:
    with Session(engine) as s:
        return s.scalar(select(func.count()).select_from(text(table)))


def test_oauth_install_then_use_then_uninstall(multi, fake):
    http, base = multi.send.http, multi.send.base_url
    page = http.get(base + "/slack/install")
    assert page.status_code == 200
    state = re.search(r"slack-app-oauth-state=([^;]+)", page.headers["set-cookie"]).group(1)
    assert f"state={state}" in page.text and "client_id=111.222" in page.text
    forged = http.get(base + "/slack/oauth_redirect", params={"code": "c0de", "state": "forged"},
                      headers={"Cookie": f"slack-app-oauth-state={state}"})
    assert forged.status_code >= 400 and count(multi.container.engine, "slack_installations") == 0
    done = http.get(base + "/slack/oauth_redirect", params={"code": "c0de", "state": state},
                    headers={"Cookie": f"slack-app-oauth-state={state}"})
    assert done.status_code == 200, done.text
    assert fake.calls_to("oauth.v2.access")[0].args["code"] == "c0de"
    engine = multi.container.engine
    assert count(engine, "slack_installations") == 1 and count(engine, "slack_bots") == 1
    assert token_lookup(multi.container.settings, multi.container.slack_installed_token())("T0INSTALL") \
        == "xoxb-installed"

    multi.send.team = "T0INSTALL"
    multi.send.command("UBUDI", "new IT Keyboard")
    multi.deliver()
    assert "IT-1" in fake.wait_call("response_url")[0].args["text"]
    assert {c.token for c in fake.calls_to("users.info")} == {"xoxb-installed"}
    assert fake.calls_to("chat.postMessage", channel="CIT")[0].token == "xoxb-installed"

    multi.send.event({"type": "app_uninstalled"}, event_id="EvU")
    multi.settle()
    fake.wait_for(lambda: count(engine, "slack_bots") == 0)
    assert count(engine, "slack_installations") == 0


def test_slack_user_groups_give_team_roles(slack_container, fake, directory):
    from dataclasses import replace

    from bot.slack.runtime import build

    it = directory.teams["IT"]
    slack_container.directory = replace(directory, teams={**directory.teams,
                                                          "IT": replace(it, agents=it.agents | {"slack-group:S9"})})
    fake.usergroups["S9"] = ["UNEW"]
    deps = build(slack_container).deps
    from bot.slack.notifier import make_client

    client = make_client("xoxb-test", fake.api_url)
    newcomer = deps.actor(client, "UNEW")
    assert newcomer.groups == {"slack-group:S9"}
    assert slack_container.directory.is_agent(newcomer, slack_container.directory.teams["IT"])
    assert deps.actor(client, "UBUDI").groups == frozenset()
    deps.actor(client, "UNEW")
    assert len(fake.calls_to("usergroups.users.list")) == 1  # cached
