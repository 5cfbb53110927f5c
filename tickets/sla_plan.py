"""What the SLA engine owes a ticket, and when: the plan of its timed events.

Standard library only. A ticket's plan is computed from its columns and its
``sla_state``; the deadline policy (tickets/deadlines.py) keeps those up to date
on every change, and the sweep (tickets/sla_sweep.py) carries out what is due.

Event ids name the deadline they belong to (``res:esc:2@<deadline>``), so a
changed deadline makes reminders for the new one possible again, while the
ids already handled (``sla_state["done"]``) keep every reminder to one.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from tickets.calendar import BusinessCalendar
from tickets.model import Status, Ticket
from tickets.teams import Team
from tickets.workdays import deadline_after

UTC = timezone.utc
_ALWAYS = BusinessCalendar.twenty_four_seven("UTC")


@dataclass(frozen=True)
class SlaRules:
    """The knobs of the SLA engine (config.settings.SchedulerSettings carries them)."""

    warn_fraction: float = 0.75
    escalation_fraction: float = 0.5
    unclaimed_reminder_minutes: int | None = 30
    digest_time: str | None = "09:00"
    autoclose_resolved_days: int | None = 3
    waiting_nudge_days: int | None = None
    waiting_close_days: int | None = None

    @classmethod
    def from_settings(cls, obj: object | None) -> "SlaRules":
        """Read the fields from any object with those attributes (a pydantic model, a namespace)."""
        if obj is None:
            return cls()
        if isinstance(obj, cls):
            return obj
        values = {name: getattr(obj, name) for name in cls.__dataclass_fields__ if hasattr(obj, name)}
        return cls(**values)

    def digest_at(self) -> time | None:
        if not self.digest_time:
            return None
        hh, _, mm = str(self.digest_time).partition(":")
        return time(int(hh), int(mm or 0))


@dataclass(frozen=True)
class Event:
    """One timed thing the engine owes a ticket."""

    id: str  # "<clock>:<kind>:<level>@<base>": base is the deadline (or start) it belongs to
    at: datetime
    clock: str  # fr | res | unclaimed | autoclose | nudge | wclose
    kind: str  # warn | esc | remind | action
    level: int = 0
    deadline: datetime | None = None

    @property
    def prefix(self) -> str:
        return self.id.split("@", 1)[0]

    @property
    def rank(self) -> int:
        """Which message wins when several are due at once (catch-up sends only the top one)."""
        if self.kind == "esc":
            return 100 + self.level * 2 + (1 if self.clock == "res" else 0)
        if self.kind == "warn":
            return 50 + (1 if self.clock == "res" else 0)
        return 10


def iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


def parse_iso(value: str | None) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def calendar_of(team: Team | None) -> BusinessCalendar:
    calendar = getattr(team, "calendar", None)
    return calendar if calendar is not None else _ALWAYS


def add_working_days(calendar: BusinessCalendar, start: datetime, days: int) -> datetime:
    """`days` working days after `start`, at that day's close of business (plain days when open 24/7)."""
    if days <= 0:
        return start
    return deadline_after(calendar, start, days)


def chain_levels(team: Team) -> int:
    """Escalation levels: 1 = the supervisors, then each next person in the chain."""
    return max(1, len(team.escalation))


def level_people(team: Team, level: int) -> list[str]:
    if level <= 1:
        people = sorted(team.supervisors)
        if team.escalation and team.escalation[0] not in people:
            people.append(team.escalation[0])
        return people
    return [team.escalation[level - 1]] if level - 1 < len(team.escalation) else []


def _deadline_events(clock: str, deadline: datetime, warn_at: datetime | None, target_s: float,
                     team: Team, rules: SlaRules, cal: BusinessCalendar) -> list[Event]:
    base = iso(deadline)
    events = []
    if warn_at is not None and warn_at < deadline:
        events.append(Event(f"{clock}:warn:0@{base}", warn_at, clock, "warn", 0, deadline))
    delay = timedelta(seconds=max(0.0, target_s) * rules.escalation_fraction)
    for level in range(1, chain_levels(team) + 1):
        at = deadline if level == 1 else cal.add(deadline, delay * (level - 1))
        events.append(Event(f"{clock}:esc:{level}@{base}", at, clock, "esc", level, deadline))
    return events


def all_events(ticket: Ticket, team: Team, rules: SlaRules, now: datetime) -> list[Event]:
    """Every event of the ticket's current cycle, handled or not, before snoozing."""
    st = ticket.sla_state
    cal = calendar_of(team)
    events: list[Event] = []
    status = ticket.status
    if status.is_open:
        if ticket.first_response_at is None and ticket.first_response_due is not None:
            events += _deadline_events("fr", ticket.first_response_due, parse_iso(st.get("fr_warn")),
                                       float(st.get("fr_target") or 0), team, rules, cal)
        if ticket.paused_at is None and ticket.resolution_due is not None:
            events += _deadline_events("res", ticket.resolution_due, parse_iso(st.get("res_warn")),
                                       float(st.get("res_target") or 0), team, rules, cal)
        since = parse_iso(st.get("unclaimed_since"))
        minutes = rules.unclaimed_reminder_minutes
        # NEW means nobody holds it; a pending approval is reminded the same way (to its approvers)
        if status in (Status.NEW, Status.AWAITING_APPROVAL) and since is not None and minutes:
            step = timedelta(minutes=minutes)
            sent = int(st.get("unclaimed_n") or 0)
            reached = int(cal.between(since, now) / step) if now > since else 0
            n = reached if reached > sent else sent + 1
            events.append(Event(f"unclaimed:remind:{n}@{iso(since)}", cal.add(since, step * n), "unclaimed",
                                "remind", n))
        if status == Status.WAITING and ticket.paused_at is not None:
            nudge_at = None
            if rules.waiting_nudge_days:
                nudge_at = add_working_days(cal, ticket.paused_at, rules.waiting_nudge_days)
                events.append(Event(f"nudge:action:0@{iso(ticket.paused_at)}", nudge_at, "nudge", "action"))
            if rules.waiting_close_days:
                close_at = add_working_days(cal, nudge_at or ticket.paused_at, rules.waiting_close_days)
                events.append(Event(f"wclose:action:0@{iso(ticket.paused_at)}", close_at, "wclose", "action"))
    elif status == Status.RESOLVED and rules.autoclose_resolved_days and ticket.resolved_at is not None:
        base = max(ticket.resolved_at, parse_iso(st.get("last_reply")) or ticket.resolved_at)
        events.append(Event(f"autoclose:action:0@{iso(base)}", add_working_days(cal, base,
                                                                               rules.autoclose_resolved_days),
                            "autoclose", "action"))
    return events


def pending_events(ticket: Ticket, team: Team, rules: SlaRules, now: datetime) -> list[Event]:
    """The events not handled yet, with reminders to the assignee held back while snoozed.

    Snooze never holds back an escalation: a breach always reaches the supervisors.
    """
    done = set(ticket.sla_state.get("done") or ())
    snoozed = parse_iso(ticket.sla_state.get("snoozed_until"))
    out = []
    for event in all_events(ticket, team, rules, now):
        if event.id in done:
            continue
        if snoozed is not None and event.kind in ("warn", "remind") and event.at < snoozed:
            event = Event(event.id, snoozed, event.clock, event.kind, event.level, event.deadline)
        out.append(event)
    return out


def next_action(events: list[Event]) -> datetime | None:
    return min((e.at for e in events), default=None)


def digest_day(team: Team, rules: SlaRules, now: datetime) -> date | None:
    """The team's local date whose daily digest is due by `now` (working days only), or None."""
    at = rules.digest_at()
    if at is None:
        return None
    cal = calendar_of(team)
    local = now.astimezone(cal.tz)
    if local.time().replace(tzinfo=None) < at or not cal.is_working_day(local.date()):
        return None
    return local.date()
