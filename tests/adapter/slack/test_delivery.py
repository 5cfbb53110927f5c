"""Rate limits, Block Kit limits, uploads and user groups."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.slack.blocks import card_blocks, home_view
from storage.models import OutboxRow
from tests.adapter.slack.fake_slack import block_problems
from tests.adapter.slack.test_card import open_ticket
from tickets.model import Ticket

NOT_REPLY = OutboxRow.target.not_like("reply:%")  # answers go to the response URL, not chat.postMessage


def test_rate_limited_posts_wait_and_are_not_lost(slack, fake):
    fake.rate_limits["chat.postMessage"] = [30]  # one 429 with a long Retry-After
    fake.add_message("CIT", "UBUDI", "Screen flickers")
    slack.send.command("UBUDI", "new IT Screen flickers")
    slack.container.worker.drain()
    slack.container.dispatcher().run_once()  # one round: the answer (response URL) goes, the 429 stops the rest
    with Session(slack.container.engine) as s:
        rows = list(s.scalars(select(OutboxRow).where(OutboxRow.platform == "slack", NOT_REPLY)
                              .order_by(OutboxRow.id)))
    waiting = [r for r in rows if r.status == "pending"]
    assert len(waiting) == len(rows)  # nothing sent, nothing dead
    assert waiting[0].next_attempt_at > slack.container.clock.now() and "retry after" in waiting[0].last_error
    assert all(r.attempts == 0 for r in waiting)  # a 429 is not a failed attempt
    slack.container.clock.advance(seconds=31)
    slack.deliver()
    with Session(slack.container.engine) as s:
        statuses = {r.status for r in s.scalars(select(OutboxRow).where(OutboxRow.platform == "slack"))}
    assert statuses == {"sent"}
    assert len(fake.calls_to("chat.postMessage")) == len(rows) + 1  # every message, plus the refused try


def test_short_retry_after_is_retried_in_place(slack, fake):
    fake.rate_limits["chat.postMessage"] = [0]
    slack.send.command("UBUDI", "new IT Mouse")
    slack.deliver()
    with Session(slack.container.engine) as s:
        assert {r.status for r in s.scalars(select(OutboxRow))} == {"sent"}


def test_long_texts_are_cut_inside_block_kit_limits(clock):
    params = {"key": "IT-1", "title": "x" * 150, "status": "new", "priority": "high", "requester": "slack:U1",
              "assignee": None, "category": "c" * 3000, "confidential": False, "due": None, "tz": "UTC"}
    blocks = card_blocks(params, "en", clock.now())
    assert block_problems(blocks, 50) == []
    many = [Ticket(team="IT", number=n, title="t" * 150 + "<&>", requester="slack:U1", reporter="slack:U1",
                   created_at=clock.now(), updated_at=clock.now()) for n in range(1, 300)]
    view = home_view([("A", many), ("B", many), ("C", many), ("D", many), ("E", many)], "en", clock.now())
    assert len(view["blocks"]) == 100 and block_problems(view["blocks"], 100) == []
    assert "more" in str(view["blocks"][-1]) and "&lt;&amp;&gt;" in str(view["blocks"][1])


def test_long_message_texts_reach_slack_cut_not_rejected(slack, fake):
    long = "word " * 900  # 4,500 characters
    open_ticket(slack, fake, "Title line\n" + long)
    slack.send.command("URINA", "comment IT-1 " + long[:3990])
    slack.deliver()
    assert all(len(c.args.get("text", "")) <= 3900 for c in fake.calls_to("chat.postMessage"))
    assert any(c.args["text"].endswith("…") for c in fake.calls_to("chat.postMessage"))


def test_export_is_uploaded_as_a_file(slack, fake):
    open_ticket(slack, fake)
    slack.send.command("USARI", "export IT")
    slack.deliver()
    answer = fake.wait_call("response_url")[0]
    uploads = fake.calls_to("file_upload")
    assert uploads and uploads[0].args["size"] > 0, answer.args["text"]
    done = fake.calls_to("files.completeUploadExternal")[0]
    assert done.args["channel_id"] == "DSARI"


def test_posting_pace_per_channel_hands_bursts_back_to_the_dispatcher(slack, fake):
    slack.container.notifiers["slack"].pace_seconds = 120  # a very slow channel
    slack.send.command("UBUDI", "new IT Slow channel")
    slack.deliver()
    with Session(slack.container.engine) as s:
        rows = list(s.scalars(select(OutboxRow).where(NOT_REPLY).order_by(OutboxRow.id)))
    assert [r.status for r in rows] == ["sent", "pending"]  # the card went; the thread line waits its turn
    assert rows[1].attempts == 0 and rows[1].next_attempt_at > slack.container.clock.now()
    slack.container.notifiers["slack"].pace_seconds = 0
    slack.container.clock.advance(seconds=121)
    slack.deliver()
    with Session(slack.container.engine) as s:
        assert {r.status for r in s.scalars(select(OutboxRow))} == {"sent"}
