"""The team workflows on Slack, through the real Bolt app: /ticket commands in both languages,
the approver's buttons and reason modal, the card's "Reply with…" select and DM intake."""
from __future__ import annotations

import json

import pytest

from config.teams import load_teams
from config.wiring import build
from tests.adapter.slack.conftest import serve, slack_settings
from tests.integration.workflow_helpers import TEAMS
from tickets.teams import Actor


@pytest.fixture
def wslack(db_url, fake, engine, clock):
    settings = slack_settings(db_url, fake).model_copy(update={"teams_file": str(TEAMS)})
    container = build(settings, clock=clock, directory=load_teams(TEAMS), platforms=frozenset({"slack"}),
                      migrate=False, engine=engine)
    served, stop = serve(container, fake)
    yield served
    stop()


def ticket(slack, team, number):
    with slack.container.uow() as uow:
        return uow.tickets.get(team, number)


def answers(fake):
    return [c.args.get("text", "") for c in fake.calls_to("response_url")]


@pytest.mark.parametrize("words", [("move", "tag", "merge"), ("pindah", "label", "gabung")])
def test_commands_in_both_languages_and_refusals(wslack, fake, words):
    s = wslack.container.service
    s.open(Actor("slack:UBUDI"), "IT", "chairs")
    s.open(Actor("slack:UBUDI"), "IT", "printer jam")
    s.open(Actor("slack:UANI"), "IT", "printer jam again")
    move, tag, merge = words
    assert wslack.send.command("UBUDI", f"{move} IT-1 LOG").status_code == 200  # the requester may not
    wslack.send.command("UANDI", f"{move} IT-1 LOG chairs are logistics")
    wslack.send.command("UANDI", f"{tag} IT-2 +printer")
    wslack.send.command("UANDI", f"{merge} IT-3 IT-2")
    wslack.settle()
    fake.wait_call("response_url", 4)
    assert ticket(wslack, "IT", 1).key == "LOG-1" and ticket(wslack, "IT", 2).tags == {"printer"}
    assert ticket(wslack, "IT", 3).status.value == "closed"
    assert any("may not move" in a for a in answers(fake)), answers(fake)  # the requester's try was refused


def test_approver_buttons_and_reason_modal(wslack, fake):
    s = wslack.container.service
    s.open(Actor("slack:UBUDI"), "HR", "certificate", category="surat keterangan")
    s.open(Actor("slack:UBUDI"), "HR", "another certificate", category="surat keterangan")
    wslack.send.action("UDEWI", {"action_id": "card_approve", "block_id": "approval:HR-1", "type": "button",
                                 "value": "HR-1"}, channel="DDEWI")
    wslack.settle()
    assert ticket(wslack, "HR", 1).status.value == "awaiting_approval"  # Dewi is no approver
    wslack.send.action("USARI", {"action_id": "card_approve", "block_id": "approval:HR-1", "type": "button",
                                 "value": "HR-1"}, channel="DSARI")
    wslack.settle()
    assert ticket(wslack, "HR", 1).status.value == "new"
    wslack.send.action("USARI", {"action_id": "approval_reject", "block_id": "approval:HR-2", "type": "button",
                                 "value": "HR-2"}, channel="DSARI")
    modal = fake.wait_call("views.open")[0].args["view"]
    assert modal["callback_id"] == "approval_reject" and json.loads(modal["private_metadata"]) == {"key": "HR-2"}
    view = {**modal, "id": "VREJ", "state": {"values": {"reason": {"value": {"type": "plain_text_input",
                                                                              "value": None}}}}}
    empty = wslack.send.interact({"type": "view_submission", "user": {"id": "USARI"}, "view": view})
    assert empty.json()["response_action"] == "errors"
    view["state"]["values"]["reason"]["value"]["value"] = "issued last week"
    ok = wslack.send.interact({"type": "view_submission", "user": {"id": "USARI"}, "view": view})
    assert ok.status_code == 200
    rejected = ticket(wslack, "HR", 2)
    assert rejected.status.value == "closed" and rejected.workflow["approval"]["by"] == "slack:USARI"


def test_reply_with_select_on_the_card(wslack, fake):
    s = wslack.container.service
    s.open(Actor("slack:UBUDI"), "IT", "slow laptop")
    wslack.deliver()
    card = [c for c in wslack.posts("CIT") if c.args.get("blocks") and not c.args.get("thread_ts")][0]
    select = [e for e in card.args["blocks"][1]["elements"] if e.get("action_id") == "card_macro"][0]
    assert select["options"][0]["value"] == "IT-1|restart"
    wslack.send.action("UANDI", {"action_id": "card_macro", "block_id": "card:IT-1", "type": "static_select",
                                 "selected_option": {"value": "IT-1|restart"}})
    wslack.settle()
    assert ticket(wslack, "IT", 1).status.value == "waiting" and "restart" in ticket(wslack, "IT", 1).tags


def test_a_dm_that_is_no_command_asks_the_team_then_becomes_a_ticket(wslack, fake):
    ts = fake.add_message("DBUDI", "UBUDI", "Kursi di ruang rapat patah\nkakinya goyang")
    wslack.send.event({"type": "message", "channel": "DBUDI", "channel_type": "im", "user": "UBUDI",
                       "text": "Kursi di ruang rapat patah\nkakinya goyang", "ts": ts})
    question = fake.wait_call("chat.postMessage", channel="DBUDI")[0]
    buttons = question.args["blocks"][1]["elements"]
    assert {b["value"].split("|")[0] for b in buttons} == {"IT", "HR", "LOG"}
    log = next(b for b in buttons if b["value"].startswith("LOG|"))
    wslack.send.action("UBUDI", {**log, "block_id": question.args["blocks"][1]["block_id"]}, channel="DBUDI")
    wslack.settle()
    made = ticket(wslack, "LOG", 1)
    assert made is not None and made.title == "Kursi di ruang rapat patah" and made.requester == "slack:UBUDI"
    # a command typed in a DM is run, not offered
    wslack.send.event({"type": "message", "channel": "DBUDI", "channel_type": "im", "user": "UBUDI",
                       "text": "lihat LOG-1", "ts": "99.1"})
    fake.wait_call("chat.postMessage", 2, channel="DBUDI")
    assert "LOG-1" in fake.calls_to("chat.postMessage", channel="DBUDI")[1].args["text"]


def test_the_card_shows_approval_fields_and_tags(wslack, fake):
    s = wslack.container.service
    s.open(Actor("slack:UBUDI"), "HR", "leave", category="cuti", fields={"start": "2026-12-01", "days": "2"})
    wslack.deliver()
    card = [c for c in wslack.posts("CHR") if c.args.get("blocks") and not c.args.get("thread_ts")][0]
    text = str(card.args["blocks"][0]["fields"])
    assert "Approval" in text and "awaiting approval" in text and "days: 2 · start: 2026-12-01" in text
    s.approve(Actor("slack:USARI"), "HR-1")  # no manager known for slack:UBUDI: the supervisors decide
    s.tag(Actor("slack:UDEWI"), "HR-1", "+cuti-tahunan")
    wslack.deliver()
    update = fake.calls_to("chat.update")[-1]
    assert "Approved by" in str(update.args["blocks"]) and "cuti-tahunan" in str(update.args["blocks"])


def test_files_shared_in_the_card_thread_are_kept_with_the_ticket(wslack, fake):
    from storage import slack_refs

    ticket_id = wslack.container.service.open(Actor("slack:UBUDI"), "IT", "screen flickers").ticket.id
    wslack.deliver()
    channel, card_ts = slack_refs.get_refs(wslack.container.engine, ticket_id)["card"].split(":")
    good = fake.add_file("F1", "screen.png", b"\x89PNG flicker", "image/png")
    bad = fake.add_file("F2", "tool.exe", b"MZ", "application/x-msdownload")
    wslack.send.event({"type": "message", "subtype": "file_share", "channel": channel, "user": "UBUDI",
                       "text": "", "ts": "1700009999.000100", "thread_ts": card_ts, "files": [good, bad]})
    wslack.settle()
    view = wslack.container.queries.show(Actor("slack:UANDI"), "IT-1")
    assert [(a["name"], a["size"]) for a in view.attachments] == [("screen.png", 12)]
    assert all(c.token == "xoxb-test" for c in fake.calls_to("file_download"))
    refusal = fake.wait_call("chat.postEphemeral")[0]
    assert "tool.exe" in refusal.args["text"]
