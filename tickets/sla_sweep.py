"""The sweep's rules: what one due ticket gets when the scheduler looks at it.

Standard library only. Storage hands in tickets it has claimed (locked) and a
sink that writes to the outbox in the same transaction; this module decides the
messages, the automatic closes and the ticket's next moment.

Catch-up after downtime falls out of the plan: every event that came due while
nobody looked is marked handled, and only the most serious one is sent, with
how long the ticket has been overdue — one message per ticket, not one per
missed reminder.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from tickets.approvals import remind_approvers
from tickets.deadlines import DeadlinePolicy
from tickets.fanout import Fanout
from tickets.messages import N_
from tickets.model import AuditEvent, Status, Ticket, check_transition
from tickets.ports import Outgoing
from tickets.sla_plan import (Event, all_events, calendar_of, iso, level_people, next_action, parse_iso,
                              pending_events)
from tickets.teams import Directory, Team
from tickets.workdays import split_left

log = logging.getLogger(__name__)
SYSTEM = "system"

TEMPLATES = {
    ("warn", "fr", True): N_("sla_warn_response"),
    ("warn", "fr", False): N_("sla_warn_response_team"),
    ("warn", "res", True): N_("sla_warn_resolution"),
    ("warn", "res", False): N_("sla_warn_resolution_team"),
    ("breach", "fr"): N_("sla_breach_response"),
    ("breach", "res"): N_("sla_breach_resolution"),
    ("escalate", "fr"): N_("sla_escalation_response"),
    ("escalate", "res"): N_("sla_escalation_resolution"),
}


class Sink:
    """What Fanout needs of a unit of work: somewhere to queue, and people's languages."""

    def __init__(self, locale_of=None) -> None:
        self.messages: list[Outgoing] = []
        self._locale_of = locale_of
        self._locales: dict[str, str | None] = {}

    def queue(self, message: Outgoing) -> bool:
        self.messages.append(message)
        return True

    def user_locale(self, user: str) -> str | None:
        if user not in self._locales:
            self._locales[user] = self._locale_of(user) if self._locale_of else None
        return self._locales[user]


@dataclass
class DigestCounts:
    open: int
    overdue: int
    unassigned: int
    overdue_keys: list[str]
    unassigned_keys: list[str]


class SlaSweep:
    def __init__(self, policy: DeadlinePolicy, directory: Directory, fanout: Fanout) -> None:
        self.policy = policy
        self.rules = policy.rules
        self.directory = directory
        self.fanout = fanout

    def process(self, sink: Sink, ticket: Ticket, now: datetime) -> list[AuditEvent]:
        """Carry out what is due for one claimed ticket; returns the audit events to write."""
        team = self.directory.teams.get(ticket.team)
        if team is None:  # a team removed from the teams file: nothing more to do for it
            ticket.next_action_at = None
            return []
        audits: list[AuditEvent] = []
        events = pending_events(ticket, team, self.rules, now)
        due = [e for e in events if e.at <= now]
        st = ticket.sla_state
        done = set(st.get("done") or ())
        for event in (e for e in due if e.kind == "action"):
            done.add(event.id)
            st["done"] = sorted(done)
            audits += self._act(sink, ticket, team, event, now)
            done = set(st.get("done") or ())
        notes = [e for e in due if e.kind != "action"]
        if notes and ticket.status.is_open:
            top = max(notes, key=lambda e: (e.rank, e.at))
            audits += self._notify(sink, ticket, team, top, now)
            for event in notes:
                if event.clock == "unclaimed":
                    st["unclaimed_n"] = max(int(st.get("unclaimed_n") or 0), event.level)
                else:
                    done.add(event.id)
            st["done"] = sorted(done)
        if any(e.kind == "action" or e.clock == "unclaimed" for e in due):
            events = pending_events(ticket, team, self.rules, now)  # the plan itself changed
        ticket.next_action_at = next_action([e for e in events if e.at > now])
        if ticket.next_action_at is not None and ticket.next_action_at <= now:
            log.warning("SLA plan of %s did not move past now; looking again in a minute", ticket.key)
            ticket.next_action_at = now + timedelta(minutes=1)
        return audits

    # -- reminders and escalations --------------------------------------------------
    def _notify(self, sink: Sink, ticket: Ticket, team: Team, event: Event, now: datetime) -> list[AuditEvent]:
        cal = calendar_of(team)
        dedup = f"sla:{ticket.id}:{event.id}"
        params: dict[str, Any] = {"key": ticket.key, "title": ticket.title, "assignee": ticket.assignee,
                                  "sla_event": event.id, "tz": cal.tz_name}
        if event.deadline is not None:
            params["due"] = iso(event.deadline)
            # the figure cards show: working days + business seconds, for notifiers without the calendar
            params["left_parts"] = list(split_left(team.calendar, now, event.deadline))
            params["overdue_parts"] = list(split_left(team.calendar, event.deadline, now))
        if event.kind == "remind":
            since = parse_iso(ticket.sla_state.get("unclaimed_since")) or ticket.created_at
            params["waited"] = int(cal.between(since, now).total_seconds())
            if ticket.status == Status.AWAITING_APPROVAL:
                return remind_approvers(self.fanout, sink, ticket, team, event.level, params, dedup)
            self.fanout.to_team(sink, team, "team", N_("sla_unclaimed"), ticket, params, dedup_key=dedup)
            return []
        if event.kind == "warn":
            params["left"] = int(cal.between(now, event.deadline).total_seconds())
            assigned = ticket.assignee is not None
            template = TEMPLATES[("warn", event.clock, assigned)]
            self.fanout.to_team(sink, team, "thread" if assigned else "team", template, ticket, params,
                                dedup_key=dedup)
            return []
        people = level_people(team, event.level)
        params.update(overdue=int(cal.between(event.deadline, now).total_seconds()), level=event.level,
                      people=people)
        template = TEMPLATES[("breach" if event.level == 1 else "escalate", event.clock)]
        self.fanout.to_team(sink, team, "thread", template, ticket, params, dedup_key=dedup)
        for person in people:
            self.fanout.to_user(sink, team, person, template, ticket, params, dedup_key=f"{dedup}:{person}")
        what = "first_response" if event.clock == "fr" else "resolution"
        return [AuditEvent(ticket.id, SYSTEM, "escalate", now,
                           {"escalation_level": [event.level - 1 or None, event.level],
                            "sla": [None, what]}, team=ticket.team)]

    # -- automatic closes and nudges ---------------------------------------------------
    def _act(self, sink: Sink, ticket: Ticket, team: Team, event: Event, now: datetime) -> list[AuditEvent]:
        if event.clock == "nudge":
            params = {"key": ticket.key, "title": ticket.title, "requester": ticket.requester,
                      "tz": calendar_of(team).tz_name}
            dedup = f"sla:{ticket.id}:{event.id}"
            self.fanout.to_user(sink, team, ticket.requester, N_("sla_waiting_nudge"), ticket, params,
                                dedup_key=dedup)
            self.fanout.to_team(sink, team, "thread", N_("sla_waiting_nudge"), ticket, params,
                                dedup_key=f"{dedup}:thread")
            return []
        old = ticket.status
        check_transition("close", old)
        ticket.status = Status.CLOSED
        self.policy.on_status(ticket, team, old, now)
        ticket.closed_at = ticket.updated_at = now
        if event.clock == "autoclose":
            template, days = N_("sla_autoclosed"), self.rules.autoclose_resolved_days
        else:
            template, days = N_("sla_waiting_closed"), self.rules.waiting_close_days
        self.fanout.update(sink, ticket, team, template, SYSTEM, [ticket.requester], days=days)
        action = "autoclose" if event.clock == "autoclose" else "autoclose_waiting"
        return [AuditEvent(ticket.id, SYSTEM, action, now, {"status": [old.value, Status.CLOSED.value]},
                           team=ticket.team)]

    def still_current(self, ticket: Ticket, params: dict, now: datetime) -> bool:
        """Whether a queued SLA message still belongs to a deadline that stands."""
        event_id = params.get("sla_event")
        if not event_id:
            return True
        team = self.directory.teams.get(ticket.team)
        if team is None or not ticket.status.is_open:
            return False
        if event_id.startswith("unclaimed:"):
            return (ticket.status in (Status.NEW, Status.AWAITING_APPROVAL)
                    and event_id.split("@", 1)[1] == ticket.sla_state.get("unclaimed_since"))
        return event_id in {e.id for e in all_events(ticket, team, self.rules, now)}

    # -- the daily digest ------------------------------------------------------------------
    def digest(self, sink: Sink, team: Team, day: date, counts: DigestCounts) -> None:
        params = {"team": team.key, "name": team.name, "day": day.isoformat(), "open_count": counts.open,
                  "overdue_count": counts.overdue, "unassigned_count": counts.unassigned,
                  "overdue_list": ", ".join(counts.overdue_keys) or "-",
                  "unassigned_list": ", ".join(counts.unassigned_keys) or "-"}
        self.fanout.to_team(sink, team, "team", N_("sla_digest"), None, params,
                            dedup_key=f"sla:digest:{team.key}:{day.isoformat()}")
