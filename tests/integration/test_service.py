"""The service layer on the real database (SQLite and PostgreSQL)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from storage.models import OutboxRow
from tickets.errors import (AlreadyClaimed, InvalidTransition, NotFound, PermissionDenied, RateLimited,
                            ValidationError)
from tickets.model import Status
from tickets.teams import Actor

BUDI, ANDI, RINA, SARI, DEWI, JOKO = (Actor(f"console:{n}") for n in ("budi", "andi", "rina", "sari", "dewi",
                                                                        "joko"))


def outbox(container, **where):
    with container.engine.connect() as conn:
        rows = conn.execute(select(OutboxRow).order_by(OutboxRow.id)).all()
    return [r for r in rows if all(getattr(r, k) == v for k, v in where.items())]


def test_keys_are_per_team_and_consecutive(container):
    s = container.service
    keys = [s.open(BUDI, team, f"t{i}").ticket.key for i, team in enumerate(["IT", "HR", "it", "LOG", "IT"])]
    assert keys == ["IT-1", "HR-1", "IT-2", "LOG-1", "IT-3"]


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


def test_invalid_transitions_are_refused_and_nothing_changes(container):
    s, q = container.service, container.queries
    s.open(BUDI, "IT", "Mouse")
    with pytest.raises(InvalidTransition):
        s.wait(ANDI, "IT-1")  # not in progress yet
    with pytest.raises(InvalidTransition):
        s.reopen(BUDI, "IT-1")
    s.claim(ANDI, "IT-1")
    with pytest.raises(InvalidTransition):
        s.cancel(BUDI, "IT-1")  # only while new
    assert q.show(ANDI, "IT-1").ticket.status == Status.IN_PROGRESS
    assert [e.action for e in q.show(ANDI, "IT-1").history] == ["open", "claim"]


def test_claim_refusals_say_who_has_it(container):
    s = container.service
    s.open(BUDI, "IT", "Keyboard")
    s.claim(ANDI, "IT-1")
    with pytest.raises(AlreadyClaimed) as info:
        s.claim(RINA, "IT-1")
    assert info.value.params == {"key": "IT-1", "assignee": "console:andi"}
    with pytest.raises(PermissionDenied):
        s.claim(JOKO, "IT-1")  # not an IT agent, and not a party: cannot even see it


def test_reopen_and_rating_once_per_resolution(container):
    s = container.service
    s.open(BUDI, "IT", "Screen")
    s.resolve(ANDI, "IT-1")
    with pytest.raises(ValidationError):
        s.rate(BUDI, "IT-1", 6)
    s.rate(BUDI, "IT-1", 2)
    with pytest.raises(ValidationError) as info:
        s.rate(BUDI, "IT-1", 3)
    assert info.value.key == "already_rated"
    reopened = s.reopen(BUDI, "IT-1", "still flickers")
    assert reopened.status == Status.IN_PROGRESS and reopened.resolved_at is None
    with pytest.raises(ValidationError) as info:
        s.rate(BUDI, "IT-1", 5)
    assert info.value.key == "rate_not_resolved"
    s.resolve(ANDI, "IT-1")
    s.rate(BUDI, "IT-1", 5)  # a new resolution may be rated again


def test_assign_is_for_supervisors_and_only_to_agents(container):
    s = container.service
    s.open(BUDI, "IT", "Laptop")
    with pytest.raises(PermissionDenied):
        s.assign(ANDI, "IT-1", "console:rina")
    with pytest.raises(ValidationError) as info:
        s.assign(SARI, "IT-1", "console:joko")
    assert info.value.key == "not_an_agent"
    assert s.assign(SARI, "IT-1", "console:rina").assignee == "console:rina"
    with pytest.raises(PermissionDenied):
        s.set_priority(ANDI, "IT-1", "urgent")  # rina's ticket now


def test_rate_limit_per_requester(container, clock):
    from dataclasses import replace

    container.service.directory = replace(container.directory, rate_limit_per_hour=3)
    s = container.service
    for i in range(3):
        s.open(BUDI, "LOG", f"item {i}")
    with pytest.raises(RateLimited) as info:
        s.open(BUDI, "LOG", "one more")
    assert info.value.params == {"limit": 3}
    s.open(JOKO, "LOG", "someone else is not limited")
    clock.advance(hours=1, seconds=1)
    assert s.open(BUDI, "LOG", "an hour later").ticket.key == "LOG-5"


def test_idempotency_key_makes_one_ticket(container):
    s = container.service
    first = s.open(BUDI, "IT", "Printer", idempotency_key="slack:event:Ev1")
    again = s.open(BUDI, "IT", "Printer", idempotency_key="slack:event:Ev1")
    assert first.created and not again.created
    assert again.ticket.key == first.ticket.key == "IT-1"
    assert s.open(BUDI, "IT", "Another", idempotency_key="slack:event:Ev2").ticket.key == "IT-2"


def test_confidential_tickets_do_not_leak_into_lists(container):
    s, q = container.service, container.queries
    s.open(BUDI, "HR", "Cuti tahunan", "5 hari")
    s.open(BUDI, "IT", "Mouse")
    assert [t.key for t in q.list(ANDI, "open")] == ["IT-1"]
    assert [t.key for t in q.list(ANDI, "search", text="cuti")] == []
    assert [t.key for t in q.list(DEWI, "open")] == ["HR-1"]
    assert {t.key for t in q.list(BUDI, "mine")} == {"HR-1", "IT-1"}
    with pytest.raises(PermissionDenied):
        q.show(ANDI, "HR-1")
    with pytest.raises(PermissionDenied):
        q.list(ANDI, "team", team="HR")
    # the card for HR goes to HR's channel only
    assert {r.target for r in outbox(container, template="card")} == {"card:HR-1", "card:IT-1"}


def test_watchers_hear_about_status_changes(container):
    s = container.service
    s.open(BUDI, "IT", "Wifi")
    s.watch(RINA, "IT-1")
    s.claim(ANDI, "IT-1")
    assert [r.template for r in outbox(container, target="user:console:rina")] == ["claimed"]


def test_bad_input_is_refused_clearly(container):
    s = container.service
    with pytest.raises(NotFound) as info:
        s.open(BUDI, "XX", "t")
    assert info.value.key == "unknown_team"
    with pytest.raises(ValidationError):
        s.open(BUDI, "IT", "x" * 151)
    with pytest.raises(ValidationError) as info:
        s.open(BUDI, "IT", "t", category="furniture")
    assert info.value.key == "unknown_category"
    with pytest.raises(NotFound):
        s.claim(ANDI, "IT-99")
    s.open(BUDI, "IT", "ok")
    with pytest.raises(ValidationError):
        s.set_due(ANDI, "IT-1", container.clock.now() - timedelta(hours=1))


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
