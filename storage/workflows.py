"""Tables of the team workflows (issue 15): old keys of moved tickets, tags, attachments, embeddings.

Tags also live on the ticket row (JSON, read with the ticket); `ticket_tags` repeats them one
row per tag so `list tag printer` and the per-tag report counts are indexed SQL.
"""
from __future__ import annotations

from datetime import datetime

from typing import Iterable

from sqlalchemy import Connection, ForeignKey, Index, Integer, LargeBinary, String, Text, func, select
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, BigId
from storage.types import UTCDateTime


class TicketAliasRow(Base):
    """A key a ticket had before it moved to another team: the old key keeps working."""

    __tablename__ = "ticket_aliases"
    team: Mapped[str] = mapped_column(String(10), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class TicketTagRow(Base):
    __tablename__ = "ticket_tags"
    __table_args__ = (Index("ix_ticket_tags_tag", "tag"),)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(40), primary_key=True)


class AttachmentRow(Base):
    __tablename__ = "attachments"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes | None] = mapped_column(LargeBinary)  # stored in the database
    path: Mapped[str | None] = mapped_column(Text)  # or in the attachments directory
    uploaded_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class TicketEmbeddingRow(Base):
    """A ticket's sentence embedding for triage (float32 bytes); never for confidential teams."""

    __tablename__ = "ticket_embeddings"
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True)
    model: Mapped[str] = mapped_column(String(80))
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


def tag_counts(conn: Connection, teams: Iterable[str], since: datetime, until: datetime) -> dict[str, int]:
    """Tickets of these teams created in [since, until), per tag (most used first)."""
    from storage.models import TicketRow

    stmt = (select(TicketTagRow.tag, func.count()).join(TicketRow, TicketRow.id == TicketTagRow.ticket_id)
            .where(TicketRow.team.in_(list(teams) or ["-"]), TicketRow.created_at >= since,
                   TicketRow.created_at < until)
            .group_by(TicketTagRow.tag).order_by(func.count().desc(), TicketTagRow.tag))
    return {tag: count for tag, count in conn.execute(stmt)}
