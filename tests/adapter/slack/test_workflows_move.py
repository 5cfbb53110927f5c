"""A moved ticket on Slack: the old card says where it went, the new team's channel gets a card."""
from __future__ import annotations

from config.teams import load_teams
from storage import slack_refs
from config.wiring import build
from tests.adapter.slack.conftest import slack_settings
from tests.integration.workflow_helpers import TEAMS
from tickets.teams import Actor


def test_move_edits_the_old_card_and_posts_a_new_one(db_url, fake, engine, clock):
    settings = slack_settings(db_url, fake).model_copy(update={"teams_file": str(TEAMS)})
    container = build(settings, clock=clock, directory=load_teams(TEAMS), platforms=frozenset({"slack"}),
                      migrate=False, engine=engine)
    ticket = container.service.open(Actor("slack:UBUDI"), "IT", "need 6 chairs").ticket
    container.dispatcher().drain()
    channel, card_ts = slack_refs.get_refs(engine, ticket.id)["card"].split(":")
    assert channel == "CIT"
    container.service.move(Actor("slack:UANDI"), ticket.key, "LOG", "chairs are logistics")
    container.dispatcher().drain()
    edit = fake.calls_to("chat.update", channel="CIT")[-1]
    assert "moved to LOG-1" in edit.args["text"] and edit.args["ts"] == card_ts
    new_cards = [c for c in fake.calls_to("chat.postMessage") if c.args.get("channel") == "CLOG"]
    assert new_cards and "LOG-1" in str(new_cards[0].args)
    old_thread = [c for c in fake.calls_to("chat.postMessage", channel="CIT")
                  if c.args.get("thread_ts") == card_ts]
    assert any("LOG-1" in c.args["text"] for c in old_thread)  # the old thread heard where it went
    # a later change edits the new card, never the old one
    container.service.claim(Actor("slack:UJOKO"), "IT-1")
    container.dispatcher().drain()
    assert len(fake.calls_to("chat.update", channel="CIT")) == 1


def test_the_approver_gets_approve_and_reject_buttons_by_dm(db_url, fake, engine, clock):
    settings = slack_settings(db_url, fake).model_copy(update={"teams_file": str(TEAMS)})
    container = build(settings, clock=clock, directory=load_teams(TEAMS), platforms=frozenset({"slack"}),
                      migrate=False, engine=engine)
    container.service.open(Actor("slack:UBUDI"), "HR", "certificate", category="surat keterangan")
    container.dispatcher().drain()
    dm = [c for c in fake.calls_to("chat.postMessage", channel="DSARI") if c.args.get("blocks")]
    assert dm, "no approval DM"
    actions = dm[0].args["blocks"][1]["elements"]
    assert [(b["action_id"], b["value"]) for b in actions] == [("card_approve", "HR-1"), ("approval_reject", "HR-1")]
