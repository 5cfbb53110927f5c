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

from datetime import datetime, timedelta

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from storage.models import InboundEvent, TicketRow
from storage.platform_refs import PlatformRefs
from storage.repository import upsert

PLATFORM = "slack"
_refs = PlatformRefs(PLATFORM)
get_refs, set_ref, ticket_for_ref = _refs.get_refs, _refs.set_ref, _refs.ticket_for_ref
drop_ref = _refs.drop_ref
remember_echo, take_echo = _refs.remember_echo, _refs.take_echo


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
