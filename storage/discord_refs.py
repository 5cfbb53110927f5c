"""Where each ticket lives on Discord: its card message, its thread (table platform_refs).

Refs are plain strings: ``card`` -> ``<channel_id>:<message_id>``, ``thread`` ->
``<thread_id>``, ``echo`` -> recent fingerprints of thread messages already stored
as comments (so the bot does not post them back into the thread they came from).
"""
from __future__ import annotations

import hashlib

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from storage.models import PlatformRef
from storage.repository import upsert

PLATFORM = "discord"
ECHO_KEEP = 20


def get_refs(engine: Engine, ticket_id: int) -> dict[str, str]:
    with Session(engine) as session:
        rows = session.scalars(select(PlatformRef).where(PlatformRef.ticket_id == ticket_id,
                                                         PlatformRef.platform == PLATFORM))
        return {row.kind: row.ref for row in rows}


def set_ref(engine: Engine, ticket_id: int, kind: str, ref: str) -> None:
    with Session(engine) as session, session.begin():
        stmt = upsert(session)(PlatformRef).values(ticket_id=ticket_id, platform=PLATFORM, kind=kind, ref=ref)
        session.execute(stmt.on_conflict_do_update(index_elements=["ticket_id", "platform", "kind"],
                                                   set_={"ref": ref}))


def drop_ref(engine: Engine, ticket_id: int, kind: str) -> None:
    with Session(engine) as session, session.begin():
        session.execute(delete(PlatformRef).where(PlatformRef.ticket_id == ticket_id,
                                                  PlatformRef.platform == PLATFORM, PlatformRef.kind == kind))


def ticket_for_ref(engine: Engine, kind: str, ref: str) -> int | None:
    """The ticket whose `kind` ref is `ref` (e.g. which ticket a thread belongs to)."""
    with Session(engine) as session:
        return session.scalar(select(PlatformRef.ticket_id).where(
            PlatformRef.platform == PLATFORM, PlatformRef.kind == kind, PlatformRef.ref == ref).limit(1))


def fingerprint(author: str, text: str) -> str:
    return hashlib.sha256(f"{author}\n{text.strip()}".encode()).hexdigest()[:16]


def remember_echo(engine: Engine, ticket_id: int, author: str, text: str) -> None:
    """Note that this thread message is already in Discord; the notifier skips it once."""
    refs = get_refs(engine, ticket_id)
    known = [x for x in refs.get("echo", "").split() if x]
    known = (known + [fingerprint(author, text)])[-ECHO_KEEP:]
    set_ref(engine, ticket_id, "echo", " ".join(known))


def take_echo(engine: Engine, ticket_id: int, author: str, text: str) -> bool:
    """True (and forget it) when this comment came from the Discord thread itself."""
    refs = get_refs(engine, ticket_id)
    known = [x for x in refs.get("echo", "").split() if x]
    mark = fingerprint(author, text)
    if mark not in known:
        return False
    known.remove(mark)
    set_ref(engine, ticket_id, "echo", " ".join(known))
    return True
