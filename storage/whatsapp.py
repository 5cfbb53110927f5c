"""What the WhatsApp channel remembers: each person's conversation state and window, the
WhatsApp message id (wamid) of every message sent with its delivery status, and kept media.

- whatsapp_contacts: one row per number: profile name, language, when they last wrote (the
  24-hour window), what Tiket asked them and waits for, tickets already announced by template.
- whatsapp_messages: wamid -> the outbox delivery it carried, with the last status Meta reported.
- whatsapp_media: images, documents, audio ... downloaded from the Graph API, kept with the ticket.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (Engine, ForeignKey, Integer, LargeBinary, String, Text, and_, select,
                        update)
from sqlalchemy.orm import Mapped, mapped_column, sessionmaker

from storage.models import Base, BigId, OutboxRow, UserRow
from storage.types import JSONType, UTCDateTime

STATUS_RANK = {"accepted": 0, "sent": 1, "delivered": 2, "read": 3, "failed": 4}


class WhatsAppContact(Base):
    __tablename__ = "whatsapp_contacts"
    number: Mapped[str] = mapped_column(String(32), primary_key=True)  # +6281234...
    name: Mapped[str | None] = mapped_column(String(200))
    lang: Mapped[str | None] = mapped_column(String(10))
    last_inbound_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    pending: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    templated: Mapped[list[str]] = mapped_column(JSONType, default=list)  # ticket keys told by template
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class WhatsAppMessage(Base):
    __tablename__ = "whatsapp_messages"
    wamid: Mapped[str] = mapped_column(String(255), primary_key=True)
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(12))  # message | template
    status: Mapped[str] = mapped_column(String(12))  # accepted | sent | delivered | read | failed
    error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class WhatsAppMedia(Base):
    __tablename__ = "whatsapp_media"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(32))
    wamid: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    mime: Mapped[str] = mapped_column(String(120))
    filename: Mapped[str | None] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


@dataclass
class Contact:
    number: str
    name: str | None = None
    lang: str | None = None
    last_inbound_at: datetime | None = None
    pending: dict = field(default_factory=dict)
    templated: list[str] = field(default_factory=list)


@dataclass
class StatusChange:
    wamid: str
    outbox_id: int | None
    ticket_id: int | None
    number: str
    status: str
    changed: bool


def user_id(number: str) -> str:
    return f"whatsapp:{number}"


class SqlWhatsApp:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sessions = sessionmaker(bind=engine, expire_on_commit=False)

    # -- people ---------------------------------------------------------------------
    def contact(self, number: str) -> Contact:
        with self.sessions() as session:
            row = session.get(WhatsAppContact, number)
            if row is None:
                return Contact(number)
            return Contact(number, row.name, row.lang, row.last_inbound_at, dict(row.pending or {}),
                           list(row.templated or []))

    def wrote(self, number: str, name: str | None, at: datetime) -> int:
        """The person wrote at `at`: their window opens, held messages to them are released (returns how many)."""
        from storage.repository import upsert

        with self.sessions() as session, session.begin():
            row = session.get(WhatsAppContact, number, with_for_update=True)
            if row is None:
                session.add(WhatsAppContact(number=number, name=name, last_inbound_at=at, pending={},
                                            templated=[], updated_at=at))
            else:
                if row.last_inbound_at is None or row.last_inbound_at < at:
                    row.last_inbound_at = at
                row.name = name or row.name
                row.templated = []
                row.updated_at = at
            if name:
                stmt = upsert(session)(UserRow).values(user_id=user_id(number), display_name=name)
                session.execute(stmt.on_conflict_do_update(index_elements=["user_id"], set_={"display_name": name}))
            held = and_(OutboxRow.platform == "whatsapp", OutboxRow.target == f"user:{user_id(number)}",
                        OutboxRow.status == "pending", OutboxRow.next_attempt_at > at)
            result = session.execute(update(OutboxRow).where(held).values(next_attempt_at=at)
                                     .execution_options(synchronize_session=False))
            return result.rowcount or 0

    def remember(self, number: str, at: datetime, *, pending: dict | None = None, lang: str | None = None) -> None:
        values: dict[str, Any] = {"updated_at": at}
        if pending is not None:
            values["pending"] = pending
        if lang is not None:
            values["lang"] = lang
        with self.sessions() as session, session.begin():
            if session.get(WhatsAppContact, number) is None:
                session.add(WhatsAppContact(number=number, pending={}, templated=[], **values))
            else:
                session.execute(update(WhatsAppContact).where(WhatsAppContact.number == number).values(**values))

    def templated(self, number: str, key: str, at: datetime) -> bool:
        """Note that `key` was announced by template since they last wrote; False when it already was."""
        with self.sessions() as session, session.begin():
            row = session.get(WhatsAppContact, number, with_for_update=True)
            if row is None:
                session.add(WhatsAppContact(number=number, pending={}, templated=[key], updated_at=at))
                return True
            if key in (row.templated or []):
                return False
            row.templated = [*(row.templated or []), key]
            return True

    # -- what was sent and what became of it ----------------------------------------
    def sent(self, wamid: str, outbox_id: int | None, number: str, kind: str, at: datetime) -> None:
        with self.sessions() as session, session.begin():
            if session.get(WhatsAppMessage, wamid) is None:
                session.add(WhatsAppMessage(wamid=wamid, outbox_id=outbox_id, number=number, kind=kind,
                                            status="accepted", sent_at=at, updated_at=at))

    def status(self, wamid: str, status: str, at: datetime, error: str | None = None) -> StatusChange | None:
        """Record a delivery status (never going back from read to delivered); None for an unknown wamid."""
        with self.sessions() as session, session.begin():
            row = session.get(WhatsAppMessage, wamid, with_for_update=True)
            if row is None:
                return None
            changed = STATUS_RANK.get(status, -1) > STATUS_RANK.get(row.status, -1)
            if changed:
                row.status, row.updated_at = status, at
                row.error = error or row.error
            if changed and status == "failed" and row.outbox_id:
                session.execute(update(OutboxRow).where(OutboxRow.id == row.outbox_id)
                                .values(last_error=f"whatsapp failed: {error or '-'}"[:2000])
                                .execution_options(synchronize_session=False))
            ticket_id = session.scalar(select(OutboxRow.ticket_id).where(OutboxRow.id == row.outbox_id)) \
                if row.outbox_id else None
            return StatusChange(wamid, row.outbox_id, ticket_id, row.number, row.status, changed)

    def messages(self, outbox_id: int | None = None) -> list[WhatsAppMessage]:
        with self.sessions() as session:
            stmt = select(WhatsAppMessage).order_by(WhatsAppMessage.sent_at, WhatsAppMessage.wamid)
            if outbox_id is not None:
                stmt = stmt.where(WhatsAppMessage.outbox_id == outbox_id)
            return list(session.scalars(stmt))

    # -- media ----------------------------------------------------------------------
    def keep_media(self, *, number: str, wamid: str, kind: str, mime: str, filename: str | None, data: bytes,
                   at: datetime) -> int:
        with self.sessions() as session, session.begin():
            existing = session.scalar(select(WhatsAppMedia.id).where(WhatsAppMedia.wamid == wamid))
            if existing is not None:  # the same message handled again after a crash
                return existing
            row = WhatsAppMedia(number=number, wamid=wamid, kind=kind, mime=mime, filename=filename,
                                size=len(data), data=data, created_at=at)
            session.add(row)
            session.flush()
            return row.id

    def attach_media(self, ids: list[int], ticket_id: int) -> None:
        if ids:
            with self.sessions() as session, session.begin():
                session.execute(update(WhatsAppMedia).where(WhatsAppMedia.id.in_(ids)).values(ticket_id=ticket_id)
                                .execution_options(synchronize_session=False))

    def media(self, *, ticket_id: int | None = None, media_id: int | None = None) -> list[WhatsAppMedia]:
        with self.sessions() as session:
            stmt = select(WhatsAppMedia).order_by(WhatsAppMedia.id)
            if ticket_id is not None:
                stmt = stmt.where(WhatsAppMedia.ticket_id == ticket_id)
            if media_id is not None:
                stmt = stmt.where(WhatsAppMedia.id == media_id)
            return list(session.scalars(stmt))
