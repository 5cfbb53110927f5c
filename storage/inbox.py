"""The inbox: every inbound platform request, stored before it is acknowledged.

One row per request, keyed by the platform's own idempotency id, so a retried
delivery is stored once. Workers lease due rows (SKIP LOCKED on PostgreSQL; SQLite's
writers are serialised by BEGIN IMMEDIATE), and a row whose worker died comes back
when its lease runs out. Marking a row done queues its answers in the same transaction.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, Callable, Iterable

from sqlalchemy import Engine, Index, Integer, String, Text, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from storage.base import Base, BigId
from storage.group_commit import GroupCommit
from storage.outbox import queue_unique
from storage.types import JSONType, UTCDateTime
from tickets.ports import Inbound, InboxEntry, Outgoing


class InboxRow(Base):
    __tablename__ = "inbox"
    __table_args__ = (Index("ix_inbox_due", "status", "platform", "next_attempt_at"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)
    platform: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(30))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    reply: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending | done | dead
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)


class SqlInbox:
    """`tickets.ports.Inbox` on SQL."""

    def __init__(self, engine: Engine, cipher=None, on_commit: Callable[[], None] | None = None) -> None:
        self.engine = engine
        self.sessions = sessionmaker(bind=engine, expire_on_commit=False)
        self.cipher = cipher  # with keys, request texts and answers are sealed at rest (storage/crypto.py)
        self.on_commit = on_commit  # wakes this process's pump
        self.insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
        # built once, so it is compiled once (a batch is one executemany, one round trip with RETURNING)
        self._store = (self.insert(InboxRow).on_conflict_do_nothing(index_elements=["key"])
                       .returning(InboxRow.key))
        # concurrent acknowledgements share transactions (storage.group_commit)
        self._group: GroupCommit[tuple[Inbound, datetime], bool] = GroupCommit(self._put_batch)

    def _seal(self, params: dict) -> dict:
        return self.cipher.seal_params(params) if self.cipher is not None else params

    def _open(self, params: dict) -> dict:
        return self.cipher.open_params(params) if self.cipher is not None else dict(params or {})

    def put(self, item: Inbound, now: datetime) -> bool:
        stored = self._group.submit((item, now))
        if stored and self.on_commit is not None:
            self.on_commit()
        return stored

    def _put_batch(self, batch: list[tuple[Inbound, datetime]]) -> list[bool]:
        """One INSERT for the batch; True for each request stored now, False for one already stored."""
        first: dict[str, int] = {}
        for index, (item, _now) in enumerate(batch):
            first.setdefault(item.key, index)  # the same request twice in one batch: the first one counts
        rows = [dict(key=item.key, platform=item.platform, kind=item.kind, payload=self._seal(item.payload),
                     reply=item.reply, status="pending", attempts=0, next_attempt_at=now, received_at=now)
                for index, (item, now) in enumerate(batch) if first[item.key] == index]
        with self.engine.begin() as conn:
            inserted = set(conn.execute(self._store, rows).scalars())
        return [item.key in inserted and first[item.key] == index for index, (item, _now) in enumerate(batch)]

    def lease(self, now: datetime, *, platforms: Iterable[str], limit: int = 20,
              seconds: float = 60.0, key: str | None = None) -> list[InboxEntry]:
        platforms = list(platforms)
        if not platforms:
            return []
        with self.sessions() as session, session.begin():
            stmt = (select(InboxRow.id)
                    .where(InboxRow.status == "pending", InboxRow.platform.in_(platforms),
                           InboxRow.next_attempt_at <= now,
                           (InboxRow.lease_until.is_(None)) | (InboxRow.lease_until <= now))
                    .order_by(InboxRow.id).limit(limit))
            if key is not None:
                stmt = stmt.where(InboxRow.key == key)
            if self.engine.dialect.name == "postgresql":
                stmt = stmt.with_for_update(skip_locked=True)
            ids = list(session.scalars(stmt))
            if not ids:
                return []
            session.execute(update(InboxRow).where(InboxRow.id.in_(ids))
                            .values(lease_until=now + timedelta(seconds=seconds), attempts=InboxRow.attempts + 1)
                            .execution_options(synchronize_session=False))
            rows = session.scalars(select(InboxRow).where(InboxRow.id.in_(ids)).order_by(InboxRow.id))
            return [InboxEntry(id=r.id, key=r.key, platform=r.platform, kind=r.kind, payload=self._open(r.payload),
                               reply=dict(r.reply or {}), attempts=r.attempts, received_at=r.received_at)
                    for r in rows]

    def done(self, entry_id: int, now: datetime, *, answers: Iterable[Outgoing] = ()) -> None:
        with self.sessions() as session, session.begin():
            for answer in answers:
                if self.cipher is not None and self.cipher.enabled:
                    answer = replace(answer, params=self.cipher.seal_params(answer.params))
                queue_unique(session, answer, now)
            self._set(session, entry_id, status="done", processed_at=now, lease_until=None, last_error=None)
        if answers and self.on_commit is not None:
            self.on_commit()  # its answers are in the outbox: wake the deliverer

    def failed(self, entry_id: int, now: datetime, error: str, *, retry_at: datetime | None) -> None:
        values: dict[str, Any] = {"lease_until": None, "last_error": error[:2000]}
        if retry_at is None:
            values.update(status="dead", processed_at=now)
        else:
            values["next_attempt_at"] = retry_at
        with self.sessions() as session, session.begin():
            self._set(session, entry_id, **values)

    @staticmethod
    def _set(session: Session, entry_id: int, **values: Any) -> None:
        session.execute(update(InboxRow).where(InboxRow.id == entry_id).values(**values)
                        .execution_options(synchronize_session=False))

    # -- what operators and tests look at ---------------------------------------------
    def status(self, key: str) -> str | None:
        with self.sessions() as session:
            return session.scalar(select(InboxRow.status).where(InboxRow.key == key))

    def statuses(self, keys: list[str]) -> dict[str, str]:
        """key -> status of the stored requests among `keys`."""
        if not keys:
            return {}
        with self.sessions() as session:
            rows = session.execute(select(InboxRow.key, InboxRow.status).where(InboxRow.key.in_(keys)))
            return {key: status for key, status in rows}

    def counts(self, platform: str | None = None) -> dict[str, int]:
        """Rows per status (the backlog is "pending")."""
        with self.sessions() as session:
            stmt = select(InboxRow.status, func.count()).group_by(InboxRow.status)
            if platform:
                stmt = stmt.where(InboxRow.platform == platform)
            return {status: n for status, n in session.execute(stmt)}

    def rows(self, *, platform: str | None = None, status: str | None = None, limit: int = 100) -> list[InboxRow]:
        with self.sessions() as session:
            stmt = select(InboxRow).order_by(InboxRow.id.desc()).limit(limit)
            if platform:
                stmt = stmt.where(InboxRow.platform == platform)
            if status:
                stmt = stmt.where(InboxRow.status == status)
            return list(session.scalars(stmt))

    def retry(self, ids: list[int] | None, now: datetime, *, platform: str | None = None) -> int:
        """Put dead entries back in the queue (all dead ones of the platform when `ids` is None)."""
        with self.sessions() as session, session.begin():
            stmt = update(InboxRow).where(InboxRow.status == "dead")
            if ids is not None:
                stmt = stmt.where(InboxRow.id.in_(ids))
            if platform:
                stmt = stmt.where(InboxRow.platform == platform)
            result = session.execute(stmt.values(status="pending", attempts=0, next_attempt_at=now, lease_until=None)
                                     .execution_options(synchronize_session=False))
            return result.rowcount
