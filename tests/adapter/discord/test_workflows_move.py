"""A moved ticket on Discord (REST): the old card says where it went, the new team's channel gets a card."""
from __future__ import annotations

from config.settings import Settings
from config.teams import load_teams
from config.wiring import build
from tests.adapter.discord.test_rest_delivery import fake_discord  # noqa: F401  (the fixture)
from tests.integration.workflow_helpers import TEAMS
from tickets.teams import Actor


def test_move_edits_the_old_card_and_posts_a_new_one(db_url, engine, clock, fake_discord):  # noqa: F811
    server, url = fake_discord
    settings = Settings(database_url=db_url, teams_file=str(TEAMS), _env_file=None,
                        discord={"token": "test-token", "api_url": url})
    container = build(settings, clock=clock, directory=load_teams(TEAMS), platforms=frozenset({"discord"}),
                      migrate=False, engine=engine)
    notifier = container.notifiers["discord"]
    try:
        ticket = container.service.open(Actor("discord:42"), "IT", "need 6 chairs").ticket
        container.dispatcher().drain()
        container.service.move(Actor("discord:201"), ticket.key, "LOG")
        container.dispatcher().drain()
        edits = [(p, b) for m, p, b in server.calls if m == "PATCH" and p.startswith("/api/v10/channels/1001/")]
        assert edits and "moved to LOG-1" in edits[-1][1]["content"] and edits[-1][1]["embeds"] == []
        new_card = [b for m, p, b in server.calls if m == "POST" and p == "/api/v10/channels/1003/messages"]
        assert new_card and new_card[0]["embeds"][0]["title"].startswith("LOG-1")
    finally:
        notifier.transport.close()
