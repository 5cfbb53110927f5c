"""Where a ticket lives on one platform (table platform_refs): `tickets.ports.PlatformRefs` on SQL.

Refs are plain strings keyed by kind. Slack: ``card`` -> ``<channel>:<ts>`` (the card
message; its thread is the ticket's thread), ``origin`` -> ``<channel>:<thread_ts>``,
``workspace`` -> the Slack team id. Discord: ``card`` -> ``<channel_id>:<message_id>``,
``thread`` -> ``<thread_id>``. The ``echo`` ref keeps fingerprints of thread messages
already stored as comments, so a notifier does not post them back into the thread they
came from. A change that needs a ref writes it in its own transaction
(`SqlUnitOfWork.set_ref`); these methods are for the adapters' own bookkeeping.
"""
from __future__ import annotations

import hashlib

from sqlalchemy import Engine, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import PlatformRef, TicketRow
from storage.crypto import NO_CIPHER, Cipher
from storage.repository import SqlTicketRepository
from tickets.model import Ticket

ECHO_KEEP = 20


def fingerprint(author: str, text: str) -> str:
    return hashlib.sha256(f"{author}\n{text.strip()}".encode()).hexdigest()[:16]


class SqlPlatformRefs:
    def __init__(self, engine: Engine, platform: str, cipher: Cipher | None = None) -> None:
        self.engine = engine
        self.platform = platform
        self.cipher = cipher or NO_CIPHER  # a confidential team's ticket is read opened, as the repository does
        self.insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert

    def get(self, ticket_id: int) -> dict[str, str]:
        with Session(self.engine) as session:
            rows = session.scalars(select(PlatformRef).where(PlatformRef.ticket_id == ticket_id,
                                                             PlatformRef.platform == self.platform))
            return {row.kind: row.ref for row in rows}

    def set(self, ticket_id: int, kind: str, ref: str) -> None:
        with self.engine.begin() as conn:
            stmt = self.insert(PlatformRef).values(ticket_id=ticket_id, platform=self.platform, kind=kind, ref=ref)
            conn.execute(stmt.on_conflict_do_update(index_elements=["ticket_id", "platform", "kind"],
                                                    set_={"ref": ref}))

    def drop(self, ticket_id: int, kind: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(PlatformRef).where(PlatformRef.ticket_id == ticket_id,
                                                   PlatformRef.platform == self.platform, PlatformRef.kind == kind))

    def ticket_for(self, kind: str, ref: str) -> int | None:
        """The ticket whose `kind` ref is `ref` (e.g. which ticket a thread belongs to)."""
        with Session(self.engine) as session:
            return session.scalar(select(PlatformRef.ticket_id).where(
                PlatformRef.platform == self.platform, PlatformRef.kind == kind, PlatformRef.ref == ref).limit(1))

    def remember_echo(self, ticket_id: int, author: str, text: str) -> None:
        """Note that this thread message is already on the platform; the notifier skips it once."""
        known = [x for x in self.get(ticket_id).get("echo", "").split() if x]
        self.set(ticket_id, "echo", " ".join((known + [fingerprint(author, text)])[-ECHO_KEEP:]))

    def take_echo(self, ticket_id: int, author: str, text: str) -> bool:
        """True (and forget it) when this comment came from the platform's thread itself."""
        known = [x for x in self.get(ticket_id).get("echo", "").split() if x]
        mark = fingerprint(author, text)
        if mark not in known:
            return False
        known.remove(mark)
        self.set(ticket_id, "echo", " ".join(known))
        return True

    # -- tickets by the references adapters hold ------------------------------------------
    def ticket_id(self, key: str) -> int | None:
        team, _, number = (key or "").rpartition("-")
        if not team or not (number.isascii() and number.isdigit()) or len(number) > 9:
            return None
        with Session(self.engine) as session:
            return session.scalar(select(TicketRow.id).where(TicketRow.team == team, TicketRow.number == int(number)))

    def ticket_key(self, ticket_id: int) -> str | None:
        with Session(self.engine) as session:
            row = session.execute(select(TicketRow.team, TicketRow.number).where(TicketRow.id == ticket_id)).first()
            return f"{row.team}-{row.number}" if row else None

    def ticket(self, ticket_id: int) -> Ticket | None:
        with Session(self.engine.execution_options(sqlite_readonly=True)) as session:
            return SqlTicketRepository(session, self.cipher).get_by_id(ticket_id)
