"""Where each ticket lives in Slack, and which Slack events were already taken in.

platform_refs rows (platform "slack"), refs are plain strings:
``card`` -> ``<channel>:<ts>`` (the card message; its thread is the ticket's thread),
``origin`` -> ``<channel>:<thread_ts>`` (the thread of the message the ticket came from),
``workspace`` -> the Slack team id, ``echo`` -> fingerprints of thread messages already
in Slack (so the notifier does not post them back).
inbound_events rows keyed ``slack:<event id>`` de-duplicate Events API deliveries
across replicas.
"""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from storage.models import InboundEvent, PlatformRef, TicketRow
from storage.repository import upsert

PLATFORM = "slack"
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


def ticket_for_ref(engine: Engine, kind: str, ref: str) -> int | None:
    with Session(engine) as session:
        return session.scalar(select(PlatformRef.ticket_id).where(
            PlatformRef.platform == PLATFORM, PlatformRef.kind == kind, PlatformRef.ref == ref)
            .order_by(PlatformRef.ticket_id).limit(1))


def ticket_by_card_thread(engine: Engine, channel: str, thread_ts: str) -> int | None:
    return ticket_for_ref(engine, "card", f"{channel}:{thread_ts}")


def ticket_by_origin(engine: Engine, channel: str, thread_ts: str) -> int | None:
    return ticket_for_ref(engine, "origin", f"{channel}:{thread_ts}")


def ticket_id_for_key(engine: Engine, key: str) -> int | None:
    team, _, number = key.rpartition("-")
    if not team or not number.isdigit():
        return None
    with Session(engine) as session:
        return session.scalar(select(TicketRow.id).where(TicketRow.team == team, TicketRow.number == int(number)))


def key_for_ticket(engine: Engine, ticket_id: int) -> str | None:
    with Session(engine) as session:
        row = session.execute(select(TicketRow.team, TicketRow.number).where(TicketRow.id == ticket_id)).first()
        return f"{row.team}-{row.number}" if row else None


# -- echoes: thread messages that are already in Slack -----------------------------
def fingerprint(author: str, text: str) -> str:
    return hashlib.sha256(f"{author}\n{text.strip()}".encode()).hexdigest()[:16]


def remember_echo(engine: Engine, ticket_id: int, author: str, text: str) -> None:
    known = [x for x in get_refs(engine, ticket_id).get("echo", "").split() if x]
    set_ref(engine, ticket_id, "echo", " ".join((known + [fingerprint(author, text)])[-ECHO_KEEP:]))


def take_echo(engine: Engine, ticket_id: int, author: str, text: str) -> bool:
    known = [x for x in get_refs(engine, ticket_id).get("echo", "").split() if x]
    mark = fingerprint(author, text)
    if mark not in known:
        return False
    known.remove(mark)
    set_ref(engine, ticket_id, "echo", " ".join(known))
    return True


# -- inbound event de-duplication -------------------------------------------------
def claim_event(engine: Engine, event_id: str, now: datetime, *, stale_after: timedelta = timedelta(minutes=5)) -> bool:
    """True when this process should handle the event: first sight, a failed earlier
    attempt, or an attempt that has been "processing" for too long (its process died)."""
    key = f"{PLATFORM}:{event_id}"
    with Session(engine) as session, session.begin():
        stmt = upsert(session)(InboundEvent).values(key=key, status="processing", created_at=now, updated_at=now)
        inserted = session.execute(stmt.on_conflict_do_nothing(index_elements=["key"])
                                   .returning(InboundEvent.key)).scalar()
        if inserted is not None:
            return True
        taken = session.execute(
            update(InboundEvent).where(InboundEvent.key == key)
            .where((InboundEvent.status == "failed")
                   | ((InboundEvent.status == "processing") & (InboundEvent.updated_at < now - stale_after)))
            .values(status="processing", updated_at=now).returning(InboundEvent.key)).scalar()
        return taken is not None


def finish_event(engine: Engine, event_id: str, now: datetime, *, ok: bool) -> None:
    with Session(engine) as session, session.begin():
        session.execute(update(InboundEvent).where(InboundEvent.key == f"{PLATFORM}:{event_id}")
                        .values(status="done" if ok else "failed", updated_at=now)
                        .execution_options(synchronize_session=False))


def event_status(engine: Engine, event_id: str) -> str | None:
    with Session(engine) as session:
        return session.scalar(select(InboundEvent.status).where(InboundEvent.key == f"{PLATFORM}:{event_id}"))


def source_ref_of(engine: Engine, ticket_id: int) -> str | None:
    with Session(engine) as session:
        return session.scalar(select(TicketRow.source_ref).where(TicketRow.id == ticket_id))
