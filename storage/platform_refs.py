"""Where a ticket lives on one platform (table platform_refs), shared by the adapters.

Refs are plain strings keyed by kind (``card``, ``thread``, ``origin``, ``workspace``,
…); the ``echo`` ref keeps fingerprints of thread messages already stored as comments,
so a notifier does not post them back into the thread they came from.
"""
from __future__ import annotations

import hashlib

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from storage.models import PlatformRef
from storage.repository import upsert

ECHO_KEEP = 20


def fingerprint(author: str, text: str) -> str:
    return hashlib.sha256(f"{author}\n{text.strip()}".encode()).hexdigest()[:16]


class PlatformRefs:
    def __init__(self, platform: str) -> None:
        self.platform = platform

    def get_refs(self, engine: Engine, ticket_id: int) -> dict[str, str]:
        with Session(engine) as session:
            rows = session.scalars(select(PlatformRef).where(PlatformRef.ticket_id == ticket_id,
                                                             PlatformRef.platform == self.platform))
            return {row.kind: row.ref for row in rows}

    def set_ref(self, engine: Engine, ticket_id: int, kind: str, ref: str) -> None:
        with Session(engine) as session, session.begin():
            stmt = upsert(session)(PlatformRef).values(ticket_id=ticket_id, platform=self.platform, kind=kind,
                                                       ref=ref)
            session.execute(stmt.on_conflict_do_update(index_elements=["ticket_id", "platform", "kind"],
                                                       set_={"ref": ref}))

    def drop_ref(self, engine: Engine, ticket_id: int, kind: str) -> None:
        with Session(engine) as session, session.begin():
            session.execute(delete(PlatformRef).where(PlatformRef.ticket_id == ticket_id,
                                                      PlatformRef.platform == self.platform,
                                                      PlatformRef.kind == kind))

    def ticket_for_ref(self, engine: Engine, kind: str, ref: str) -> int | None:
        """The ticket whose `kind` ref is `ref` (e.g. which ticket a thread belongs to)."""
        with Session(engine) as session:
            return session.scalar(select(PlatformRef.ticket_id).where(
                PlatformRef.platform == self.platform, PlatformRef.kind == kind, PlatformRef.ref == ref).limit(1))

    def remember_echo(self, engine: Engine, ticket_id: int, author: str, text: str) -> None:
        """Note that this thread message is already on the platform; the notifier skips it once."""
        known = [x for x in self.get_refs(engine, ticket_id).get("echo", "").split() if x]
        self.set_ref(engine, ticket_id, "echo", " ".join((known + [fingerprint(author, text)])[-ECHO_KEEP:]))

    def take_echo(self, engine: Engine, ticket_id: int, author: str, text: str) -> bool:
        """True (and forget it) when this comment came from the platform's thread itself."""
        known = [x for x in self.get_refs(engine, ticket_id).get("echo", "").split() if x]
        mark = fingerprint(author, text)
        if mark not in known:
            return False
        known.remove(mark)
        self.set_ref(engine, ticket_id, "echo", " ".join(known))
        return True
