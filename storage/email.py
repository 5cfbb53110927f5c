"""Email storage: the Message-ID <-> ticket map, attachments, raw mail awaiting processing, fetch state.

`email_mail` holds one row per mail Tiket received or sent for a ticket (replies are matched
on these Message-IDs); `email_attachments` the attachments kept with a ticket; `email_raw` a
fetched mail until the inbox entry that carries its key is processed; `email_fetch` when the
mailbox was last read. For confidential teams (with TIKET_ENCRYPTION__KEYS set) the subjects and
attachment contents are sealed at rest with the same cipher as their tickets.
"""
from __future__ import annotations

import base64
from datetime import datetime
from typing import Any, Iterable

from sqlalchemy import (Boolean, Engine, ForeignKey, Index, Integer, LargeBinary, String, Text, delete, func,
                        select, update)
from sqlalchemy.orm import Mapped, mapped_column, sessionmaker

from storage.models import Base, BigId, OutboxRow
from storage.types import JSONType, UTCDateTime


class EmailMailRow(Base):
    __tablename__ = "email_mail"
    __table_args__ = (Index("ix_email_mail_address", "address", "direction", "created_at"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    message_id: Mapped[str] = mapped_column(String(998), unique=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    direction: Mapped[str] = mapped_column(String(3))  # in | out
    address: Mapped[str] = mapped_column(String(320))  # the sender (in) or the recipient (out)
    participants: Mapped[list[str]] = mapped_column(JSONType, default=list)  # To and Cc of a mail received
    subject: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(20), default="")  # new | reply | ack | notice | refused | ignored ...
    acked: Mapped[bool] = mapped_column(Boolean, default=False)
    outbox_id: Mapped[int | None] = mapped_column(BigId)
    status: Mapped[str] = mapped_column(String(10), default="ok")  # ok | bounced
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class EmailAttachmentRow(Base):
    __tablename__ = "email_attachments"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    message_id: Mapped[str] = mapped_column(String(998))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes | None] = mapped_column(LargeBinary)  # None: above the attachment limit
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class EmailRawRow(Base):
    __tablename__ = "email_raw"
    key: Mapped[str] = mapped_column(String(255), primary_key=True)  # the inbox key, email:<Message-ID>
    uid: Mapped[str] = mapped_column(String(40))
    folder: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(Integer)
    raw: Mapped[bytes | None] = mapped_column(LargeBinary)  # None: only the headers were fetched (too large)
    headers: Mapped[bytes | None] = mapped_column(LargeBinary)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime)


class EmailFetchRow(Base):
    __tablename__ = "email_fetch"
    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    fetched: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)


def _upsert(session, model):
    from storage.repository import upsert

    return upsert(session)(model)


class EmailStore:
    def __init__(self, engine: Engine, cipher=None) -> None:
        self.engine = engine
        self.sessions = sessionmaker(bind=engine, expire_on_commit=False)
        self.cipher = cipher  # storage.crypto.Cipher or None

    def _seal(self, team: str | None, text: str) -> str:
        return self.cipher.seal_for(team, text) if self.cipher is not None else text

    def _open(self, text: str) -> str:
        return self.cipher.open(text) if self.cipher is not None else text

    def _seal_bytes(self, team: str | None, data: bytes | None) -> bytes | None:
        if data is None or self.cipher is None or not self.cipher.seals(team):
            return data
        return self.cipher.seal(base64.b64encode(data).decode("ascii")).encode("ascii")

    def _open_bytes(self, data: bytes | None) -> bytes | None:
        if data is None or self.cipher is None or not data.startswith(b"enc1:"):
            return data
        return base64.b64decode(self.cipher.open(data.decode("ascii")))

    # -- fetched mail, kept until processed --------------------------------------------------
    def save_raw(self, key: str, *, uid: str, folder: str, size: int, raw: bytes | None, headers: bytes | None,
                 now: datetime) -> None:
        with self.sessions() as s, s.begin():
            s.execute(_upsert(s, EmailRawRow).values(key=key, uid=uid, folder=folder, size=size, raw=raw,
                                                     headers=headers, fetched_at=now)
                      .on_conflict_do_nothing(index_elements=["key"]))

    def raw(self, key: str) -> EmailRawRow | None:
        with self.sessions() as s:
            return s.get(EmailRawRow, key)

    def drop_raw(self, keys: Iterable[str]) -> None:
        keys = list(keys)
        if keys:
            with self.sessions() as s, s.begin():
                s.execute(delete(EmailRawRow).where(EmailRawRow.key.in_(keys)))

    # -- the Message-ID map -----------------------------------------------------------------------
    def record(self, message_id: str, *, direction: str, address: str, now: datetime, ticket_id: int | None = None,
               participants: list[str] | None = None, subject: str = "", kind: str = "", acked: bool = False,
               outbox_id: int | None = None, team: str | None = None) -> bool:
        """Remember one mail; False when its Message-ID is known already (nothing changed)."""
        subject = self._seal(team, subject)
        with self.sessions() as s, s.begin():
            stmt = (_upsert(s, EmailMailRow)
                    .values(message_id=message_id[:998], ticket_id=ticket_id, direction=direction,
                            address=address[:320], participants=participants or [], subject=subject, kind=kind,
                            acked=acked, outbox_id=outbox_id, status="ok", created_at=now)
                    .on_conflict_do_nothing(index_elements=["message_id"]).returning(EmailMailRow.id))
            return s.execute(stmt).first() is not None

    def mail(self, message_id: str) -> EmailMailRow | None:
        with self.sessions() as s:
            return s.scalar(select(EmailMailRow).where(EmailMailRow.message_id == message_id[:998]))

    def ticket_for(self, message_ids: Iterable[str]) -> int | None:
        """The ticket a reply belongs to: the newest known mail among the ids it refers to."""
        ids = [m[:998] for m in message_ids if m]
        if not ids:
            return None
        with self.sessions() as s:
            return s.scalar(select(EmailMailRow.ticket_id)
                            .where(EmailMailRow.message_id.in_(ids), EmailMailRow.ticket_id.is_not(None))
                            .order_by(EmailMailRow.id.desc()).limit(1))

    def ticket_id_for_key(self, key: str) -> int | None:
        from storage.models import TicketRow

        team, _, number = key.upper().rpartition("-")
        if not team or not (number.isascii() and number.isdigit()) or len(number) > 9:
            return None
        with self.sessions() as s:
            return s.scalar(select(TicketRow.id).where(TicketRow.team == team, TicketRow.number == int(number)))

    def thread(self, ticket_id: int) -> list[EmailMailRow]:
        with self.sessions() as s:
            rows = list(s.scalars(select(EmailMailRow).where(EmailMailRow.ticket_id == ticket_id)
                                  .order_by(EmailMailRow.id)))
        for row in rows:  # detached: opening changes nothing stored
            row.subject = self._open(row.subject)
        return rows

    def copied(self, ticket_id: int) -> set[str]:
        """Everyone who sent or was copied on a mail received for the ticket."""
        out: set[str] = set()
        for row in self.thread(ticket_id):
            if row.direction == "in":
                out.add(row.address)
                out.update(row.participants or [])
        return out

    def acks_since(self, address: str, since: datetime) -> int:
        with self.sessions() as s:
            return s.scalar(select(func.count()).select_from(EmailMailRow)
                            .where(EmailMailRow.address == address, EmailMailRow.direction == "in",
                                   EmailMailRow.acked.is_(True), EmailMailRow.created_at >= since)) or 0

    def bounced(self, message_id: str, reason: str, now: datetime) -> EmailMailRow | None:
        """Mark a sent mail and its outbox delivery failed; the row (None when Tiket never sent it)."""
        with self.sessions() as s, s.begin():
            row = s.scalar(select(EmailMailRow).where(EmailMailRow.message_id == message_id[:998],
                                                      EmailMailRow.direction == "out"))
            if row is None:
                return None
            row.status, row.reason = "bounced", reason[:2000]
            if row.outbox_id is not None:
                s.execute(update(OutboxRow).where(OutboxRow.id == row.outbox_id)
                          .values(status="dead", last_error=f"bounced: {reason}"[:2000])
                          .execution_options(synchronize_session=False))
            return row

    # -- attachments -------------------------------------------------------------------------------
    def add_attachments(self, ticket_id: int, message_id: str, files: Iterable[Any], now: datetime,
                        team: str | None = None) -> int:
        files = list(files)
        with self.sessions() as s, s.begin():
            known = s.scalar(select(func.count()).select_from(EmailAttachmentRow)
                             .where(EmailAttachmentRow.message_id == message_id[:998]))
            if known or not files:
                return 0
            for f in files:
                s.add(EmailAttachmentRow(ticket_id=ticket_id, message_id=message_id[:998], filename=f.name[:255],
                                         content_type=f.content_type[:255], size=f.size,
                                         content=self._seal_bytes(team, f.data),
                                         created_at=now))
            return len(files)

    def attachments(self, ticket_id: int) -> list[EmailAttachmentRow]:
        with self.sessions() as s:
            rows = list(s.scalars(select(EmailAttachmentRow).where(EmailAttachmentRow.ticket_id == ticket_id)
                                  .order_by(EmailAttachmentRow.id)))
        for row in rows:
            row.content = self._open_bytes(row.content)
        return rows

    # -- the fetch loop's state --------------------------------------------------------------------
    def fetched(self, now: datetime, count: int, error: str | None = None, name: str = "imap") -> None:
        with self.sessions() as s, s.begin():
            values = dict(name=name, at=now, fetched=count, error=error)
            s.execute(_upsert(s, EmailFetchRow).values(**values)
                      .on_conflict_do_update(index_elements=["name"], set_=values))

    def fetch_state(self, name: str = "imap") -> EmailFetchRow | None:
        with self.sessions() as s:
            return s.get(EmailFetchRow, name)
