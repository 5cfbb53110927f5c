"""An in-memory unit of work (tickets.ports.UnitOfWork), so the service layer's tests run without a
database, in milliseconds.

`FakeStore` is the "database": what committed units of work left. Each `FakeUnitOfWork` works on its
own copy of it and replaces the store's state on commit, so a unit of work that raises (or is left
without commit) changes nothing, as a rolled-back transaction. Optimistic version checks hold as
in storage: committing a ticket someone else committed meanwhile raises ConcurrencyConflict.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterable

from tickets.errors import ConcurrencyConflict, DuplicateRequest
from tickets.model import AuditEvent, Comment, Rating, Ticket
from tickets.ports import Clock, Outgoing


@dataclass
class State:
    tickets: dict[int, Ticket] = field(default_factory=dict)
    idempotency: dict[str, int] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)
    comments: list[Comment] = field(default_factory=list)
    events: list[AuditEvent] = field(default_factory=list)
    ratings: list[Rating] = field(default_factory=list)
    outbox: list[Outgoing] = field(default_factory=list)
    users: dict[str, str] = field(default_factory=dict)
    refs: dict[tuple[int, str, str], str] = field(default_factory=dict)
    next_id: int = 1


class FakeStore:
    def __init__(self) -> None:
        self.state = State()
        self.commits = 0

    def outbox(self, **where) -> list[Outgoing]:
        """Queued messages whose fields equal `where` (target=..., template=...)."""
        return [m for m in self.state.outbox if all(getattr(m, k) == v for k, v in where.items())]


class FakeTicketRepository:
    def __init__(self, state: State) -> None:
        self.state = state
        self.saved: dict[int, int] = {}  # ticket id -> the version this transaction read

    def _new_id(self) -> int:
        self.state.next_id += 1
        return self.state.next_id - 1

    def add(self, ticket: Ticket, *, idempotency_key: str | None = None) -> Ticket:
        if idempotency_key is not None and idempotency_key in self.state.idempotency:
            raise DuplicateRequest(idempotency_key)
        ticket.id, ticket.version = self._new_id(), 0
        self.state.tickets[ticket.id] = copy.deepcopy(ticket)
        if idempotency_key is not None:
            self.state.idempotency[idempotency_key] = ticket.id
        return ticket

    def get(self, team: str, number: int, *, for_update: bool = False) -> Ticket | None:
        found = next((t for t in self.state.tickets.values() if (t.team, t.number) == (team, number)), None)
        return copy.deepcopy(found)

    def get_by_id(self, ticket_id: int) -> Ticket | None:
        return copy.deepcopy(self.state.tickets.get(ticket_id))

    def by_idempotency_key(self, key: str) -> Ticket | None:
        found = self.state.idempotency.get(key)
        return self.get_by_id(found) if found is not None else None

    def save(self, ticket: Ticket) -> None:
        stored = self.state.tickets.get(ticket.id)
        if stored is None or stored.version != ticket.version:
            raise ConcurrencyConflict(ticket.key)
        self.saved.setdefault(ticket.id, ticket.version)
        ticket.version += 1
        self.state.tickets[ticket.id] = copy.deepcopy(ticket)

    def next_number(self, team: str) -> int:
        self.state.counters[team] = self.state.counters.get(team, 0) + 1
        return self.state.counters[team]

    def count_created_by(self, requester: str, since: datetime) -> int:
        return sum(1 for t in self.state.tickets.values() if t.requester == requester and t.created_at >= since)

    def search(self, *, teams: Iterable[str] | None = None, statuses: Iterable[str] | None = None,
               assignee: str | None = None, party: str | None = None, text: str | None = None,
               limit: int = 50) -> list[Ticket]:
        teams = None if teams is None else set(teams)
        statuses = None if statuses is None else set(statuses)
        found = [t for t in self.state.tickets.values()
                 if (teams is None or t.team in teams) and (statuses is None or t.status.value in statuses)
                 and (assignee is None or t.assignee == assignee)
                 and (party is None or party in (t.requester, t.reporter, t.assignee))
                 and (not text or text.lower() in t.title.lower() or text.lower() in (t.description or "").lower())]
        found.sort(key=lambda t: (t.created_at, t.id), reverse=True)
        return [copy.deepcopy(t) for t in found[:limit]]


class FakeUnitOfWork:
    """tickets.ports.UnitOfWork in memory."""

    def __init__(self, store: FakeStore, clock: Clock) -> None:
        self.store = store
        self.clock = clock
        self.committed = False

    def __enter__(self) -> "FakeUnitOfWork":
        self.state = copy.deepcopy(self.store.state)  # this transaction's view
        self.tickets = FakeTicketRepository(self.state)
        self.committed = False
        return self

    def __exit__(self, *exc: object) -> None:
        self.state = None  # anything not committed is gone

    def commit(self) -> None:
        for ticket_id, read in self.tickets.saved.items():  # someone else committed it meanwhile
            current = self.store.state.tickets.get(ticket_id)
            if current is None or current.version != read:
                raise ConcurrencyConflict(self.state.tickets[ticket_id].key)
        self.store.state = copy.deepcopy(self.state)
        self.store.commits += 1
        self.committed = True

    def rollback(self) -> None:
        self.state = copy.deepcopy(self.store.state)
        self.tickets = FakeTicketRepository(self.state)

    def add_comment(self, comment: Comment) -> None:
        comment = copy.copy(comment)
        comment.id = len(self.state.comments) + 1
        self.state.comments.append(comment)

    def comments(self, ticket_id: int, *, include_internal: bool) -> list[Comment]:
        return [copy.copy(c) for c in self.state.comments
                if c.ticket_id == ticket_id and (include_internal or not c.internal)]

    def add_event(self, event: AuditEvent) -> None:
        event = copy.deepcopy(event)
        event.id = len(self.state.events) + 1
        self.state.events.append(event)

    def events(self, ticket_id: int) -> list[AuditEvent]:
        return [copy.deepcopy(e) for e in self.state.events if e.ticket_id == ticket_id]

    def add_rating(self, rating: Rating) -> None:
        self.state.ratings.append(copy.copy(rating))

    def has_rating(self, ticket_id: int, resolution: int) -> bool:
        return any(r.ticket_id == ticket_id and r.resolution == resolution for r in self.state.ratings)

    def queue(self, message: Outgoing) -> bool:
        if message.dedup_key is not None and any(m.dedup_key == message.dedup_key for m in self.state.outbox):
            return False
        self.state.outbox.append(copy.deepcopy(message))
        return True

    def remember_user(self, user: str, locale: str | None) -> None:
        if locale:
            self.state.users[user] = locale

    def user_locale(self, user: str) -> str | None:
        return self.state.users.get(user)

    def set_ref(self, ticket_id: int, platform: str, kind: str, ref: str) -> None:
        self.state.refs[(ticket_id, platform, kind)] = ref
