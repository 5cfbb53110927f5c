"""The privacy log: every `tiket privacy export` and `erase`, who ran it and what it touched.

An erasure's row names the person only by the pseudonym they became, so the log itself
does not undo the erasure.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, BigId
from storage.types import JSONType, UTCDateTime


class PrivacyRequestRow(Base):
    __tablename__ = "privacy_requests"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    action: Mapped[str] = mapped_column(String(10))  # export | erase
    subject: Mapped[str] = mapped_column(String(120))  # the person (export) or their pseudonym (erase)
    operator: Mapped[str] = mapped_column(String(120))  # the admin who ran it (--as)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    details: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)  # counts, file name


# -- what Tiket holds about a person, and erasing it ------------------------------------------------
def _opened(cipher, value):
    return cipher.open(value) if cipher is not None else value


def collect(engine, cipher, user: str) -> dict[str, list[dict]]:
    """Everything about `user`: tickets they raised, comments and ratings they wrote, audit entries
    they made or that concern their tickets; text opened (decrypted)."""
    from sqlalchemy import or_, select
    from sqlalchemy.orm import Session

    from storage.models import AuditRow, CommentRow, RatingRow, TicketRow

    with Session(engine) as conn:
        tickets = conn.scalars(select(TicketRow).where(or_(TicketRow.requester == user, TicketRow.reporter == user))
                               .order_by(TicketRow.id)).all()
        tickets = list(tickets)
        ids = [t.id for t in tickets]
        keys = {t.id: f"{t.team}-{t.number}" for t in tickets}
        comments = conn.execute(select(CommentRow, TicketRow.team, TicketRow.number)
                                .join(TicketRow, TicketRow.id == CommentRow.ticket_id)
                                .where(CommentRow.author == user, CommentRow.internal.is_(False))
                                .order_by(CommentRow.id)).all()
        ratings = conn.execute(select(RatingRow, TicketRow.team, TicketRow.number)
                               .join(TicketRow, TicketRow.id == RatingRow.ticket_id)
                               .where(RatingRow.by == user).order_by(RatingRow.id)).all()
        audit = conn.execute(select(AuditRow, TicketRow.team, TicketRow.number)
                             .join(TicketRow, TicketRow.id == AuditRow.ticket_id)
                             .where(or_(AuditRow.actor == user, AuditRow.subject == user,
                                        AuditRow.ticket_id.in_(ids or [-1])))
                             .order_by(AuditRow.id)).all()
    iso = lambda v: v.isoformat() if v is not None else None  # noqa: E731
    return {
        "tickets": [{"key": keys[t.id], "title": _opened(cipher, t.title),
                     "description": _opened(cipher, t.description), "status": t.status, "priority": t.priority,
                     "requester": t.requester, "reporter": t.reporter, "assignee": t.assignee,
                     "category": t.category, "source": t.source, "created_at": iso(t.created_at),
                     "resolved_at": iso(t.resolved_at), "closed_at": iso(t.closed_at)} for t in tickets],
        "comments": [{"ticket": f"{team}-{number}", "kind": c.kind, "body": _opened(cipher, c.body),
                      "created_at": iso(c.created_at)} for c, team, number in comments],
        "ratings": [{"ticket": f"{team}-{number}", "score": r.score, "comment": _opened(cipher, r.comment),
                     "at": iso(r.at)} for r, team, number in ratings],
        "audit": [{"ticket": f"{team}-{number}", "actor": a.actor, "action": a.action, "at": iso(a.at),
                   "changes": cipher.open_changes(a.changes) if cipher is not None else a.changes}
                  for a, team, number in audit],
    }


def log_request(conn, action: str, subject: str, operator: str, at, details: dict) -> None:
    from sqlalchemy import insert

    conn.execute(insert(PrivacyRequestRow).values(action=action, subject=subject, operator=operator, at=at,
                                                  details=details))
