"""The web door's own rows: signed links (a requester's status page, one-time sign-in links) and
files attached on the request form; plus a read of an inbox entry's stored payload (idempotency)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine, ForeignKey, Index, Integer, LargeBinary, String, select, update
from sqlalchemy.orm import Mapped, mapped_column, sessionmaker

from storage.models import Base, BigId, TicketRow
from storage.types import JSONType, UTCDateTime


class WebLinkRow(Base):
    __tablename__ = "web_links"
    __table_args__ = (Index("ix_web_links_ticket_subject", "kind", "ticket_id", "subject"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(10))  # status | sign-in
    nonce: Mapped[str] = mapped_column(String(64))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    subject: Mapped[str] = mapped_column(String(255))  # the requester (email:<address>)
    data: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class WebAttachmentRow(Base):
    __tablename__ = "web_attachments"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    entry_key: Mapped[str] = mapped_column(String(255), index=True)  # the form's inbox entry
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class WebStore:
    def __init__(self, engine: Engine) -> None:
        self.sessions = sessionmaker(bind=engine, expire_on_commit=False)
        # reads start DEFERRED on SQLite: they never wait for (or block) a writer's lock
        self.reads = sessionmaker(bind=engine.execution_options(sqlite_readonly=True), expire_on_commit=False)

    # -- links ------------------------------------------------------------------------
    def link(self, kind: str, ticket_id: int | None, subject: str, nonce: str, now: datetime, *,
             expires_at: datetime | None = None, data: dict | None = None, reuse: bool = True) -> WebLinkRow:
        """The live link of this kind for ticket + subject (made once), or a new one when reuse is off."""
        with self.sessions() as session, session.begin():
            if reuse:
                row = session.scalar(select(WebLinkRow).where(
                    WebLinkRow.kind == kind, WebLinkRow.ticket_id == ticket_id, WebLinkRow.subject == subject,
                    WebLinkRow.revoked_at.is_(None)).order_by(WebLinkRow.id))
                if row is not None:
                    return row
            row = WebLinkRow(kind=kind, nonce=nonce, ticket_id=ticket_id, subject=subject, data=data or {},
                             created_at=now, expires_at=expires_at)
            session.add(row)
        return row

    def get_link(self, link_id: int) -> WebLinkRow | None:
        with self.reads() as session:
            return session.get(WebLinkRow, link_id)

    def use_link(self, link_id: int, now: datetime) -> bool:
        """Mark a one-time link used; False when it already was (or is revoked)."""
        with self.sessions() as session, session.begin():
            result = session.execute(update(WebLinkRow).where(
                WebLinkRow.id == link_id, WebLinkRow.used_at.is_(None), WebLinkRow.revoked_at.is_(None))
                .values(used_at=now).execution_options(synchronize_session=False))
            return result.rowcount == 1

    def revoke_links(self, ticket_id: int, now: datetime) -> int:
        with self.sessions() as session, session.begin():
            result = session.execute(update(WebLinkRow).where(
                WebLinkRow.ticket_id == ticket_id, WebLinkRow.revoked_at.is_(None)).values(revoked_at=now)
                .execution_options(synchronize_session=False))
            return result.rowcount

    def ticket_id(self, team: str, number: int) -> int | None:
        with self.reads() as session:
            return session.scalar(select(TicketRow.id).where(TicketRow.team == team, TicketRow.number == number))

    # -- attachments ------------------------------------------------------------------
    def attach(self, entry_key: str, files: list[tuple[str, str, bytes]], now: datetime) -> None:
        with self.sessions() as session, session.begin():
            for name, ctype, data in files:
                session.add(WebAttachmentRow(entry_key=entry_key, filename=name[:255], content_type=ctype[:100],
                                             size=len(data), data=data, created_at=now))

    def claim_attachments(self, entry_key: str, ticket_id: int) -> None:
        with self.sessions() as session, session.begin():
            session.execute(update(WebAttachmentRow).where(WebAttachmentRow.entry_key == entry_key)
                            .values(ticket_id=ticket_id).execution_options(synchronize_session=False))

    def attachments(self, ticket_id: int) -> list[tuple[int, str, str, int]]:
        with self.reads() as session:
            rows = session.execute(select(WebAttachmentRow.id, WebAttachmentRow.filename,
                                          WebAttachmentRow.content_type, WebAttachmentRow.size)
                                   .where(WebAttachmentRow.ticket_id == ticket_id).order_by(WebAttachmentRow.id))
            return [tuple(r) for r in rows]

    def attachment(self, ticket_id: int, attachment_id: int) -> WebAttachmentRow | None:
        with self.reads() as session:
            row = session.get(WebAttachmentRow, attachment_id)
            return row if row is not None and row.ticket_id == ticket_id else None

    # -- what the form writes besides the ticket ---------------------------------------
    def queue(self, message, now: datetime) -> bool:
        """An outgoing message (a sign-in link by mail) queued in the outbox once."""
        from storage.outbox import queue_unique

        with self.sessions() as session, session.begin():
            return queue_unique(session, message, now)

    def remember_name(self, user: str, name: str) -> None:
        from storage.models import UserRow
        from storage.repository import upsert

        with self.sessions() as session, session.begin():
            stmt = upsert(session)(UserRow).values(user_id=user, display_name=name[:200])
            session.execute(stmt.on_conflict_do_update(index_elements=["user_id"], set_={"display_name": name[:200]}))

    # -- reads for the pages ----------------------------------------------------------
    def inbox_payload(self, key: str) -> dict | None:
        from storage.inbox import InboxRow

        with self.reads() as session:
            return session.scalar(select(InboxRow.payload).where(InboxRow.key == key))

    def ratings(self, ticket_id: int) -> list[dict[str, Any]]:
        """A ticket's ratings as `tiket tickets show --json` lists them."""
        from storage.models import RatingRow

        with self.reads() as session:
            rows = session.scalars(select(RatingRow).where(RatingRow.ticket_id == ticket_id).order_by(RatingRow.id))
            return [{"score": r.score, "comment": r.comment, "by": r.by, "resolution": r.resolution,
                     "at": r.at.isoformat().replace("+00:00", "Z") if r.at else None} for r in rows]

    def inbox_status(self, key: str) -> str | None:
        from storage.inbox import InboxRow

        with self.reads() as session:
            return session.scalar(select(InboxRow.status).where(InboxRow.key == key))

    def display_name(self, user: str | None) -> str | None:
        from storage.models import UserRow

        if not user:
            return None
        with self.reads() as session:
            return session.scalar(select(UserRow.display_name).where(UserRow.user_id == user))
