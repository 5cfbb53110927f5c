"""The deadline policy: first-response and resolution targets in business time.

Standard library only. The service layer calls these hooks inside the same
transaction as the change, so the ticket's deadline columns, its business-time
measurements and ``next_action_at`` (the next moment the sweep must look at
it) are always consistent with what just happened.

``sla_state`` keys kept here:
  res_start       start of the current resolution cycle (creation, or the last reopen)
  paused_s        business seconds spent waiting on the requester in this cycle
  fr_target/res_target, fr_warn/res_warn   target seconds and the warning moment
  done            ids of the events already handled (see tickets/sla_plan.py)
  unclaimed_since/unclaimed_n  the unclaimed-reminder cycle
  snoozed_until, last_reply, resolutions
"""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from tickets.dates import Duration
from tickets.errors import ValidationError
from tickets.model import Status, Ticket
from tickets.sla import SlaPolicy
from tickets.sla_plan import (SlaRules, all_events, calendar_of, iso, next_action, parse_iso,
                              pending_events)
from tickets.teams import Team


def after(target: Duration | timedelta, start: datetime, cal) -> datetime:
    """The deadline a target sets: working days to close of business, then business time
    (a plain timedelta, as older callers pass, is business time)."""
    return cal.add(start, target) if isinstance(target, timedelta) else target.after(start, cal)


class DeadlinePolicy(SlaPolicy):
    def __init__(self, config: object | None = None) -> None:
        self.rules = SlaRules.from_settings(config)

    # -- hooks the service calls ---------------------------------------------------
    def on_open(self, ticket: Ticket, team: Team, now: datetime) -> None:
        st = ticket.sla_state
        st["res_start"] = iso(ticket.created_at)
        st["paused_s"] = 0
        st["unclaimed_since"] = iso(ticket.created_at)
        st["unclaimed_n"] = 0
        self.recompute(ticket, team, now)

    def on_status(self, ticket: Ticket, team: Team, old: Status, now: datetime) -> None:
        st = ticket.sla_state
        new = ticket.status
        if old == Status.WAITING and ticket.paused_at is not None and new != Status.WAITING:
            paused = calendar_of(team).between(ticket.paused_at, now)
            st["paused_s"] = int(st.get("paused_s") or 0) + int(paused.total_seconds())
            ticket.paused_at = None
        if new == Status.WAITING and ticket.paused_at is None:
            ticket.paused_at = now
        if new == Status.NEW and old != Status.NEW:
            st["unclaimed_since"] = iso(now)
            st["unclaimed_n"] = 0
        if new == Status.RESOLVED:
            ticket.resolved_at = now  # the service sets the same; the auto-close is planned from it
            if ticket.first_response_at is None:  # the resolution is what the requester sees first
                self._first_response(ticket, team, now)
            self._measure_resolution(ticket, team, now)
            st.pop("last_reply", None)
        elif new == Status.CLOSED and old.is_open:  # closed without a resolve: counted from the close
            if ticket.first_response_at is None:
                self._first_response(ticket, team, now)
            self._measure_resolution(ticket, team, now)
        self.recompute(ticket, team, now)

    def on_first_response(self, ticket: Ticket, team: Team, now: datetime) -> None:
        if ticket.first_response_at is None:
            self._first_response(ticket, team, now)
        self.recompute(ticket, team, now)

    def on_priority(self, ticket: Ticket, team: Team, now: datetime) -> None:
        self.recompute(ticket, team, now)

    def on_due(self, ticket: Ticket, team: Team, now: datetime) -> None:
        self.recompute(ticket, team, now)

    def on_reopen(self, ticket: Ticket, team: Team, now: datetime) -> None:
        """A fresh resolution cycle: a new target from now, never an instant breach."""
        st = ticket.sla_state
        st["res_start"] = iso(now)
        st["paused_s"] = 0
        ticket.paused_at = None
        if ticket.due_at is not None and ticket.due_at <= now:
            ticket.due_at = None
        st.pop("snoozed_until", None)
        self.recompute(ticket, team, now)

    def on_restart(self, ticket: Ticket, team: Team, now: datetime) -> None:
        """Targets counted from now on `team`'s calendar: a move to another team, an approval."""
        st = ticket.sla_state
        st["fr_start"] = st["res_start"] = st["unclaimed_since"] = iso(now)
        st["paused_s"], st["unclaimed_n"], st["done"] = 0, 0, []
        ticket.paused_at = None
        st.pop("snoozed_until", None)
        self.recompute(ticket, team, now)

    def on_snooze(self, ticket: Ticket, team: Team, now: datetime, until: datetime) -> None:
        deadline = self.next_deadline(ticket)
        if deadline is not None and until >= deadline:
            raise ValidationError("snooze_after_deadline", key=ticket.key)
        ticket.sla_state["snoozed_until"] = iso(until)
        self.recompute(ticket, team, now)

    def on_requester_reply(self, ticket: Ticket, team: Team, now: datetime) -> None:
        if ticket.status == Status.RESOLVED:
            ticket.sla_state["last_reply"] = iso(now)
        self.recompute(ticket, team, now)

    def audit_changes(self, ticket: Ticket) -> dict:
        return ticket.sla_state.pop("_audit", None) or {}

    # -- the arithmetic ------------------------------------------------------------
    @staticmethod
    def next_deadline(ticket: Ticket) -> datetime | None:
        if not ticket.status.is_open:
            return None
        found = []
        if ticket.first_response_at is None and ticket.first_response_due is not None:
            found.append(ticket.first_response_due)
        if ticket.resolution_due is not None and ticket.paused_at is None:
            found.append(ticket.resolution_due)
        return min(found, default=None)

    @staticmethod
    def basis(team: Team, ticket: Ticket) -> str:
        """What the deadlines were computed from: a changed team, target or calendar means recompute."""
        target = team.sla.get(ticket.priority)
        text = f"{team.key}|{ticket.priority.value}|{target}|{team.calendar!r}"
        return hashlib.sha1(text.encode()).hexdigest()[:12]

    def recompute(self, ticket: Ticket, team: Team, now: datetime) -> None:
        """Deadlines from the team's targets (or the explicit deadline), then the next action."""
        st = ticket.sla_state
        cal = calendar_of(team)
        target = team.sla.get(ticket.priority)
        fraction = min(max(self.rules.warn_fraction, 0.0), 1.0)
        fr_start = parse_iso(st.get("fr_start")) or ticket.created_at  # a move or an approval restarts it
        running = ticket.status.is_open and ticket.status != Status.AWAITING_APPROVAL  # clock starts at approval
        if ticket.status == Status.AWAITING_APPROVAL:
            ticket.first_response_due = ticket.resolution_due = None
            st.pop("fr_warn", None)
            st.pop("res_warn", None)
        if ticket.first_response_at is None and running:
            if target is not None and target.first_response is not None:
                due = after(target.first_response, fr_start, cal)
                span = cal.between(fr_start, due)
                ticket.first_response_due = due
                st["fr_target"] = span.total_seconds()
                st["fr_warn"] = iso(cal.add(fr_start, span * fraction))
            else:
                ticket.first_response_due = None
                st.pop("fr_warn", None)
        if running:
            due, target_s, warn = self._resolution(ticket, team)
            ticket.resolution_due = due
            if due is None:
                st.pop("res_warn", None)
            else:
                st["res_target"], st["res_warn"] = target_s, iso(warn)
        st["basis"] = self.basis(team, ticket)
        self._carry_done(ticket, team, now)
        ticket.next_action_at = next_action(pending_events(ticket, team, self.rules, now))

    def _resolution(self, ticket: Ticket, team: Team) -> tuple[datetime | None, float, datetime | None]:
        """(deadline, target seconds, warning moment) of the current resolution cycle.

        Paused business time is added back; an explicit deadline (`/ticket due`) wins.
        """
        st = ticket.sla_state
        cal = calendar_of(team)
        fraction = min(max(self.rules.warn_fraction, 0.0), 1.0)
        start = parse_iso(st.get("res_start")) or ticket.created_at
        if ticket.due_at is not None:
            span = cal.between(start, ticket.due_at)
            return ticket.due_at, span.total_seconds(), cal.add(start, span * fraction)
        target = team.sla.get(ticket.priority)
        if target is None or target.resolution is None:
            return None, 0.0, None
        paused = timedelta(seconds=int(st.get("paused_s") or 0))
        due = after(target.resolution, start, cal)  # working days end at close of business
        span = cal.between(start, due)
        return cal.add(due, paused), span.total_seconds(), cal.add(start, span * fraction + paused)

    def _carry_done(self, ticket: Ticket, team: Team, now: datetime) -> None:
        """Keep what was handled for deadlines that still stand; a moved deadline whose
        moments already passed does not repeat what was already said for the old one.
        Entries of a clock that is not running now (paused, closed) are kept as they are."""
        st = ticket.sla_state
        done = set(st.get("done") or ())
        if not done:
            return
        prefixes = {entry.split("@", 1)[0] for entry in done}
        events = all_events(ticket, team, self.rules, now)
        running = {event.clock for event in events}
        kept = {entry for entry in done if entry.split(":", 1)[0] not in running}
        for event in events:
            if event.id in done or (event.prefix in prefixes and event.at <= now):
                kept.add(event.id)
        st["done"] = sorted(kept)

    def _first_response(self, ticket: Ticket, team: Team, now: datetime) -> None:
        ticket.first_response_at = now
        start = parse_iso(ticket.sla_state.get("fr_start")) or ticket.created_at
        seconds = int(calendar_of(team).between(start, now).total_seconds())
        met = None if ticket.first_response_due is None else now <= ticket.first_response_due
        ticket.first_response_seconds, ticket.first_response_met = seconds, met

    def _measure_resolution(self, ticket: Ticket, team: Team, now: datetime) -> None:
        st = ticket.sla_state
        start = parse_iso(st.get("res_start")) or ticket.created_at
        elapsed = calendar_of(team).between(start, now).total_seconds() - int(st.get("paused_s") or 0)
        seconds = max(0, int(elapsed))
        due = self._resolution(ticket, team)[0]
        ticket.resolution_due = due
        met = None if due is None else now <= due
        audit = st.setdefault("_audit", {})
        audit["resolution_seconds"] = [ticket.resolution_seconds, seconds]
        audit["resolution_met"] = [ticket.resolution_met, met]
        ticket.resolution_seconds, ticket.resolution_met = seconds, met
