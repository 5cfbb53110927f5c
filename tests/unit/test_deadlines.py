"""The deadline policy's business-time math on a fixed clock (tests/unit/test_calendar.py
covers the calendar itself): weekends, Indonesian holidays from the `holidays` package, a
lunch break, a span across midnight, DST, 24/7, pauses, reopen and deadline changes."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import holidays
import pytest

from config.teams import parse_teams
from tickets.deadlines import DeadlinePolicy
from tickets.errors import ValidationError
from tickets.model import Priority, Status, Ticket, check_transition
from tickets.sla_plan import SlaRules, pending_events

JKT = ZoneInfo("Asia/Jakarta")
UTC = timezone.utc


def team(hours="mon-fri 08:00-12:00,13:00-17:00", tz="Asia/Jakarta", fr="2h", res="8h", **cal):
    data = {"teams": [{"key": "IT", "name": "IT", "supervisors": ["console:sari"],
                       "escalation": ["console:sari", "console:boss"],
                       "sla": {"normal": {"first_response": fr, "resolution": res},
                               "urgent": {"first_response": "15m", "resolution": "2h"}},
                       "calendar": {"timezone": tz, "hours": hours, **cal}}]}
    return parse_teams(data, "test").teams["IT"]


def local(*args, tz=JKT) -> datetime:
    return datetime(*args, tzinfo=tz).astimezone(UTC)


class Life:
    """A ticket driven through the policy the way the service drives it."""

    def __init__(self, team_, at: datetime, rules: SlaRules | None = None, **fields):
        self.team, self.policy = team_, DeadlinePolicy(rules or SlaRules())
        self.t = Ticket(team="IT", number=1, title="x", requester="console:budi", reporter="console:budi",
                        created_at=at, updated_at=at, priority=Priority.NORMAL, **fields)
        self.policy.on_open(self.t, team_, at)

    def move(self, action: str, at: datetime, assignee: str | None = None) -> Ticket:
        old = self.t.status
        self.t.status = check_transition(action, old) or old
        self.policy.on_status(self.t, self.team, old, at)
        if action in ("claim", "assign"):
            self.t.assignee = assignee or "console:andi"
            if action == "claim":
                self.policy.on_first_response(self.t, self.team, at)
        if action == "reopen":
            self.policy.on_reopen(self.t, self.team, at)
        return self.t


def test_weekend_is_skipped():
    life = Life(team(), local(2026, 11, 20, 16, 0))  # Friday 16:00
    assert life.t.first_response_due == local(2026, 11, 23, 9, 0)  # Friday 1h + Monday 1h
    assert life.t.resolution_due == local(2026, 11, 23, 16, 0)  # Fri 16-17, Mon 08-12 and 13-16


def test_lunch_break_is_not_business_time():
    life = Life(team(fr="1h"), local(2026, 11, 23, 11, 30))  # Monday 11:30
    assert life.t.first_response_due == local(2026, 11, 23, 13, 30)
    assert life.t.sla_state["fr_warn"] == local(2026, 11, 23, 13, 15).isoformat()  # 75% = 45 min


def test_independence_day_17_august_is_a_holiday():
    life = Life(team(), local(2026, 8, 14, 16, 0))  # Friday 14 Aug; Monday 17 Aug is a holiday
    assert life.t.first_response_due == local(2026, 8, 18, 9, 0)


def test_idul_fitri_dates_come_from_the_holidays_package():
    fitri = sorted(d for d, name in holidays.country_holidays("ID", years=2025).items() if "Fitr" in name)
    assert fitri, "the holidays package names Idul Fitri"
    before = fitri[0] - timedelta(days=1)
    while before.weekday() >= 5 or before in fitri:
        before -= timedelta(days=1)
    after = fitri[-1] + timedelta(days=1)
    while after.weekday() >= 5:
        after += timedelta(days=1)
    life = Life(team(), local(before.year, before.month, before.day, 16, 0))
    assert life.t.first_response_due == local(after.year, after.month, after.day, 9, 0)


def test_extra_holidays_from_the_teams_file():
    life = Life(team(extra_holidays=[date(2026, 11, 23)]), local(2026, 11, 20, 16, 0))
    assert life.t.first_response_due == local(2026, 11, 24, 9, 0)


def test_a_span_across_midnight():
    night = team(hours="mon-fri 22:00-06:00", fr="4h", holidays=None)
    life = Life(night, local(2026, 11, 23, 23, 0))  # Monday 23:00
    assert life.t.first_response_due == local(2026, 11, 24, 3, 0)
    life = Life(night, local(2026, 11, 24, 4, 0))  # Tuesday 04:00, inside Monday's night span
    assert life.t.first_response_due == local(2026, 11, 25, 0, 0)  # 2h now, 2h from Tuesday 22:00


@pytest.mark.parametrize("start,due", [
    ((2026, 3, 28, 12, 0), (2026, 3, 29, 13, 0)),  # spring forward: that Sunday has 23 hours
    ((2026, 10, 24, 12, 0), (2026, 10, 25, 11, 0)),  # fall back: that Sunday has 25 hours
])
def test_dst_days_in_berlin_count_real_hours(start, due):
    berlin = ZoneInfo("Europe/Berlin")
    cal = team(hours="mon-sun 00:00-24:00", tz="Europe/Berlin", fr="24h", holidays=None)
    life = Life(cal, local(*start, tz=berlin))
    assert life.t.first_response_due == local(*due, tz=berlin)


def test_24_7_has_no_closed_minute_at_midnight():
    life = Life(team(hours="24/7", fr="1m", res="30s"), local(2026, 11, 23, 23, 59, 45))
    assert life.t.first_response_due == local(2026, 11, 24, 0, 0, 45)
    assert life.t.resolution_due == local(2026, 11, 24, 0, 0, 15)


def test_pause_across_a_weekend_adds_back_only_business_time():
    life = Life(team(), local(2026, 11, 20, 9, 0))  # Friday 09:00, resolution 8h -> Monday 09:00
    assert life.t.resolution_due == local(2026, 11, 23, 9, 0)
    life.move("claim", local(2026, 11, 20, 10, 0))
    life.move("wait", local(2026, 11, 20, 16, 0))
    assert life.t.paused_at == local(2026, 11, 20, 16, 0)
    assert not [e for e in pending_events(life.t, life.team, life.policy.rules, local(2026, 11, 23, 10, 0))
                if e.clock == "res"]  # no resolution reminders while paused
    life.move("resume", local(2026, 11, 23, 9, 0))  # Monday 09:00: 1h Fri + 1h Mon were paused
    assert life.t.sla_state["paused_s"] == 2 * 3600
    assert life.t.resolution_due == local(2026, 11, 23, 11, 0)


def test_pause_then_resolve_directly_excludes_the_pause():
    life = Life(team(), local(2026, 11, 23, 8, 0))
    life.move("claim", local(2026, 11, 23, 9, 0))
    life.move("wait", local(2026, 11, 23, 10, 0))
    ticket = life.move("resolve", local(2026, 11, 23, 15, 0))  # 4h paused (lunch excluded)
    assert ticket.paused_at is None
    assert ticket.resolution_seconds == 2 * 3600 and ticket.resolution_met is True
    assert ticket.resolution_due == local(2026, 11, 24, 12, 0)  # 8h + 4h paused
    audit = life.policy.audit_changes(ticket)
    assert audit["resolution_seconds"] == [None, 7200] and audit["resolution_met"] == [None, True]


def test_first_response_is_measured_in_business_time():
    life = Life(team(), local(2026, 11, 20, 16, 30))  # Friday 16:30
    ticket = life.move("claim", local(2026, 11, 23, 8, 45))  # Monday 08:45
    assert ticket.first_response_seconds == 75 * 60 and ticket.first_response_met is True
    assert life.policy.audit_changes(ticket) == {}  # only resolutions go into the audit event


def test_reopen_gets_a_fresh_target_not_an_instant_breach():
    life = Life(team(), local(2026, 11, 23, 8, 0))
    life.move("claim", local(2026, 11, 23, 8, 30))
    life.move("resolve", local(2026, 11, 25, 9, 0))
    assert life.t.resolution_met is False
    ticket = life.move("reopen", local(2026, 11, 25, 10, 0))
    assert ticket.status == Status.IN_PROGRESS or ticket.status == Status.NEW
    assert ticket.resolution_due == local(2026, 11, 26, 10, 0)
    assert ticket.next_action_at > local(2026, 11, 25, 10, 0)


def test_explicit_deadline_overrides_and_a_past_one_is_dropped_on_reopen():
    life = Life(team(), local(2026, 11, 23, 8, 0))
    life.t.due_at = local(2026, 11, 27, 17, 0)
    life.policy.on_due(life.t, life.team, local(2026, 11, 23, 9, 0))
    assert life.t.resolution_due == local(2026, 11, 27, 17, 0)
    life.move("resolve", local(2026, 11, 30, 9, 0))
    assert life.t.resolution_met is False
    ticket = life.move("reopen", local(2026, 11, 30, 10, 0))
    assert ticket.due_at is None and ticket.resolution_due == local(2026, 12, 1, 10, 0)


def test_priority_change_recomputes_from_the_same_start():
    life = Life(team(), local(2026, 11, 23, 8, 0))
    life.t.priority = Priority.URGENT
    life.policy.on_priority(life.t, life.team, local(2026, 11, 23, 8, 5))
    assert life.t.first_response_due == local(2026, 11, 23, 8, 15)
    assert life.t.resolution_due == local(2026, 11, 23, 10, 0)


def test_a_moved_deadline_does_not_repeat_a_warning_already_given():
    life = Life(team(hours="24/7"), local(2026, 11, 23, 8, 0))
    life.move("claim", local(2026, 11, 23, 8, 1))
    life.t.sla_state["done"] = [e.id for e in pending_events(life.t, life.team, life.policy.rules,
                                                             local(2026, 11, 23, 14, 30)) if e.kind == "warn"]
    life.move("wait", local(2026, 11, 23, 14, 30))
    life.move("resume", local(2026, 11, 23, 14, 40))  # the deadline moved by 10 minutes
    due = pending_events(life.t, life.team, life.policy.rules, local(2026, 11, 23, 14, 40))
    assert [e.kind for e in due] == ["esc", "esc"]  # the warning for the moved deadline is not owed again


def test_snooze_must_end_before_the_deadline():
    life = Life(team(hours="24/7"), local(2026, 11, 23, 8, 0))
    with pytest.raises(ValidationError):
        life.policy.on_snooze(life.t, life.team, local(2026, 11, 23, 8, 0), local(2026, 11, 23, 10, 0))
    life.policy.on_snooze(life.t, life.team, local(2026, 11, 23, 8, 0), local(2026, 11, 23, 9, 50))
    events = pending_events(life.t, life.team, life.policy.rules, local(2026, 11, 23, 8, 0))
    warn = [e for e in events if e.kind == "warn"][0]
    assert warn.at == local(2026, 11, 23, 9, 50)  # held back
    assert [e for e in events if e.kind == "esc"][0].at == local(2026, 11, 23, 10, 0)  # never held back


def test_rules_read_from_settings():
    from config.settings import SchedulerSettings

    rules = SlaRules.from_settings(SchedulerSettings(warn_fraction=0.5, unclaimed_reminder_minutes=10))
    assert rules.warn_fraction == 0.5 and rules.unclaimed_reminder_minutes == 10
    assert rules.autoclose_resolved_days == 3 and rules.waiting_nudge_days is None
