"""Moving tickets between teams and merging duplicates, on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import timedelta

import pytest

from tickets.errors import NotFound, PermissionDenied, ValidationError
from tickets.model import Status
from tickets.serialize import ticket_json

from tests.integration.workflow_helpers import (ADMIN, ANDI, ANI, BUDI, DEWI, JOKO, RINA, SARI, outbox,
                                                workflow_container)


@pytest.fixture
def wf(settings, engine, clock):
    return workflow_container(settings, engine, clock)


def test_move_gives_a_new_key_and_the_old_one_keeps_working(wf, clock):
    s = wf.service
    s.open(BUDI, "IT", "first")
    old = s.open(BUDI, "IT", "need 10 chairs", category="hardware").ticket
    s.open(BUDI, "LOG", "earlier log ticket")
    clock.at += timedelta(hours=3)
    moved = s.move(ANDI, old.key, "log", "this is logistics")
    assert (moved.key, moved.id, moved.category) == ("LOG-2", old.id, None)
    assert wf.queries.show(BUDI, "IT-2").ticket.key == "LOG-2"  # the old key finds it
    assert s.claim(JOKO, "IT-2").assignee == "console:joko"  # and works for changes too
    # deadlines restart from the move on LOG's calendar (Monday 12:00 Jakarta + 4 business hours)
    assert moved.first_response_due == clock.now() + timedelta(hours=4)
    assert "card_moved" in [r.template for r in outbox(wf, target="card:IT-2")]
    assert [r.params["new_key"] for r in outbox(wf, template="moved", target="user:console:budi")] == ["LOG-2"]
    assert "card" in [r.template for r in outbox(wf, target="card:LOG-2")]
    history = wf.queries.show(JOKO, "LOG-2").history
    move = [e for e in history if e.action == "move"][0]
    assert move.changes["key"] == ["IT-2", "LOG-2"] and move.actor == "console:andi"
    assert ticket_json(moved)["moved_from"] == ["IT-2"]


def test_only_the_tickets_team_may_move_it(wf):
    ticket = wf.service.open(BUDI, "IT", "printer").ticket
    with pytest.raises(PermissionDenied):
        wf.service.move(JOKO, ticket.key, "LOG")  # an agent of the other team
    with pytest.raises(PermissionDenied):
        wf.service.move(BUDI, ticket.key, "LOG")  # the requester
    with pytest.raises(ValidationError):
        wf.service.move(ANDI, ticket.key, "IT")
    with pytest.raises(NotFound):
        wf.service.move(ANDI, ticket.key, "NOPE")


def test_moving_into_a_confidential_team_hides_it_at_once(wf):
    s = wf.service
    ticket = s.open(ANI, "IT", "salary question", requester="console:budi").ticket  # Ani reports for Budi
    s.watch(RINA, ticket.key)
    assert wf.queries.show(ANI, ticket.key)
    moved = s.move(ANDI, ticket.key, "HR")
    assert moved.watchers == set()
    for who in (ANI, ANDI, RINA):  # the reporter, the watcher and IT's agents no longer see it, by either key
        for key in (ticket.key, moved.key):
            with pytest.raises((NotFound, PermissionDenied)):
                wf.queries.show(who, key)
    assert wf.queries.show(BUDI, ticket.key).ticket.key == moved.key
    assert wf.queries.show(DEWI, moved.key)
    card = [r for r in outbox(wf, template="card_moved")][0]
    assert card.params["confidential"] is True and "title" not in card.params


def test_moving_out_of_a_confidential_team_needs_its_supervisor(wf):
    ticket = wf.service.open(BUDI, "HR", "laptop request").ticket
    with pytest.raises(PermissionDenied) as refused:
        wf.service.move(DEWI, ticket.key, "IT")
    assert refused.value.key == "move_needs_supervisor"
    assert wf.service.move(SARI, ticket.key, "IT").team == "IT"


def test_merge_closes_the_duplicate_and_its_people_follow(wf):
    s = wf.service
    original = s.open(BUDI, "IT", "wifi down on floor 5").ticket
    dup = s.open(ANI, "IT", "wifi lantai 5 mati").ticket
    s.watch(RINA, dup.key)
    into = s.merge(ANDI, dup.key, original.key)
    assert into.key == original.key and {"console:ani", "console:rina"} <= into.watchers
    closed = wf.queries.show(ANI, dup.key).ticket
    assert closed.status == Status.CLOSED and closed.workflow["merged_into"] == original.key
    assert wf.queries.show(ANI, original.key)  # the duplicate's requester now follows the original
    assert [r.template for r in outbox(wf, target="user:console:ani")][-1] == "merged_into"
    assert [r.template for r in outbox(wf, target="user:console:budi")][-1] == "merged_from"
    assert ticket_json(into)["merged"] == [dup.key]
    assert any(c.kind == "merged" for c in wf.queries.show(ANDI, original.key).comments)


def test_merge_is_within_one_team_and_by_its_agents(wf):
    s = wf.service
    a = s.open(BUDI, "IT", "one").ticket
    b = s.open(BUDI, "IT", "two").ticket
    c = s.open(BUDI, "LOG", "three").ticket
    with pytest.raises(ValidationError):
        s.merge(ANDI, a.key, a.key)
    with pytest.raises((ValidationError, PermissionDenied)):
        s.merge(ADMIN, a.key, c.key)
    with pytest.raises(PermissionDenied):
        s.merge(BUDI, a.key, b.key)  # the requester of both
    with pytest.raises(PermissionDenied):
        s.merge(JOKO, a.key, b.key)  # another team's agent


def test_merge_of_confidential_tickets_never_shows_them_to_outsiders(wf):
    s = wf.service
    a = s.open(BUDI, "HR", "cuti question").ticket
    b = s.open(ANI, "HR", "same cuti question").ticket
    with pytest.raises((NotFound, PermissionDenied)):
        s.merge(ANDI, b.key, a.key)
    s.merge(DEWI, b.key, a.key)
    # Ani follows HR-1 as a watcher, but in a confidential team only its requester sees it
    with pytest.raises((NotFound, PermissionDenied)):
        wf.queries.show(ANI, a.key)


def test_sealing_at_rest_follows_a_move(wf):
    from sqlalchemy import select

    from storage.models import CommentRow, TicketRow

    s = wf.service
    ticket = s.open(BUDI, "IT", "salary slip wrong").ticket
    s.comment(BUDI, ticket.key, "my salary is wrong")

    def at_rest():
        with wf.engine.connect() as conn:
            title = conn.execute(select(TicketRow.title).where(TicketRow.id == ticket.id)).scalar()
            bodies = conn.execute(select(CommentRow.body).where(CommentRow.ticket_id == ticket.id)).scalars().all()
        return title, bodies

    assert at_rest() == ("salary slip wrong", ["my salary is wrong"])
    s.move(ANDI, ticket.key, "HR")
    title, bodies = at_rest()
    assert title.startswith("enc1:") and all(b.startswith("enc1:") for b in bodies)
    assert [r.params["title"] for r in outbox(wf, template="moved_in")] == ["salary slip wrong"]  # opened
    from storage.models import OutboxRow

    with wf.engine.connect() as conn:
        raw = conn.execute(select(OutboxRow.params).where(OutboxRow.template == "moved_in")).scalar()
    assert raw["title"].startswith("enc1:")  # the HR message waits sealed in the outbox
    assert wf.queries.show(BUDI, "HR-1").comments[0].body == "my salary is wrong"
    s.move(SARI, "HR-1", "IT")
    assert at_rest() == ("salary slip wrong", ["my salary is wrong"])
