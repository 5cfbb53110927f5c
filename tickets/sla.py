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

    def on_snooze(self, ticket: Ticket, team: Team, now: datetime, until: datetime) -> None:
        ticket.sla_state["snoozed_until"] = until.isoformat()
