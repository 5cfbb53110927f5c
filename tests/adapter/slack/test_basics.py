"""Serving: health, readiness, signatures."""
from __future__ import annotations

import time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import TicketRow


def count_tickets(engine) -> int:
    with Session(engine) as s:
        return s.scalar(select(func.count()).select_from(TicketRow))


def test_healthz_and_readyz(slack):
    http = slack.send.http
    assert http.get(slack.send.base_url + "/healthz").json() == {"ok": True}
    ready = http.get(slack.send.base_url + "/readyz")
    assert ready.status_code == 200 and ready.json()["database"] == "ok"
    scheduler = ready.json().get("scheduler")
    assert scheduler is None or scheduler["stale"] is True  # no scheduler has beaten in this database


def test_forged_or_stale_signature_is_refused_and_nothing_is_stored(slack, fake):
    forged = slack.send.command("UBUDI", "new IT Printer on fire", secret="not-the-secret")
    stale = slack.send.command("UBUDI", "new IT Printer on fire", timestamp=int(time.time()) - 3600)
    unsigned = slack.send.http.post(slack.send.url, content=b"command=%2Fticket&text=new+IT+x",
                                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert (forged.status_code, stale.status_code, unsigned.status_code) == (401, 401, 401)
    slack.settle()
    assert count_tickets(slack.container.engine) == 0
    assert [c.method for c in fake.calls] == []


def test_slash_command_creates_a_ticket_and_its_card(slack, fake):
    resp = slack.send.command("UBUDI", "new IT Printer broken | it smokes")
    assert resp.status_code == 200
    assert fake.calls_to("response_url") == []  # stored and acknowledged; the work runs in the inbox worker
    assert slack.deliver() >= 3  # the answer, the card, its thread line
    answer = fake.wait_call("response_url")[0]
    assert "IT-1" in answer.args["text"] and answer.args["response_type"] == "ephemeral"
    with slack.container.uow() as uow:
        ticket = uow.tickets.get("IT", 1)
    assert ticket.source == "slack" and ticket.requester == "slack:UBUDI"
    card = slack.posts("CIT", thread_ts=None)[0]
    assert "IT-1" in card.args["text"] and card.args["blocks"][1]["type"] == "actions"
    thread = [c for c in slack.posts("CIT") if c.args.get("thread_ts")]
    assert thread and "IT-1" in thread[0].args["text"]
