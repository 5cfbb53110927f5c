"""/ticket alone opens the modal right after the ack; bad fields are marked, not lost."""
from __future__ import annotations

from tests.adapter.slack.test_basics import count_tickets


def submission(view_id: str, *, team="IT", title="VPN drops", description="every hour", category="",
               priority="high", due="") -> dict:
    def text(v):
        return {"value": {"type": "plain_text_input", "value": v or None}}

    def select(v):
        return {"value": {"type": "static_select", "selected_option": {"value": v} if v else None}}

    return {"id": view_id, "type": "modal", "callback_id": "new_ticket", "private_metadata": '{"channel": "CIT"}',
            "state": {"values": {"team": select(team), "title": text(title), "description": text(description),
                                 "category": text(category), "priority": select(priority), "due": text(due)}}}


def submit(slack, user, view):
    return slack.send.interact({"type": "view_submission", "user": {"id": user}, "trigger_id": "trig.v",
                                "view": view})


def test_slash_ticket_alone_opens_the_modal(slack, fake):
    assert slack.send.command("UBUDI", "").status_code == 200
    opened = fake.wait_call("views.open")[0]
    assert opened.args["trigger_id"].startswith("trig.")
    view = opened.args["view"]
    assert view["callback_id"] == "new_ticket"
    assert {b["block_id"] for b in view["blocks"]} >= {"team", "title", "description", "priority", "due"}
    assert slack.send.command("UBUDI", "new HR").status_code == 200
    second = fake.wait_call("views.open", 2)[1].args["view"]
    team = next(b for b in second["blocks"] if b["block_id"] == "team")
    assert team["element"]["initial_option"]["value"] == "HR"
    slack.settle()
    assert fake.calls_to("response_url") == []


def test_modal_marks_bad_fields_and_creates_once(slack, fake):
    bad = submit(slack, "UBUDI", submission("V1", due="yesterday-ish", category="plumbing"))
    assert bad.status_code == 200
    assert bad.json()["response_action"] == "errors" and "category" in bad.json()["errors"]
    bad_due = submit(slack, "UBUDI", submission("V1", due="not a date"))
    assert set(bad_due.json()["errors"]) == {"due"}
    assert count_tickets(slack.container.engine) == 0
    ok = submit(slack, "UBUDI", submission("V1", due="2d", category="software"))
    assert ok.status_code == 200 and ok.content in (b"", b"{}") or ok.json().get("response_action") is None
    again = submit(slack, "UBUDI", submission("V1", due="2d", category="software"))
    assert again.status_code == 200
    slack.settle()
    assert count_tickets(slack.container.engine) == 1
    with slack.container.uow() as uow:
        ticket = uow.tickets.get("IT", 1)
    assert (ticket.title, ticket.priority.value, ticket.category) == ("VPN drops", "high", "software")
    assert ticket.due_at is not None and ticket.due_at > slack.container.clock.now()
    slack.deliver()
    confirm = fake.wait_call("chat.postEphemeral")[0]
    assert confirm.args["channel"] == "CIT" and "IT-1" in confirm.args["text"]
