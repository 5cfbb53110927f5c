"""SLA hooks the service layer calls on every change.

This base policy keeps deadlines empty; the SLA engine fills them in.
"""
from __future__ import annotations

from datetime import datetime

from tickets.model import Status, Ticket
from tickets.teams import Team


class SlaPolicy:
    def on_open(self, ticket: Ticket, team: Team, now: datetime) -> None:
        pass

    def on_status(self, ticket: Ticket, team: Team, old: Status, now: datetime) -> None:
        pass

    def on_first_response(self, ticket: Ticket, team: Team, now: datetime) -> None:
        if ticket.first_response_at is None:
            ticket.first_response_at = now

    def on_priority(self, ticket: Ticket, team: Team, now: datetime) -> None:
        pass

    def on_due(self, ticket: Ticket, team: Team, now: datetime) -> None:
        pass

    def on_reopen(self, ticket: Ticket, team: Team, now: datetime) -> None:
        pass

    def on_restart(self, ticket: Ticket, team: Team, now: datetime) -> None:
        """The targets start again from now (a move to another team, an approval)."""

    def on_snooze(self, ticket: Ticket, team: Team, now: datetime, until: datetime) -> None:
        ticket.sla_state["snoozed_until"] = until.isoformat()

    def on_requester_reply(self, ticket: Ticket, team: Team, now: datetime) -> None:
        pass

    def audit_changes(self, ticket: Ticket) -> dict:
        """Extra [before, after] pairs for this change's audit event (business-time measurements)."""
        return {}
