"""The ports the service layer talks through: clock, unit of work, notifier,
platform references and the inbox of inbound requests.

Storage implements the unit of work, the platform references and the inbox; each
platform adapter a Notifier. The domain, the adapters and the scheduler only ever
see these protocols.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Iterable, Protocol

from tickets.model import AuditEvent, Comment, Rating, Ticket


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)


class FixedClock:
    """A clock tests move by hand."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> datetime:
        from datetime import timedelta

        self.at = self.at + timedelta(**delta)
        return self.at


@dataclass
class Outgoing:
    """A message the service wants delivered; written to the outbox, sent later."""

    platform: str
    target: str  # team:IT | user:slack:U1 | thread:IT-3 | card:IT-3 | origin:IT-3
    template: str
    params: dict[str, Any] = field(default_factory=dict)
    lang: str = "en"
    ticket_id: int | None = None
    dedup_key: str | None = None
    not_before: datetime | None = None


@dataclass
class Delivery:
    """One outbox row handed to a Notifier."""

    id: int
    platform: str
    target: str
    template: str
    params: dict[str, Any]
    lang: str
    ticket_key: str | None
    attempts: int


class RetryLater(Exception):
    """A Notifier raises this when the platform said "slow down" (HTTP 429)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds}s")
        self.seconds = seconds


class Held(Exception):
    """A Notifier raises this to keep a message in the outbox until `until` (or until something
    releases it earlier, e.g. WhatsApp's window reopening); it costs no attempt."""

    def __init__(self, until, reason: str = "held") -> None:
        super().__init__(reason)
        self.until = until


class Notifier(Protocol):
    platform: str

    def deliver(self, delivery: Delivery) -> None:
        """Send one message; raise to have it retried later (RetryLater to wait as the platform asked)."""


class PlatformRefs(Protocol):
    """Where tickets live on one platform (card message, thread, origin, workspace, ...): the
    platform-references port, bound to one platform. Storage implements it
    (`storage.platform_refs.SqlPlatformRefs`); a unit of work writes refs in its own
    transaction (`UnitOfWork.set_ref`)."""

    platform: str

    def get(self, ticket_id: int) -> dict[str, str]: ...
    def set(self, ticket_id: int, kind: str, ref: str) -> None: ...
    def drop(self, ticket_id: int, kind: str) -> None: ...
    def ticket_for(self, kind: str, ref: str) -> int | None: ...
    def remember_echo(self, ticket_id: int, author: str, text: str) -> None: ...
    def take_echo(self, ticket_id: int, author: str, text: str) -> bool: ...
    def ticket_id(self, key: str) -> int | None: ...
    def ticket_key(self, ticket_id: int) -> str | None: ...
    def ticket(self, ticket_id: int) -> Ticket | None: ...


class TicketRepository(Protocol):
    def add(self, ticket: Ticket, *, idempotency_key: str | None = None) -> Ticket: ...
    def get(self, team: str, number: int, *, for_update: bool = False) -> Ticket | None: ...
    def get_by_id(self, ticket_id: int) -> Ticket | None: ...
    def by_idempotency_key(self, key: str) -> Ticket | None: ...
    def save(self, ticket: Ticket) -> None: ...
    def next_number(self, team: str) -> int: ...
    def count_created_by(self, requester: str, since: datetime) -> int: ...
    def search(self, *, teams: Iterable[str] | None = None, statuses: Iterable[str] | None = None,
               assignee: str | None = None, party: str | None = None, text: str | None = None,
               limit: int = 50, tag: str | None = None, category: str | None = None) -> list[Ticket]: ...


class UnitOfWork(Protocol):
    tickets: TicketRepository

    def __enter__(self) -> "UnitOfWork": ...
    def __exit__(self, *exc: object) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...
    def add_comment(self, comment: Comment) -> None: ...
    def comments(self, ticket_id: int, *, include_internal: bool) -> list[Comment]: ...
    def add_event(self, event: AuditEvent) -> None: ...
    def events(self, ticket_id: int) -> list[AuditEvent]: ...
    def add_rating(self, rating: Rating) -> None: ...
    def has_rating(self, ticket_id: int, resolution: int) -> bool: ...
    def queue(self, message: Outgoing) -> bool: ...
    def remember_user(self, user: str, locale: str | None) -> None: ...
    def user_locale(self, user: str) -> str | None: ...
    def set_ref(self, ticket_id: int, platform: str, kind: str, ref: str) -> None:
        """A platform reference written with the change that needs it (same transaction)."""


# -- the channel port: inbound requests are stored before they are acknowledged ------
@dataclass
class Inbound:
    """One request as a platform sent it, written to the inbox *before* the platform is acknowledged.

    `key` is the platform's own idempotency id (``slack:cmd:<trigger id>``, ``email:<Message-ID>``,
    ``whatsapp:<wamid>``): a second delivery of the same request is recognised and stored once.
    `payload` is what the adapter needs to act later (JSON-able); `reply` says where and until
    when the answer may go (a response URL and its expiry, a thread, an address).
    """

    key: str
    platform: str
    kind: str  # command | button | form | reaction | message | mail | webhook ...
    payload: dict[str, Any] = field(default_factory=dict)
    reply: dict[str, Any] = field(default_factory=dict)


@dataclass
class InboxEntry:
    """A stored inbound request handed to the adapter's handler by the inbox worker."""

    id: int
    key: str
    platform: str
    kind: str
    payload: dict[str, Any]
    reply: dict[str, Any]
    attempts: int
    received_at: datetime


class Inbox(Protocol):
    """The inbound-events port; storage implements it (`storage.inbox.SqlInbox`)."""

    def put(self, item: Inbound, now: datetime) -> bool:
        """Store durably; False when a request with this key is already stored."""

    def lease(self, now: datetime, *, platforms: Iterable[str], limit: int = 20,
              seconds: float = 60.0, key: str | None = None) -> list[InboxEntry]:
        """Take due entries (only `key`, when given), hidden from other workers until the lease ends
        (a dead worker's come back)."""

    def done(self, entry_id: int, now: datetime, *, answers: Iterable[Outgoing] = ()) -> None:
        """Mark handled and queue its answers in one transaction (each answer at most once)."""

    def failed(self, entry_id: int, now: datetime, error: str, *, retry_at: datetime | None) -> None:
        """Record a failed attempt: try again at `retry_at`, or give up (dead) when None."""
