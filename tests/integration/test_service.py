"""The service layer on the real database (SQLite and PostgreSQL): a whole lifecycle through the SQL unit
of work, the idempotency key's unique index, a restart. The rest of the service's rules are tested in
memory (tests/unit/test_service.py, with tests/fakes.FakeUnitOfWork)."""
from __future__ import annotations

from sqlalchemy import select

from storage.models import OutboxRow
from tickets.model import Status
from tickets.teams import Actor

BUDI, ANDI, RINA, SARI, DEWI, JOKO = (Actor(f"console:{n}") for n in ("budi", "andi", "rina", "sari", "dewi",
                                                                        "joko"))


def outbox(container, **where):
    with container.engine.connect() as conn:
        rows = conn.execute(select(OutboxRow).order_by(OutboxRow.id)).all()
    return [r for r in rows if all(getattr(r, k) == v for k, v in where.items())]


def test_full_lifecycle_with_audit_and_messages(container, clock):
    s, q = container.service, container.queries
    tk = s.open(BUDI, "IT", "VPN down", "since 8am", priority="high", category="software").ticket
    assert (tk.status, tk.priority.value, tk.category) == (Status.NEW, "high", "software")
    clock.advance(minutes=5)
    s.claim(ANDI, "IT-1")
    s.wait(ANDI, "IT-1", "which laptop?")
    s.comment(BUDI, "IT-1", "the Dell one")  # the requester's reply resumes the ticket
    assert q.show(ANDI, "IT-1").ticket.status == Status.IN_PROGRESS
    s.note(ANDI, "IT-1", "driver issue")
    s.resolve(ANDI, "IT-1", "reinstalled the driver")
    s.rate(BUDI, "IT-1", 4, "quick")
    s.close(BUDI, "IT-1")
    view = q.show(ANDI, "IT-1")
    assert view.ticket.status == Status.CLOSED
    assert [e.action for e in view.history] == ["open", "claim", "wait", "comment", "note", "resolve", "rate",
                                                "close"]
    assert view.history[1].changes == {"status": ["new", "in_progress"], "assignee": [None, "console:andi"]}
    assert [(c.kind, c.internal) for c in view.comments] == [("reason", False), ("comment", False),
                                                             ("note", True), ("resolution", False)]
    # the requester never sees internal notes
    assert all(not c.internal for c in q.show(BUDI, "IT-1").comments)
    dms = [r.template for r in outbox(container, target="user:console:budi")]
    assert dms == ["claimed", "waiting", "resolved"]
    assert "rated" in [r.template for r in outbox(container, target="user:console:andi")]


def test_idempotency_key_makes_one_ticket(container):
    s = container.service
    first = s.open(BUDI, "IT", "Printer", idempotency_key="slack:event:Ev1")
    again = s.open(BUDI, "IT", "Printer", idempotency_key="slack:event:Ev1")
    assert first.created and not again.created
    assert again.ticket.key == first.ticket.key == "IT-1"
    assert s.open(BUDI, "IT", "Another", idempotency_key="slack:event:Ev2").ticket.key == "IT-2"


def test_restart_keeps_everything(container, settings, clock, directory):
    from config.wiring import build

    container.service.open(BUDI, "IT", "Monitor")
    container.service.claim(ANDI, "IT-1")
    container.engine.dispose()
    again = build(settings, clock=clock, directory=directory, platforms=frozenset({"console"}), migrate=False)
    view = again.queries.show(ANDI, "IT-1")
    assert (view.ticket.title, view.ticket.assignee, view.ticket.status) == ("Monitor", "console:andi",
                                                                            Status.IN_PROGRESS)
    assert again.service.open(BUDI, "IT", "Next").ticket.key == "IT-2"
    again.engine.dispose()


def test_origin_reply_reaches_the_source_platform_even_without_a_team_channel_there(container):
    container.service.fanout.platforms = frozenset({"slack", "discord"})
    container.service.open(BUDI, "LOG", "Kursi", source="slack", source_ref="slack:CGEN:1.0")
    rows = outbox(container)
    assert [(r.platform, r.target) for r in rows if r.target.startswith("origin:")] == [("slack", "origin:LOG-1")]
    assert not [r for r in rows if r.target.startswith("card:")]  # LOG has no Slack or Discord channel
