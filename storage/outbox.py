"""The outbox: the one writer of outgoing messages, and the delivery side (lease a batch,
mark the outcome).

Every transaction that emits messages writes them here: the unit of work
(`write_messages` for a change's batch, `queue_unique` when the caller needs to know
whether a dedup key was new), the SLA sweep and digests (`write_messages`) and the
inbox's completion of an entry (`queue_unique`). All rows have one shape (`outbox_values`).
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Iterable

from sqlalchemy import Connection, Engine, and_, case, or_, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from storage.bulk import as_rows, recordset
from storage.crypto import NO_CIPHER, Cipher
from storage.models import OutboxRow, TicketRow
from tickets.ports import Delivery, Outgoing

MESSAGE_COLUMNS = {"platform": "text", "target": "text", "template": "text", "params": "jsonb", "lang": "text",
                   "ticket_id": "bigint", "dedup_key": "text", "status": "text", "attempts": "int",
                   "next_attempt_at": "timestamptz", "created_at": "timestamptz"}
MESSAGES_PG = text("INSERT INTO outbox (" + ", ".join(MESSAGE_COLUMNS) + ") SELECT " + ", ".join(MESSAGE_COLUMNS)
                   + " FROM " + recordset(MESSAGE_COLUMNS) + " ON CONFLICT (dedup_key) DO NOTHING")
MESSAGES_SQLITE = sqlite.insert(OutboxRow).on_conflict_do_nothing(index_elements=["dedup_key"])


def outbox_values(message: Outgoing, now: datetime) -> dict:
    """The outbox row of one outgoing message (the one writer's row shape)."""
    return dict(platform=message.platform, target=message.target, template=message.template,
                params=message.params, lang=message.lang, ticket_id=message.ticket_id,
                dedup_key=message.dedup_key, status="pending", attempts=0,
                next_attempt_at=message.not_before or now, created_at=now)


def write_messages(conn: Connection, messages: Iterable[Outgoing], now: datetime) -> None:
    """Write a batch of messages in the caller's transaction (one statement); a message whose
    dedup key was already used is skipped."""
    values = [outbox_values(m, now) for m in messages]
    if not values:
        return
    if conn.dialect.name == "postgresql":
        conn.execute(MESSAGES_PG, as_rows(values))
    else:
        conn.execute(MESSAGES_SQLITE, values)  # one prepared statement, executemany


def queue_unique(session: Session, message: Outgoing, now: datetime) -> bool:
    """Write a message with a dedup key; False when that key was already used (nothing written)."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = (insert(OutboxRow).values(**outbox_values(message, now))
            .on_conflict_do_nothing(index_elements=["dedup_key"]))
    # RETURNING, not rowcount: psycopg reports -1 for this statement run through the ORM session
    return session.execute(stmt.returning(OutboxRow.id)).first() is not None


class SqlOutbox:
    def __init__(self, engine: Engine, cipher: Cipher = NO_CIPHER) -> None:
        self.engine = engine
        self.cipher = cipher  # opens message texts sealed by the writers (storage/crypto.py)
        self.sessions = sessionmaker(bind=engine, expire_on_commit=False)

    def lease(self, platform: str, now: datetime, *, limit: int = 50, lease: timedelta = timedelta(seconds=60),
              ticket_ids: list[int] | None = None, dedup_prefix: str | None = None) -> list[Delivery]:
        """Take up to `limit` due messages for `platform`, hidden from other deliverers until the lease ends.

        A deliverer that dies mid-batch loses nothing: its lease runs out and
        another one takes the rows again.
        """
        with self.sessions() as session, session.begin():
            due = and_(OutboxRow.platform == platform, OutboxRow.status == "pending",
                       OutboxRow.next_attempt_at <= now,
                       or_(OutboxRow.lease_until.is_(None), OutboxRow.lease_until <= now))
            # answers to people waiting (reply:…) first: they never queue behind a paced channel's posts
            first = case((OutboxRow.target.startswith("reply:"), 0), else_=1)
            stmt = select(OutboxRow.id).where(due).order_by(first, OutboxRow.id).limit(limit)
            if ticket_ids is not None:
                stmt = stmt.where(OutboxRow.ticket_id.in_(ticket_ids))
            if dedup_prefix is not None:  # e.g. the answers of one inbox entry ("inbox:<key>:")
                stmt = stmt.where(OutboxRow.dedup_key.startswith(dedup_prefix, autoescape=True))
            if self.engine.dialect.name == "postgresql":
                stmt = stmt.with_for_update(skip_locked=True)
            ids = list(session.scalars(stmt))
            if not ids:
                return []
            session.execute(update(OutboxRow).where(OutboxRow.id.in_(ids))
                            .values(lease_until=now + lease, attempts=OutboxRow.attempts + 1)
                            .execution_options(synchronize_session=False))
            rows = session.execute(
                select(OutboxRow, TicketRow.team, TicketRow.number)
                .outerjoin(TicketRow, TicketRow.id == OutboxRow.ticket_id)
                .where(OutboxRow.id.in_(ids)).order_by(first, OutboxRow.id)).all()
            return [Delivery(id=r.id, platform=r.platform, target=r.target, template=r.template,
                             params=self.cipher.open_params(r.params), lang=r.lang,
                             ticket_key=f"{team}-{number}" if team else None, attempts=r.attempts)
                    for r, team, number in rows]

    def _set(self, session: Session, ids: list[int], **values) -> None:
        session.execute(update(OutboxRow).where(OutboxRow.id.in_(ids)).values(**values)
                        .execution_options(synchronize_session=False))

    def sent(self, ids: list[int], now: datetime) -> None:
        if ids:
            with self.sessions() as session, session.begin():
                self._set(session, ids, status="sent", sent_at=now, lease_until=None, last_error=None)

    def release(self, ids: list[int]) -> None:
        """Give back leased rows untried (their attempt does not count)."""
        if ids:
            with self.sessions() as session, session.begin():
                self._set(session, ids, lease_until=None, attempts=OutboxRow.attempts - 1)

    def failed(self, delivery_id: int, now: datetime, error: str, *, retry_at: datetime | None,
               count_attempt: bool = True) -> None:
        values = {"lease_until": None, "last_error": error[:2000]}
        if retry_at is None:
            values["status"] = "dead"
        else:
            values["next_attempt_at"] = retry_at
        with self.sessions() as session, session.begin():
            if not count_attempt:
                values["attempts"] = OutboxRow.attempts - 1
            self._set(session, [delivery_id], **values)

    def rows(self, status: str | None = None, limit: int = 100) -> list[OutboxRow]:
        with self.sessions() as session:
            stmt = select(OutboxRow).order_by(OutboxRow.id.desc()).limit(limit)
            if status:
                stmt = stmt.where(OutboxRow.status == status)
            return list(session.scalars(stmt))

    def retry(self, ids: list[int] | None, now: datetime) -> int:
        """Put dead messages back in the queue (all dead ones when `ids` is None)."""
        with self.sessions() as session, session.begin():
            stmt = update(OutboxRow).where(OutboxRow.status == "dead")
            if ids is not None:
                stmt = stmt.where(OutboxRow.id.in_(ids))
            result = session.execute(stmt.values(status="pending", attempts=0, next_attempt_at=now,
                                                 lease_until=None).execution_options(synchronize_session=False))
            return result.rowcount
