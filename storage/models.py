"""SQLAlchemy models of the core tables: one schema for SQLite and PostgreSQL.

Area modules (the inbox, Slack installations, ...) declare their tables on the same
`storage.base.Base`; `storage.schema` imports them all (migrations and the drift test
read its metadata). This module imports no area module, so no area import is a cycle.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, BigId  # noqa: F401  (re-exported: area modules declare tables on Base)
from storage.types import JSONType, UTCDateTime


class TicketRow(Base):
    __tablename__ = "tickets"
    __table_args__ = (
        UniqueConstraint("team", "number", name="uq_tickets_team_number"),
        Index("ix_tickets_team_status", "team", "status"),
        Index("ix_tickets_assignee_status", "assignee", "status"),
        Index("ix_tickets_requester_created", "requester", "created_at"),
        Index("ix_tickets_next_action_at", "next_action_at"),
        Index("ix_tickets_first_response_due", "first_response_due"),
        Index("ix_tickets_resolution_due", "resolution_due"),
        Index("ix_tickets_created_at", "created_at"),
        Index("ix_tickets_first_response_at", "first_response_at"),  # reports: first responses in a period
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    team: Mapped[str] = mapped_column(String(10))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)  # up to 150 characters, longer when sealed (0008_security)
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20))
    priority: Mapped[str] = mapped_column(String(10))
    requester: Mapped[str] = mapped_column(String(120))
    reporter: Mapped[str] = mapped_column(String(120))
    assignee: Mapped[str | None] = mapped_column(String(120))
    category: Mapped[str | None] = mapped_column(String(80))
    source: Mapped[str] = mapped_column(String(20))
    source_ref: Mapped[str | None] = mapped_column(Text)
    idempotency_key: Mapped[str | None] = mapped_column(String(255), unique=True)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_response_due: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolution_due: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_action_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_response_seconds: Mapped[int | None] = mapped_column(Integer)
    resolution_seconds: Mapped[int | None] = mapped_column(Integer)
    first_response_met: Mapped[bool | None] = mapped_column(Boolean)
    resolution_met: Mapped[bool | None] = mapped_column(Boolean)
    sla_state: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    watchers: Mapped[list[str]] = mapped_column(JSONType, default=list)
    # team workflows (0014_workflows): tags, custom field values, approval/move/merge state
    tags: Mapped[list[str] | None] = mapped_column(JSONType, default=list)
    fields: Mapped[dict[str, Any] | None] = mapped_column(JSONType, default=dict)
    workflow: Mapped[dict[str, Any] | None] = mapped_column(JSONType, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=0)


class TeamCounter(Base):
    __tablename__ = "team_counters"
    team: Mapped[str] = mapped_column(String(10), primary_key=True)
    last: Mapped[int] = mapped_column(Integer)


class CommentRow(Base):
    __tablename__ = "comments"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    author: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    internal: Mapped[bool] = mapped_column(Boolean)
    kind: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AuditRow(Base):
    __tablename__ = "audit_events"
    # reports filter and group events by team, action and time without joining tickets (0003_audit_team);
    # on PostgreSQL the index covers what they read, so they scan the index only (0004_audit_values)
    __table_args__ = (Index("ix_audit_events_team_action_at", "team", "action", "at",
                            postgresql_include=["actor", "seconds", "met", "prior_status", "subject"]),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    team: Mapped[str] = mapped_column(String(10))  # the ticket's team
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(30))
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    changes: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    # typed copies of what reports read from `changes` (audit_values), written with the event
    seconds: Mapped[int | None] = mapped_column(Integer)  # a resolve's business seconds
    met: Mapped[bool | None] = mapped_column(Boolean)  # a resolve's SLA outcome
    prior_status: Mapped[str | None] = mapped_column(String(20))  # the status before the change
    subject: Mapped[str | None] = mapped_column(String(120))  # the assignee after the change


def audit_values(changes: dict[str, Any]) -> dict[str, Any]:
    """The typed columns of an audit event, from its changes ({field: [before, after]})."""
    def side(field: str, index: int):
        pair = changes.get(field)
        return pair[index] if isinstance(pair, (list, tuple)) and len(pair) == 2 else None

    seconds, met = side("resolution_seconds", 1), side("resolution_met", 1)
    return {"seconds": None if seconds is None else int(seconds), "met": None if met is None else bool(met),
            "prior_status": side("status", 0), "subject": side("assignee", 1)}


class ReportHourRow(Base):
    """Tickets opened and the backlog's moves per team and UTC hour, kept by the writers of audit events (storage.rollup) in the
    same transaction as the events: reports sum these instead of scanning the audit log (0005_report_rollup)."""

    __tablename__ = "report_hours"
    team: Mapped[str] = mapped_column(String(10), primary_key=True)
    hour: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)  # the UTC hour's start
    created: Mapped[int] = mapped_column(Integer, default=0)  # tickets opened (their "open" events)
    resolved: Mapped[int] = mapped_column(Integer, default=0)
    closed: Mapped[int] = mapped_column(Integer, default=0)
    closed_open: Mapped[int] = mapped_column(Integer, default=0)  # closes straight from an open status
    reopened: Mapped[int] = mapped_column(Integer, default=0)
    cancelled: Mapped[int] = mapped_column(Integer, default=0)


class ReportAgentDayRow(Base):
    """Claims and assignments per team, UTC day and assignee (the audit events' subject), kept like report_hours."""

    __tablename__ = "report_agent_days"
    team: Mapped[str] = mapped_column(String(10), primary_key=True)
    day: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)  # the UTC day's start
    subject: Mapped[str] = mapped_column(String(120), primary_key=True)
    assigned: Mapped[int] = mapped_column(Integer, default=0)


class RatingRow(Base):
    __tablename__ = "ratings"
    __table_args__ = (UniqueConstraint("ticket_id", "resolution", name="uq_ratings_ticket_resolution"),
                      Index("ix_ratings_at", "at"))  # reports: ratings given in a period
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    resolution: Mapped[int] = mapped_column(Integer)
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    by: Mapped[str] = mapped_column(String(120))
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class OutboxRow(Base):
    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_pending", "platform", "status", "next_attempt_at"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(String(20))
    target: Mapped[str] = mapped_column(String(200))
    template: Mapped[str] = mapped_column(String(80))
    params: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    lang: Mapped[str] = mapped_column(String(10))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    dedup_key: Mapped[str | None] = mapped_column(String(255), unique=True)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class UserRow(Base):
    __tablename__ = "users"
    user_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    locale: Mapped[str | None] = mapped_column(String(10))
    display_name: Mapped[str | None] = mapped_column(String(200))


class PlatformRef(Base):
    """Where a ticket lives on a platform: its card message, its thread."""

    __tablename__ = "platform_refs"
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True)
    platform: Mapped[str] = mapped_column(String(20), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    ref: Mapped[str] = mapped_column(Text)


class Heartbeat(Base):
    __tablename__ = "heartbeats"
    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    beat_at: Mapped[datetime] = mapped_column(UTCDateTime)
