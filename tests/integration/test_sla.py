"""The SLA engine on SQLite and PostgreSQL with an injected clock: warnings, breaches,
escalation levels, unclaimed reminders, digests, auto-close, snooze and catch-up.

The fixture team IT is 24/7 (Asia/Jakarta) with normal = 1h first response / 8h
resolution; supervisors sari (+ slack/discord ids), escalation chain sari -> boss.
"""
from __future__ import annotations

from datetime import timedelta

import pytest

from scheduler.jobs import SlaEngine, tick
from tickets.errors import ValidationError
from tickets.teams import Actor

BUDI, ANDI, SARI = Actor("console:budi"), Actor("console:andi"), Actor("console:sari")


class Recorder:
    platform = "console"

    def __init__(self):
        self.got = []

    def deliver(self, delivery):
        self.got.append(delivery)


@pytest.fixture
def rec(container):
    recorder = Recorder()
    container.notifiers["console"] = recorder
    return recorder


def step(container, clock, rec, *, digests: bool = False, **advance):
    """Move the clock, run one scheduler tick, deliver everything; the SLA messages that went out."""
    if advance:
        clock.advance(**advance)
    rec.got.clear()
    tick(container)
    container.dispatcher().drain()
    return [(d.target, d.template) for d in rec.got
            if d.template.startswith("sla_") and (digests or d.template != "sla_digest")]


def opened(container, rec, title="Printer", team="IT", **kw):
    ticket = container.service.open(BUDI, team, title, **kw).ticket
    container.dispatcher().drain()
    rec.got.clear()
    return ticket


def test_first_response_warning_breach_and_level_two_each_once(container, clock, rec):
    opened(container, rec)
    assert step(container, clock, rec, minutes=44) == [("team:IT", "sla_unclaimed")]
    assert step(container, clock, rec, minutes=1) == [("team:IT", "sla_warn_response_team")]
    assert step(container, clock, rec) == []  # the same moment again: nothing repeats
    breach = step(container, clock, rec, minutes=15)
    assert ("thread:IT-1", "sla_breach_response") in breach
    assert {t for t, _ in breach if t.startswith("user:")} == {
        "user:console:sari", "user:slack:USARI", "user:discord:203"}
    assert step(container, clock, rec, minutes=29) == []
    level2 = step(container, clock, rec, minutes=1)
    assert level2 == [("thread:IT-1", "sla_escalation_response"), ("user:console:boss", "sla_escalation_response")]
    assert step(container, clock, rec, minutes=1) == []


def test_claim_is_the_first_response_and_the_assignee_gets_the_resolution_warning(container, clock, rec):
    opened(container, rec)
    clock.advance(minutes=20)
    ticket = container.service.claim(ANDI, "IT-1")
    assert ticket.first_response_seconds == 20 * 60 and ticket.first_response_met is True
    assert step(container, clock, rec, minutes=25) == []  # no first-response warning any more
    assert step(container, clock, rec, hours=5, minutes=15) == [("thread:IT-1", "sla_warn_resolution")]
    warned = [d for d in rec.got if d.template == "sla_warn_resolution"][0]
    assert warned.params["assignee"] == "console:andi" and warned.params["left"] == 2 * 3600
    breach = step(container, clock, rec, hours=2)
    assert ("thread:IT-1", "sla_breach_resolution") in breach and ("user:console:sari", "sla_breach_resolution") in breach
    assert step(container, clock, rec, hours=4) == [("thread:IT-1", "sla_escalation_resolution"),
                                                    ("user:console:boss", "sla_escalation_resolution")]
    history = container.queries.show(SARI, "IT-1").history
    assert [e.changes["escalation_level"] for e in history if e.action == "escalate"] == [[None, 1], [1, 2]]


def test_internal_note_is_not_a_first_response_but_a_public_reply_is(container, clock, rec):
    opened(container, rec)
    clock.advance(minutes=5)
    container.service.note(ANDI, "IT-1", "looking")
    assert container.queries.show(SARI, "IT-1").ticket.first_response_at is None
    clock.advance(minutes=70)
    ticket = container.service.comment(ANDI, "IT-1", "on my way")
    assert ticket.first_response_at == clock.now() and ticket.first_response_met is False
    assert ticket.first_response_seconds == 75 * 60


def test_unclaimed_reminders_every_interval_until_claimed(container, clock, rec):
    opened(container, rec, priority="low")  # IT has no target for low: reminders only
    assert step(container, clock, rec, minutes=29) == []
    assert step(container, clock, rec, minutes=1) == [("team:IT", "sla_unclaimed")]
    assert step(container, clock, rec, minutes=30) == [("team:IT", "sla_unclaimed")]
    container.service.claim(ANDI, "IT-1")
    assert step(container, clock, rec, minutes=90) == []
    container.service.unclaim(ANDI, "IT-1")
    assert step(container, clock, rec, minutes=30) == [("team:IT", "sla_unclaimed")]


def test_daily_digest_once_per_team_and_working_day(container, clock, rec):
    opened(container, rec)
    sent = step(container, clock, rec, digests=True)  # Monday 09:00 in Jakarta
    assert sorted(t for t, tpl in sent if tpl == "sla_digest") == ["team:HR", "team:IT", "team:LOG"]
    digest = [d for d in rec.got if d.template == "sla_digest" and d.target == "team:IT"][0]
    assert digest.params["open_count"] == 1 and digest.params["unassigned_list"] == "IT-1"
    assert step(container, clock, rec, digests=True, minutes=1) == []
    # Saturday: LOG works Mon-Fri, IT and HR are 24/7
    sent = step(container, clock, rec, digests=True, days=5)
    assert sorted(t for t, tpl in sent if tpl == "sla_digest") == ["team:HR", "team:IT"]


def test_resolved_ticket_closes_by_itself_after_three_days_with_a_message(container, clock, rec):
    opened(container, rec)
    container.service.claim(ANDI, "IT-1")
    clock.advance(hours=1)
    ticket = container.service.resolve(ANDI, "IT-1", "done")
    assert ticket.resolution_seconds == 3600 and ticket.resolution_met is True
    assert step(container, clock, rec, days=2, hours=23) == []
    closed = step(container, clock, rec, hours=1)
    assert ("user:console:budi", "sla_autoclosed") in closed
    view = container.queries.show(SARI, "IT-1")
    assert view.ticket.status.value == "closed" and view.history[-1].action == "autoclose"
    assert step(container, clock, rec, days=5) == []


def test_requester_reply_restarts_the_autoclose_wait(container, clock, rec):
    opened(container, rec)
    container.service.resolve(ANDI, "IT-1")
    clock.advance(days=2)
    container.service.comment(BUDI, "IT-1", "still broken?")
    assert step(container, clock, rec, days=2) == []
    assert ("user:console:budi", "sla_autoclosed") in step(container, clock, rec, days=1)


def test_waiting_nudge_then_close_when_configured(container, clock, rec):
    container.service.sla.rules = type(container.service.sla.rules)(waiting_nudge_days=1, waiting_close_days=2,
                                                                    unclaimed_reminder_minutes=None)
    opened(container, rec, priority="low")
    container.service.claim(ANDI, "IT-1")
    container.service.wait(ANDI, "IT-1", "which floor?")
    nudge = step(container, clock, rec, days=1)
    assert ("user:console:budi", "sla_waiting_nudge") in nudge
    assert step(container, clock, rec, days=1) == []
    assert ("user:console:budi", "sla_waiting_closed") in step(container, clock, rec, days=1)
    view = container.queries.show(SARI, "IT-1")
    assert view.ticket.status.value == "closed" and view.history[-1].action == "autoclose_waiting"
    assert view.ticket.paused_at is None


def test_snooze_quiets_the_assignee_but_never_the_breach(container, clock, rec):
    opened(container, rec)
    container.service.claim(ANDI, "IT-1")
    clock.advance(hours=5)
    with pytest.raises(ValidationError):
        container.service.snooze(ANDI, "IT-1", clock.now() + timedelta(hours=4))  # past the 8h deadline
    container.service.snooze(ANDI, "IT-1", clock.now() + timedelta(hours=2, minutes=30))
    assert step(container, clock, rec, hours=1, minutes=1) == []  # the 6h warning is held back
    assert step(container, clock, rec, hours=1, minutes=29) == [("thread:IT-1", "sla_warn_resolution")]
    assert ("user:console:sari", "sla_breach_resolution") in step(container, clock, rec, minutes=30)


def test_pause_while_waiting_moves_the_resolution_deadline(container, clock, rec):
    ticket = opened(container, rec)
    container.service.claim(ANDI, "IT-1")
    due = ticket.resolution_due
    clock.advance(hours=2)
    container.service.wait(ANDI, "IT-1")
    assert step(container, clock, rec, hours=10) == []  # paused: no resolution breach
    ticket = container.service.comment(BUDI, "IT-1", "here is the info")  # the requester's reply resumes
    assert ticket.status.value == "in_progress" and ticket.resolution_due == due + timedelta(hours=10)
    clock.advance(hours=1)
    ticket = container.service.resolve(ANDI, "IT-1")
    assert ticket.resolution_seconds == 3 * 3600 and ticket.resolution_met is True


def test_changed_deadline_drops_unsent_reminders_and_allows_new_ones(container, clock, rec):
    opened(container, rec)
    container.service.claim(ANDI, "IT-1")
    clock.advance(hours=6)
    engine = SlaEngine(container)
    engine.sweep()  # the warning is queued but not delivered yet
    container.service.set_due(ANDI, "IT-1", clock.now() + timedelta(days=2))
    assert engine.drop_stale() == 1
    container.dispatcher().drain()
    assert not [d for d in rec.got if d.template == "sla_warn_resolution"]
    assert [r.status for r in container.outbox.rows() if r.template == "sla_warn_resolution"] == ["dropped"]
    # the new deadline (54h after opening) gets its own warning at 75% of it: 40.5h
    assert step(container, clock, rec, hours=34) == []
    assert step(container, clock, rec, hours=1) == [("thread:IT-1", "sla_warn_resolution")]


def test_priority_change_recomputes_and_reopen_gets_a_fresh_target(container, clock, rec):
    ticket = opened(container, rec)
    ticket = container.service.set_priority(SARI, "IT-1", "urgent")
    assert ticket.first_response_due == ticket.created_at + timedelta(minutes=10)
    assert ticket.resolution_due == ticket.created_at + timedelta(hours=1)
    container.service.claim(ANDI, "IT-1")
    clock.advance(hours=3)
    ticket = container.service.resolve(ANDI, "IT-1")
    assert ticket.resolution_met is False and ticket.resolution_seconds == 3 * 3600
    clock.advance(hours=1)
    ticket = container.service.reopen(BUDI, "IT-1", "not fixed")
    assert ticket.resolution_due == clock.now() + timedelta(hours=1)
    assert step(container, clock, rec) == []  # no instant breach
    clock.advance(minutes=30)
    ticket = container.service.resolve(ANDI, "IT-1")
    assert ticket.resolution_seconds == 1800 and ticket.resolution_met is True
    resolves = [e for e in container.queries.show(SARI, "IT-1").history if e.action == "resolve"]
    assert [e.changes["resolution_seconds"][1] for e in resolves] == [3 * 3600, 1800]
    assert [e.changes["resolution_met"][1] for e in resolves] == [False, True]


def test_catch_up_after_downtime_sends_one_message_per_ticket(container, clock, rec):
    opened(container, rec, "one")
    opened(container, rec, "two")
    sent = step(container, clock, rec, hours=10)  # nobody swept for ten hours
    threads = [(t, tpl) for t, tpl in sent if t.startswith(("thread:", "team:"))]
    assert sorted(threads) == [("thread:IT-1", "sla_escalation_response"), ("thread:IT-2", "sla_escalation_response")]
    overdue = {d.params["overdue"] for d in rec.got if d.target.startswith("thread:")}
    assert overdue == {9 * 3600}
    assert step(container, clock, rec, minutes=1) == []


def test_a_sweeper_killed_mid_batch_loses_nothing(container, clock, rec):
    opened(container, rec)
    clock.advance(minutes=45)
    engine = SlaEngine(container)

    def crash(sink, tickets):
        raise KeyboardInterrupt  # the process dies inside the transaction

    from tickets.sla_sweep import Sink
    with pytest.raises(KeyboardInterrupt):
        engine.store.sweep_batch(clock.now(), Sink, crash)
    assert [r for r in container.outbox.rows() if r.template.startswith("sla_warn")] == []
    assert step(container, clock, rec) == [("team:IT", "sla_warn_response_team")]


def test_a_deliverer_killed_mid_delivery_loses_nothing(container, clock, rec):
    opened(container, rec)
    clock.advance(minutes=60)
    SlaEngine(container).sweep()
    leased = container.outbox.lease("console", clock.now(), limit=100)  # then the process dies
    assert any(d.template == "sla_breach_response" for d in leased)
    assert container.dispatcher().drain() == 0  # hidden while the dead lease lasts
    clock.advance(seconds=61)
    container.dispatcher().drain()
    assert sorted(d.target for d in rec.got if d.template == "sla_breach_response") == [
        "thread:IT-1", "user:console:sari", "user:discord:203", "user:slack:USARI"]


def test_show_counts_time_left_in_business_hours(container, clock, rec):
    # LOG works Mon-Fri 08:00-17:00 in Jakarta; it is Monday 09:00 there, the deadline Tuesday 10:00
    due = clock.now() + timedelta(hours=25)
    opened(container, rec, "Boxes", team="LOG", due_at=due)
    text = container.runner().run(BUDI, "show LOG-1", lang="en").text
    assert "· 10 h left" in text  # 8h on Monday + 2h on Tuesday, not 25h
    listed = container.runner().run(BUDI, "list", lang="id").text
    assert "sisa 10 jam" in listed
    clock.advance(hours=26)  # Tuesday 11:00
    assert "overdue" in container.runner().run(BUDI, "show LOG-1", lang="en").text
