"""The card's buttons, the claim race, DMs, rating, threads and the App Home."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import CommentRow, RatingRow
from tests.adapter.slack.test_intake import reaction, ticket


def open_ticket(slack, fake, text="Laptop won't boot"):
    ts = fake.add_message("CIT", "UBUDI", text)
    slack.send.event(reaction("UBUDI", "CIT", ts))
    slack.deliver()
    card_channel, card_ts = slack.container.refs("slack").get(ticket(slack).id)["card"].split(":")
    return ts, card_channel, card_ts


def button(action_id: str, value: str, key: str = "IT-1") -> dict:
    return {"action_id": action_id, "block_id": f"card:{key}", "type": "button", "value": value}


def test_claim_race_has_one_winner_and_the_card_is_edited(slack, fake):
    origin_ts, channel, card_ts = open_ticket(slack, fake)
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda user: slack.send.action(user, button("card_claim", "IT-1"),
                                                               message_ts=card_ts), ["UANDI", "URINA"]))
    assert [a.status_code for a in answers] == [200, 200]
    slack.settle()
    tk = ticket(slack)
    assert tk.assignee in ("slack:UANDI", "slack:URINA") and tk.status.value == "in_progress"
    loser = "URINA" if tk.assignee == "slack:UANDI" else "UANDI"
    refusals = fake.calls_to("response_url")
    assert len(refusals) == 1 and "already claimed" in refusals[0].args["text"]
    slack.deliver()
    update = fake.calls_to("chat.update", channel=channel, ts=card_ts)[-1]
    assert f"<@{tk.assignee.split(':')[1]}>" in str(update.args["blocks"]) and loser not in str(update.args["blocks"])
    dm = fake.calls_to("conversations.open", users="UBUDI")
    assert dm and any(c.args["channel"] == "DBUDI" and "IT-1" in c.args["text"] for c in slack.posts())
    assert any(c.args.get("thread_ts") == card_ts and "claimed" in c.args["text"] for c in slack.posts(channel))


def test_priority_assign_resolve_and_rating(slack, fake):
    _, channel, card_ts = open_ticket(slack, fake)
    slack.send.action("USARI", {"action_id": "card_priority", "block_id": "card:IT-1", "type": "static_select",
                                "selected_option": {"value": "IT-1|urgent"}})
    slack.send.action("USARI", {"action_id": "card_assign", "block_id": "card:IT-1", "type": "users_select",
                                "selected_user": "UANDI"})
    slack.settle()
    tk = ticket(slack)
    assert (tk.priority.value, tk.assignee) == ("urgent", "slack:UANDI")
    slack.send.action("UANDI", button("card_resolve", "IT-1"))
    slack.settle()
    assert ticket(slack).status.value == "resolved"
    slack.deliver()
    rating_dm = [c for c in slack.posts("DBUDI") if c.args.get("blocks")][-1]
    buttons = rating_dm.args["blocks"][1]["elements"]
    assert [b["action_id"] for b in buttons] == [f"rate_{n}" for n in range(1, 6)]
    slack.send.action("UJOKO", {**buttons[0], "block_id": "rate:IT-1"}, channel="DJOKO")
    slack.send.action("UBUDI", {**buttons[3], "block_id": "rate:IT-1"}, channel="DBUDI")
    slack.settle()
    with Session(slack.container.engine) as s:
        assert [(r.score, r.by) for r in s.scalars(select(RatingRow))] == [(4, "slack:UBUDI")]
    thanks = [c for c in fake.calls_to("response_url") if c.args.get("replace_original")]
    assert len(thanks) == 1 and "4/5" in thanks[0].args["text"]
    slack.send.action("UBUDI", button("card_close", "IT-1"))
    slack.settle()
    assert ticket(slack).status.value == "closed"
    slack.deliver()
    final = fake.calls_to("chat.update", ts=card_ts)[-1]
    assert not any(b["type"] == "actions" for b in final.args["blocks"])


def test_refusals_are_ephemeral_in_the_users_language(slack, fake):
    fake.users["UBUDI"] = {"locale": "id-ID"}
    open_ticket(slack, fake)
    slack.send.action("UBUDI", button("card_resolve", "IT-1"))
    slack.send.command("UJOKO", "claim IT-1")
    slack.send.command("UJOKO", "show IT-1")
    slack.settle()
    by_text = [c.args["text"] for c in fake.calls_to("response_url")]
    assert any("Anda tidak boleh" in x for x in by_text), by_text  # UBUDI's Slack locale is id-ID
    assert any("Only IT agents can claim" in x for x in by_text), by_text  # UJOKO (en) is no IT agent
    assert any("was not found" in x for x in by_text), by_text  # nor a party to IT-1
    assert ticket(slack).status.value == "new"


def test_card_thread_messages_are_notes_and_origin_replies_are_public(slack, fake):
    origin_ts, channel, card_ts = open_ticket(slack, fake)
    posted_before = len(slack.posts(channel))
    slack.send.event({"type": "message", "channel": channel, "user": "URINA", "text": "checking the BIOS",
                      "ts": fake.next_ts(), "thread_ts": card_ts})
    slack.send.event({"type": "message", "channel": "CIT", "user": "UBUDI", "text": "it beeps three times",
                      "ts": fake.next_ts(), "thread_ts": origin_ts})
    slack.send.event({"type": "message", "channel": "CIT", "user": "UJOKO", "text": "me too",
                      "ts": fake.next_ts(), "thread_ts": origin_ts})
    slack.send.event({"type": "message", "channel": channel, "bot_id": "BBOT", "subtype": "bot_message",
                      "text": "echo", "ts": fake.next_ts(), "thread_ts": card_ts})
    slack.settle()
    with Session(slack.container.engine) as s:
        rows = [(c.author, c.body, c.internal) for c in s.scalars(select(CommentRow).order_by(CommentRow.id))]
    assert sorted(rows) == [("slack:UBUDI", "it beeps three times", False), ("slack:URINA", "checking the BIOS", True)]
    slack.deliver()
    new_posts = slack.posts(channel)[posted_before:]
    texts = [c.args["text"] for c in new_posts if c.args.get("thread_ts") == card_ts]
    assert any("it beeps three times" in x for x in texts)
    assert not any("checking the BIOS" in x for x in texts)  # already in the thread: no echo


def test_agent_public_reply_reaches_origin_thread_and_dm(slack, fake):
    origin_ts, channel, card_ts = open_ticket(slack, fake)
    slack.send.command("URINA", "comment IT-1 please hold the power button for 10s")
    slack.deliver()
    assert any("power button" in c.args["text"] for c in slack.posts("CIT", thread_ts=origin_ts))
    assert any("power button" in c.args["text"] for c in slack.posts("DBUDI"))


def test_app_home_lists_requests_assignments_and_queue(slack, fake):
    open_ticket(slack, fake, "Keyboard sticky")
    slack.send.action("URINA", button("card_claim", "IT-1"))
    slack.settle()
    slack.send.event({"type": "app_home_opened", "user": "URINA", "channel": "DURINA", "tab": "home"})
    slack.send.event({"type": "app_home_opened", "user": "UBUDI", "channel": "DBUDI", "tab": "home"})
    slack.settle()
    published = fake.wait_call("views.publish", 2)
    rina = next(c for c in published if c.args["user_id"] == "URINA").args["view"]
    budi = next(c for c in published if c.args["user_id"] == "UBUDI").args["view"]
    headers = [b["text"]["text"] for b in rina["blocks"] if b["type"] == "header"]
    assert headers == ["My requests", "Assigned to me", "Queue: IT Helpdesk"]
    assert str(rina).count("IT-1") == 2 and "Keyboard sticky" in str(budi)
    assert [b["text"]["text"] for b in budi["blocks"] if b["type"] == "header"] == ["My requests", "Assigned to me"]


def test_slash_commands_take_slack_mentions(slack, fake):
    open_ticket(slack, fake)
    slack.send.command("USARI", "assign IT-1 <@URINA|rina>")
    slack.deliver()
    answer = fake.wait_call("response_url")[0]
    assert ticket(slack).assignee == "slack:URINA", answer.args["text"]
    slack.send.command("URINA", "wait IT-1 which model is it?")
    slack.deliver()
    assert any("IT-1" in c.args["text"] for c in slack.posts("DBUDI"))
    assert fake.calls_to("conversations.open", users="URINA")  # assigned: told by DM
