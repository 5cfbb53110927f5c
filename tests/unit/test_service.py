"""The service layer's rules, in memory: tickets.ports.UnitOfWork implemented by tests/fakes.FakeUnitOfWork
(no database; the SQL unit of work is tested in tests/integration/test_service.py)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from tests.fakes import FakeStore, FakeUnitOfWork
from tickets.deadlines import DeadlinePolicy
from tickets.errors import (AlreadyClaimed, ConcurrencyConflict, InvalidTransition, NotFound, PermissionDenied,
                            RateLimited, ValidationError)
from tickets.model import Status
from tickets.queries import TicketQueries
from tickets.service import TicketService
from tickets.teams import Actor, Directory

BUDI, ANDI, RINA, SARI, DEWI, JOKO = (Actor(f"console:{n}") for n in ("budi", "andi", "rina", "sari", "dewi",
                                                                        "joko"))


@dataclass
class Memory:
    service: TicketService
    queries: TicketQueries
    store: FakeStore
    directory: Directory
    clock: object


@pytest.fixture
def mem(directory, clock) -> Memory:
    store = FakeStore()
    uow = lambda: FakeUnitOfWork(store, clock)  # noqa: E731
    service = TicketService(uow, directory, clock, platforms=frozenset({"console"}), sla=DeadlinePolicy())
    return Memory(service, TicketQueries(uow, directory), store, directory, clock)


def test_keys_are_per_team_and_consecutive(mem):
    s = mem.service
    keys = [s.open(BUDI, team, f"t{i}").ticket.key for i, team in enumerate(["IT", "HR", "it", "LOG", "IT"])]
    assert keys == ["IT-1", "HR-1", "IT-2", "LOG-1", "IT-3"]


def test_invalid_transitions_are_refused_and_nothing_changes(mem):
    s, q = mem.service, mem.queries
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


def test_claim_refusals_say_who_has_it(mem):
    s = mem.service
    s.open(BUDI, "IT", "Keyboard")
    s.claim(ANDI, "IT-1")
    with pytest.raises(AlreadyClaimed) as info:
        s.claim(RINA, "IT-1")
    assert info.value.params == {"key": "IT-1", "assignee": "console:andi"}
    with pytest.raises(PermissionDenied):
        s.claim(JOKO, "IT-1")  # not an IT agent, and not a party: cannot even see it


def test_reopen_and_rating_once_per_resolution(mem):
    s = mem.service
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


def test_assign_is_for_supervisors_and_only_to_agents(mem):
    s = mem.service
    s.open(BUDI, "IT", "Laptop")
    with pytest.raises(PermissionDenied):
        s.assign(ANDI, "IT-1", "console:rina")
    with pytest.raises(ValidationError) as info:
        s.assign(SARI, "IT-1", "console:joko")
    assert info.value.key == "not_an_agent"
    assert s.assign(SARI, "IT-1", "console:rina").assignee == "console:rina"
    with pytest.raises(PermissionDenied):
        s.set_priority(ANDI, "IT-1", "urgent")  # rina's ticket now


def test_rate_limit_per_requester(mem, clock):
    from dataclasses import replace

    mem.service.directory = replace(mem.directory, rate_limit_per_hour=3)
    s = mem.service
    for i in range(3):
        s.open(BUDI, "LOG", f"item {i}")
    with pytest.raises(RateLimited) as info:
        s.open(BUDI, "LOG", "one more")
    assert info.value.params == {"limit": 3}
    s.open(JOKO, "LOG", "someone else is not limited")
    clock.advance(hours=1, seconds=1)
    assert s.open(BUDI, "LOG", "an hour later").ticket.key == "LOG-5"


def test_confidential_tickets_do_not_leak_into_lists(mem):
    s, q = mem.service, mem.queries
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
    assert {r.target for r in mem.store.outbox( template="card")} == {"card:HR-1", "card:IT-1"}


def test_watchers_hear_about_status_changes(mem):
    s = mem.service
    s.open(BUDI, "IT", "Wifi")
    s.watch(RINA, "IT-1")
    s.claim(ANDI, "IT-1")
    assert [r.template for r in mem.store.outbox( target="user:console:rina")] == ["claimed"]


def test_bad_input_is_refused_clearly(mem):
    s = mem.service
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
        s.set_due(ANDI, "IT-1", mem.clock.now() - timedelta(hours=1))


def test_a_refused_change_leaves_nothing_behind(mem):
    mem.service.open(BUDI, "IT", "Mouse")
    before = (mem.store.commits, len(mem.store.state.events), len(mem.store.outbox()))
    with pytest.raises(InvalidTransition):
        mem.service.wait(ANDI, "IT-1")
    assert (mem.store.commits, len(mem.store.state.events), len(mem.store.outbox())) == before


def test_a_stale_save_is_a_conflict_as_in_storage(mem):
    mem.service.open(BUDI, "IT", "Mouse")
    first, second = FakeUnitOfWork(mem.store, mem.clock), FakeUnitOfWork(mem.store, mem.clock)
    with first, second:
        a, b = first.tickets.get("IT", 1), second.tickets.get("IT", 1)
        first.tickets.save(a)
        first.commit()
        second.tickets.save(b)
        with pytest.raises(ConcurrencyConflict):
            second.commit()  # its copy of the ticket was one version behind
    assert mem.store.state.tickets[a.id].version == 1


def test_platform_references_are_written_with_the_ticket(mem):
    ticket = mem.service.open(BUDI, "IT", "Printer", refs={"slack:workspace": "T0001"}).ticket
    assert mem.store.state.refs == {(ticket.id, "slack", "workspace"): "T0001"}
    with pytest.raises(NotFound):
        mem.service.open(BUDI, "XX", "nothing stored", refs={"slack:workspace": "T0002"})
    assert len(mem.store.state.refs) == 1
