"""The SQL unit of work: one transaction per service call."""
from __future__ import annotations

from dataclasses import replace
from typing import Callable

from sqlalchemy import Engine, insert, select
from sqlalchemy.orm import Session, sessionmaker

from storage.crypto import NO_CIPHER, Cipher
from storage.models import AuditRow, CommentRow, PlatformRef, RatingRow, TicketRow, UserRow, audit_values
from storage.outbox import queue_unique, write_messages
from storage.repository import SqlTicketRepository, upsert
from storage.rollup import add_events
from storage.workflow_store import SqlWorkflowStore
from tickets.model import AuditEvent, Comment, Rating
from tickets.ports import Clock, Outgoing, SystemClock


INSERT_EVENT = insert(AuditRow)


class SqlUnitOfWork:
    def __init__(self, session_factory: sessionmaker, clock: Clock, cipher: Cipher = NO_CIPHER,
                 on_commit: Callable[[], None] | None = None) -> None:
        self.session_factory = session_factory
        self.clock = clock
        self.cipher = cipher  # seals a confidential team's text on the way in, opens it on the way out
        self.on_commit = on_commit
        self.session: Session | None = None

    def __enter__(self) -> "SqlUnitOfWork":
        self.session = self.session_factory()
        self.tickets = SqlTicketRepository(self.session, self.cipher)
        self.workflows = SqlWorkflowStore(self.session, self.cipher, self.tickets.team_of)  # issue 15
        self._events: list[dict] = []
        self._messages: list[Outgoing] = []
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.session.rollback()
        finally:
            self.session.close()

    def commit(self) -> None:
        self._flush_pending()  # audit events and plain outbox rows: one statement each
        self.session.commit()
        if self.on_commit is not None:
            self.on_commit()  # wake the pump: there may be messages to deliver

    def rollback(self) -> None:
        self._events, self._messages = [], []
        self.session.rollback()

    def _flush_pending(self) -> None:
        """Write batched rows now (before reading them back inside the same transaction)."""
        conn = self.session.connection()
        if self._events:
            conn.execute(INSERT_EVENT, self._events)
            add_events(conn, self._events)  # the report rollup, in the same transaction
            self._events = []
        if self._messages:
            write_messages(conn, self._messages, self.clock.now())  # the one outbox writer
            self._messages = []

    # -- conversation and audit -------------------------------------------------
    def team_of(self, ticket_id: int) -> str | None:
        known = self.tickets.team_of.get(ticket_id)
        if known is None and self.cipher.enabled:
            known = self.session.execute(select(TicketRow.team).where(TicketRow.id == ticket_id)).scalar()
        return known

    def add_comment(self, comment: Comment) -> None:
        body = self.cipher.seal_for(self.team_of(comment.ticket_id), comment.body)
        self.session.add(CommentRow(ticket_id=comment.ticket_id, author=comment.author, body=body,
                                    internal=comment.internal, kind=comment.kind, created_at=comment.created_at))

    def comments(self, ticket_id: int, *, include_internal: bool) -> list[Comment]:
        stmt = select(CommentRow).where(CommentRow.ticket_id == ticket_id).order_by(CommentRow.id)
        if not include_internal:
            stmt = stmt.where(CommentRow.internal.is_(False))
        return [Comment(r.ticket_id, r.author, self.cipher.open(r.body), r.internal, r.created_at, r.kind, r.id)
                for r in self.session.scalars(stmt)]

    def add_event(self, event: AuditEvent) -> None:
        self._events.append(dict(ticket_id=event.ticket_id, team=event.team, actor=event.actor, action=event.action,
                                 at=event.at, changes=self.cipher.seal_changes(event.team, event.changes),
                                 **audit_values(event.changes)))

    def events(self, ticket_id: int) -> list[AuditEvent]:
        self._flush_pending()
        stmt = select(AuditRow).where(AuditRow.ticket_id == ticket_id).order_by(AuditRow.id)
        return [AuditEvent(r.ticket_id, r.actor, r.action, r.at, self.cipher.open_changes(r.changes), r.id, r.team)
                for r in self.session.scalars(stmt)]

    def add_rating(self, rating: Rating) -> None:
        comment = self.cipher.seal_for(self.team_of(rating.ticket_id), rating.comment)
        self.session.add(RatingRow(ticket_id=rating.ticket_id, resolution=rating.resolution, score=rating.score,
                                   comment=comment, by=rating.by, at=rating.at))

    def has_rating(self, ticket_id: int, resolution: int) -> bool:
        stmt = select(RatingRow.id).where(RatingRow.ticket_id == ticket_id, RatingRow.resolution == resolution)
        return self.session.execute(stmt).first() is not None

    # -- outbox and people ------------------------------------------------------
    def queue(self, message: Outgoing) -> bool:
        """Write a message to the outbox; False when its dedup key was already used."""
        if self.cipher.enabled:  # message texts are sealed in the outbox; the deliverer opens them
            message = replace(message, params=self.cipher.seal_params(message.params))
        if message.dedup_key is None:
            self._messages.append(message)
            return True
        return queue_unique(self.session, message, self.clock.now())

    def remember_user(self, user: str, locale: str | None) -> None:
        if not locale:
            return
        stmt = upsert(self.session)(UserRow).values(user_id=user, locale=locale)
        self.session.execute(stmt.on_conflict_do_update(index_elements=["user_id"], set_={"locale": locale}))

    def user_locale(self, user: str) -> str | None:
        return self.session.execute(select(UserRow.locale).where(UserRow.user_id == user)).scalar()

    def set_ref(self, ticket_id: int, platform: str, kind: str, ref: str) -> None:
        self.session.flush()  # the ticket row first
        stmt = upsert(self.session)(PlatformRef).values(ticket_id=ticket_id, platform=platform, kind=kind, ref=ref)
        self.session.execute(stmt.on_conflict_do_update(index_elements=["ticket_id", "platform", "kind"],
                                                        set_={"ref": ref}))


def uow_factory(engine: Engine, clock: Clock | None = None, *, readonly: bool = False,
                cipher: Cipher = NO_CIPHER, on_commit: Callable[[], None] | None = None
                ) -> Callable[[], SqlUnitOfWork]:
    """`readonly`: for the read side (lists, views); on SQLite its transactions start DEFERRED, so
    they read the last committed state without waiting for a writer's lock."""
    bind = engine.execution_options(sqlite_readonly=True) if readonly else engine
    sessions = sessionmaker(bind=bind, expire_on_commit=False)
    clock = clock or SystemClock()
    return lambda: SqlUnitOfWork(sessions, clock, cipher, on_commit)
