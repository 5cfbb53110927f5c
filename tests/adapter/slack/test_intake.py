"""🎫 reactions and the "Create ticket" shortcut turn a message into one ticket, once."""
from __future__ import annotations

from tests.adapter.slack.test_basics import count_tickets


def reaction(user: str, channel: str, ts: str, emoji: str = "ticket") -> dict:
    return {"type": "reaction_added", "user": user, "reaction": emoji, "item_user": "UBUDI",
            "item": {"type": "message", "channel": channel, "ts": ts}, "event_ts": "1.1"}


def ticket(slack, team="IT", number=1):
    with slack.container.uow() as uow:
        return uow.tickets.get(team, number)


def test_reaction_makes_a_ticket_once_even_retried_or_twice(slack, fake):
    ts = fake.add_message("CIT", "UBUDI", "Laptop won't boot\nBlack screen since 8:00, tried the charger.")
    assert slack.send.event(reaction("URINA", "CIT", ts), event_id="Ev1").status_code == 200
    assert slack.send.event(reaction("URINA", "CIT", ts), event_id="Ev1", retry=1).status_code == 200
    slack.settle()
    tk = ticket(slack)
    assert (tk.title, tk.requester, tk.reporter) == ("Laptop won't boot", "slack:UBUDI", "slack:URINA")
    assert "tried the charger" in tk.description and tk.source_ref.startswith(f"slack:CIT:{ts}")
    assert slack.container.inbox.status("slack:event:Ev1") == "done"
    assert slack.container.inbox.counts("slack") == {"done": 1}  # Slack's retry was not stored again
    slack.send.event(reaction("UANDI", "CIT", ts), event_id="Ev2")
    slack.settle()
    assert count_tickets(slack.container.engine) == 1
    assert "IT-1" in fake.wait_call("chat.postEphemeral", user="UANDI")[0].args["text"]
    slack.deliver()
    origin = slack.posts("CIT", thread_ts=ts)
    assert len(origin) == 1 and "IT-1" in origin[0].args["text"] and "https://fake.slack/" in origin[0].args["text"]
    assert len(fake.calls_to("conversations.history")) == 2  # the retry never read the message again


def test_other_emoji_and_bot_messages_are_ignored(slack, fake):
    ts = fake.add_message("CIT", "UBUDI", "hello")
    slack.send.event(reaction("URINA", "CIT", ts, emoji="thumbsup"))
    slack.settle()
    assert count_tickets(slack.container.engine) == 0 and fake.calls_to("conversations.history") == []


def test_reaction_to_a_thread_reply_answers_in_that_thread(slack, fake):
    parent = fake.add_message("CIT", "UJOKO", "Office move")
    reply = fake.add_message("CIT", "UBUDI", "Also my monitor is broken", thread_ts=parent)
    slack.send.event(reaction("URINA", "CIT", reply))
    slack.settle()
    tk = ticket(slack)
    assert tk.title == "Also my monitor is broken" and tk.requester == "slack:UBUDI"
    slack.deliver()
    assert "IT-1" in slack.posts("CIT", thread_ts=parent)[0].args["text"]


def test_a_failed_attempt_is_retried_by_the_worker_not_by_slack(slack, fake, clock):
    ts = fake.add_message("CIT", "UBUDI", "Mouse gone")
    fake.errors["conversations.history"] = ["internal_error"]
    slack.send.event(reaction("URINA", "CIT", ts), event_id="EvF")
    slack.settle()
    assert count_tickets(slack.container.engine) == 0
    [row] = slack.container.inbox.rows(platform="slack")
    assert (row.status, row.attempts) == ("pending", 1) and "internal_error" in row.last_error
    assert slack.send.event(reaction("URINA", "CIT", ts), event_id="EvF", retry=1).status_code == 200
    assert slack.container.inbox.counts("slack") == {"pending": 1}  # Slack's retry: the same entry
    clock.advance(seconds=5)  # past the worker's backoff
    slack.settle()
    assert count_tickets(slack.container.engine) == 1
    assert slack.container.inbox.status("slack:event:EvF") == "done"


def test_unowned_channel_gets_a_team_picker(slack, fake):
    ts = fake.add_message("CGENERAL", "UBUDI", "Need a new badge")
    slack.send.event(reaction("UBUDI", "CGENERAL", ts))
    slack.settle()
    picker = fake.wait_call("chat.postEphemeral", user="UBUDI")[0]
    select = picker.args["blocks"][1]["elements"][0]
    assert select["action_id"] == "pick_team" and count_tickets(slack.container.engine) == 0
    chosen = next(o for o in select["options"] if o["value"].startswith("LOG|"))
    slack.send.action("UBUDI", {"action_id": "pick_team", "block_id": "pick_team", "type": "static_select",
                                "selected_option": chosen}, channel="CGENERAL")
    slack.settle()
    assert ticket(slack, "LOG").title == "Need a new badge"


def test_message_shortcut_creates_the_same_ticket(slack, fake):
    ts = fake.add_message("CIT", "UBUDI", "Printer jammed")
    payload = {"type": "message_action", "callback_id": "create_ticket", "trigger_id": "trig.s",
               "user": {"id": "URINA"}, "channel": {"id": "CIT"}, "response_url": slack.send.response_url(),
               "message": {"type": "message", "ts": ts, "user": "UBUDI", "text": "Printer jammed"}}
    assert slack.send.interact(payload).status_code == 200
    slack.send.event(reaction("URINA", "CIT", ts))
    slack.settle()
    assert count_tickets(slack.container.engine) == 1 and ticket(slack).title == "Printer jammed"


def test_confidential_team_shows_nothing_outside_its_channel(slack, fake):
    ts = fake.add_message("CGENERAL", "UBUDI", "Salary question\nprivate details here")
    slack.send.event(reaction("UBUDI", "CGENERAL", ts))
    slack.settle()
    picker = fake.wait_call("chat.postEphemeral", user="UBUDI")[0]
    hr = next(o for o in picker.args["blocks"][1]["elements"][0]["options"] if o["value"].startswith("HR|"))
    slack.send.action("UBUDI", {"action_id": "pick_team", "block_id": "pick_team", "type": "static_select",
                                "selected_option": hr}, channel="CGENERAL")
    slack.settle()
    assert ticket(slack, "HR").title == "Salary question"
    slack.deliver()
    public = slack.posts("CGENERAL")
    assert len(public) == 1 and "HR-1" in public[0].args["text"]
    assert "Salary" not in public[0].args["text"] and "fake.slack" not in public[0].args["text"]
    cards = slack.posts("CHR", thread_ts=None)
    assert len(cards) == 1 and "Salary question" in cards[0].args["text"]
    everywhere = [c for c in fake.calls if "Salary" in str(c.args)]
    assert all(c.args.get("channel") == "CHR" for c in everywhere if c.method == "chat.postMessage")
