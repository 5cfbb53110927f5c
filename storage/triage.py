"""`tickets.triage_service.EmbeddingStore` on SQL: one float32 vector per ticket."""
from __future__ import annotations

from array import array
from datetime import datetime
from typing import Callable, Sequence

from sqlalchemy import Engine, and_, delete, select
from sqlalchemy.orm import sessionmaker

from storage.models import TicketRow
from storage.repository import to_ticket, upsert
from storage.workflows import TicketEmbeddingRow
from tickets.model import Ticket
from tickets.triage import Known, Vector


def pack(vector: Vector) -> bytes:
    return array("f", vector).tobytes()


def unpack(data: bytes) -> list[float]:
    values = array("f")
    values.frombytes(data)
    return values.tolist()


class SqlEmbeddingStore:
    def __init__(self, engine: Engine, now: Callable[[], datetime]) -> None:
        self.sessions = sessionmaker(bind=engine, expire_on_commit=False)
        self.now = now

    def missing(self, teams: Sequence[str], model: str, limit: int) -> list[Ticket]:
        join = and_(TicketEmbeddingRow.ticket_id == TicketRow.id, TicketEmbeddingRow.model == model)
        stmt = (select(TicketRow).outerjoin(TicketEmbeddingRow, join)
                .where(TicketRow.team.in_(list(teams)), TicketEmbeddingRow.ticket_id.is_(None))
                .order_by(TicketRow.id).limit(limit))
        with self.sessions() as session:
            return [to_ticket(row) for row in session.scalars(stmt)]

    def put(self, ticket_id: int, model: str, vector: Vector) -> None:
        with self.sessions() as session, session.begin():
            stmt = upsert(session)(TicketEmbeddingRow).values(ticket_id=ticket_id, model=model, vector=pack(vector),
                                                             created_at=self.now())
            session.execute(stmt.on_conflict_do_update(index_elements=["ticket_id"],
                                                       set_={"model": model, "vector": pack(vector)}))

    def known(self, teams: Sequence[str], model: str, limit: int) -> list[Known]:
        stmt = (select(TicketRow, TicketEmbeddingRow.vector)
                .join(TicketEmbeddingRow, TicketEmbeddingRow.ticket_id == TicketRow.id)
                .where(TicketRow.team.in_(list(teams)), TicketEmbeddingRow.model == model)
                .order_by(TicketRow.id.desc()).limit(limit))
        with self.sessions() as session:
            return [Known(to_ticket(row), unpack(vector)) for row, vector in session.execute(stmt)]

    def drop_teams(self, teams: Sequence[str]) -> int:
        ids = select(TicketRow.id).where(TicketRow.team.in_(list(teams)))
        with self.sessions() as session, session.begin():
            return session.execute(delete(TicketEmbeddingRow).where(TicketEmbeddingRow.ticket_id.in_(ids))).rowcount
