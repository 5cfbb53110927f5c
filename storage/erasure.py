"""`tiket privacy erase`: pseudonymise a person and redact the text they wrote, in one transaction.

Kept: every ticket, its number, times, status, priority and SLA figures (reports keep counting
them). Replaced by the pseudonym: the person as requester, reporter, assignee, watcher, comment
author, rater, audit actor and subject, in the agent rollup and in queued messages. Redacted:
titles and descriptions of tickets they reported, their comments and rating comments, the titles
their tickets' audit entries carry and the texts of their tickets' queued messages. Messages
addressed to them and their language preference are deleted. The erasure itself is written to
each touched ticket's audit log and to the privacy log (under the pseudonym only).
"""
from __future__ import annotations

from datetime import datetime

import json

from sqlalchemy import Engine, Text, cast, delete, or_, select, update

from storage.crypto import AUDIT_TEXT, TEXT_PARAMS
from storage.models import (AuditRow, CommentRow, OutboxRow, RatingRow, ReportAgentDayRow, TicketRow, UserRow,
                            audit_values)
from storage.privacy import log_request
from tickets.privacy import REDACTED
from tickets.text import like_pattern


def _swap(value, user: str, alias: str):
    if value == user:
        return alias
    if isinstance(value, list):
        return [_swap(v, user, alias) for v in value]
    if isinstance(value, dict):
        return {k: _swap(v, user, alias) for k, v in value.items()}
    return value


def erase(engine: Engine, user: str, alias: str, operator: str, now: datetime) -> dict[str, int]:
    counts: dict[str, int] = {}
    with engine.begin() as conn:
        rows = conn.execute(select(TicketRow.id, TicketRow.team, TicketRow.reporter, TicketRow.watchers).where(
            or_(TicketRow.requester == user, TicketRow.reporter == user, TicketRow.assignee == user))).all()
        mentions = cast(TicketRow.watchers, Text).like(like_pattern(json.dumps(user)), escape="\\")
        watched = conn.execute(select(TicketRow.id, TicketRow.team, TicketRow.reporter, TicketRow.watchers)
                               .where(mentions)).all()
        watched = [r for r in watched if user in (r.watchers or []) and r.id not in {x.id for x in rows}]
        touched = {r.id: r.team for r in [*rows, *watched]}
        authored = [r.id for r in rows if r.reporter == user]
        for column in ("requester", "reporter", "assignee"):
            col = getattr(TicketRow, column)
            conn.execute(update(TicketRow).where(col == user).values({column: alias}))
        for r in [*rows, *watched]:
            if user in (r.watchers or []):
                conn.execute(update(TicketRow).where(TicketRow.id == r.id)
                             .values(watchers=sorted(alias if w == user else w for w in r.watchers)))
        if authored:
            conn.execute(update(TicketRow).where(TicketRow.id.in_(authored))
                         .values(title=REDACTED, description=""))
        counts["tickets"] = len(touched)
        counts["comments"] = conn.execute(update(CommentRow).where(CommentRow.author == user)
                                          .values(author=alias, body=REDACTED)).rowcount
        counts["ratings"] = conn.execute(update(RatingRow).where(RatingRow.by == user)
                                         .values(by=alias, comment="")).rowcount
        audits = conn.execute(select(AuditRow.id, AuditRow.ticket_id, AuditRow.actor, AuditRow.changes).where(
            or_(AuditRow.actor == user, AuditRow.subject == user, AuditRow.ticket_id.in_(list(touched) or [-1])))).all()
        for a in audits:
            changes = _swap(dict(a.changes or {}), user, alias)
            if a.ticket_id in authored:
                changes = {k: [REDACTED if x else x for x in v] if k in AUDIT_TEXT and isinstance(v, list) else v
                           for k, v in changes.items()}
            conn.execute(update(AuditRow).where(AuditRow.id == a.id).values(
                actor=alias if a.actor == user else a.actor, changes=changes, **audit_values(changes)))
        counts["audit"] = len(audits)
        conn.execute(update(ReportAgentDayRow).where(ReportAgentDayRow.subject == user).values(subject=alias))
        counts["messages_deleted"] = conn.execute(delete(OutboxRow).where(
            OutboxRow.target == f"user:{user}")).rowcount
        for m in conn.execute(select(OutboxRow.id, OutboxRow.ticket_id, OutboxRow.params).where(
                OutboxRow.ticket_id.in_(list(touched) or [-1]))).all():
            params = _swap(dict(m.params or {}), user, alias)
            if m.ticket_id in authored:
                params = {k: REDACTED if k in TEXT_PARAMS and v else v for k, v in params.items()}
            conn.execute(update(OutboxRow).where(OutboxRow.id == m.id).values(params=params))
        conn.execute(delete(UserRow).where(UserRow.user_id == user))
        conn.execute(AuditRow.__table__.insert(), [
            dict(ticket_id=tid, team=team, actor=operator, action="erase", at=now,
                 changes={"erased": [None, alias]}, **audit_values({})) for tid, team in touched.items()])
        log_request(conn, "erase", alias, operator, now, dict(counts))
    return counts
