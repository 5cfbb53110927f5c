"""Bounded work (issue 10, findings 1, 3 and 10): far deadlines and out-of-range periods are refused
before anything is computed, with a translated message; a long deadline computation holds no transaction."""
from __future__ import annotations

import logging
import threading
import time as _time
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest

from tickets.calendar import MAX_SPAN_DAYS, BusinessCalendar
from tickets.errors import ValidationError
from tickets.hours import parse_hours
from tickets.limits import Limits
from tickets.teams import Actor

BUDI, ANDI, SARI, JOKO, RINA = (Actor(f"console:{n}") for n in ("budi", "andi", "sari", "joko", "rina"))


def no_tracebacks(caplog):
    return [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


@pytest.mark.parametrize("when", ["9999-12-31", "2999-01-01", "3650d"])
def test_far_deadline_is_refused_at_once_and_not_stored(container, caplog, when):
    container.service.open(BUDI, "LOG", "paper")
    container.service.claim(JOKO, "LOG-1")
    runner = container.runner()
    started = _time.process_time()
    reply = runner.run(JOKO, f"due LOG-1 {when}")
    assert _time.process_time() - started < 2.0  # was 18-55 s of CPU
    assert not reply.ok and "too far ahead" in reply.text and "730" in reply.text
    assert container.queries.show(JOKO, "LOG-1").ticket.due_at is None
    assert no_tracebacks(caplog) == []
    assert "terlalu jauh" in runner.run(JOKO, f"due LOG-1 {when}", lang="id").text


def test_deadline_within_the_horizon_is_stored(container):
    container.service.open(BUDI, "LOG", "paper")
    reply = container.runner().run(JOKO, "due LOG-1 2028-06-01")
    assert reply.ok, reply.text
    assert container.queries.show(JOKO, "LOG-1").ticket.due_at.year == 2028


def test_the_horizon_is_configurable(clock):
    limits = Limits(deadline_horizon_days=10)
    limits.check_deadline(clock.now() + timedelta(days=10), clock.now())
    with pytest.raises(ValidationError) as err:
        limits.check_deadline(clock.now() + timedelta(days=11), clock.now())
    assert err.value.key == "due_too_far" and err.value.params == {"days": 10}


def test_snooze_and_open_respect_the_horizon(container, clock):
    s = container.service
    s.open(BUDI, "IT", "printer")
    with pytest.raises(ValidationError, match="due_too_far"):
        s.snooze(SARI, "IT-1", clock.now() + timedelta(days=3000))
    with pytest.raises(ValidationError, match="due_too_far"):
        s.open(BUDI, "IT", "later", due_at=clock.now() + timedelta(days=731))


@pytest.mark.parametrize("text", ["stats 0000-01", "stats 9999-12", "stats 0001-01-01..0001-01-02",
                                  "export IT 9999-12", "stats IT 1999-12-31..2000-01-02", "export 2101-01"])
def test_periods_outside_2000_2100_get_a_clear_message(container, caplog, text):
    reply = container.runner().run(SARI, text)
    assert not reply.ok
    assert "outside the years reports cover" in reply.text and "2000" in reply.text and "2100" in reply.text
    assert no_tracebacks(caplog) == []
    assert "di luar tahun" in container.runner().run(SARI, text, lang="id").text


def test_periods_inside_the_bounds_still_work(container):
    assert container.runner().run(SARI, "stats IT 2026-11").ok
    assert container.runner().run(SARI, "export IT 2000-01-01..2000-01-02").ok


def test_cli_report_period_bounds(container):
    from tickets.reports import parse_moment

    with pytest.raises(ValidationError, match="period_out_of_range"):
        parse_moment("0001-01-01", "Asia/Jakarta")
    with pytest.raises(ValidationError, match="period_out_of_range"):
        parse_moment("9999-12-31T23:00", "UTC", end=True)


def test_an_agent_asking_for_an_export_is_told_exports_are_for_supervisors(container):
    runner = container.runner()
    for text in ("export", "export IT"):
        reply = runner.run(ANDI, text)
        assert not reply.ok and "Exports are for supervisors" in reply.text, reply.text
    assert "in no team" in runner.run(BUDI, "export").text  # not an agent anywhere: the old message
    assert runner.run(SARI, "export IT").ok


# -- the calendar's arithmetic is linear in days and bounded ------------------------------------
def counting_calendar():
    cal = BusinessCalendar(tz="Asia/Jakarta", hours=parse_hours("mon-fri 08:00-12:00,13:00-17:00"))
    calls = []
    original = cal._compute_day_intervals

    def counted(day):
        calls.append(day)
        return original(day)

    cal._compute_day_intervals = counted
    return cal, calls


@pytest.mark.parametrize("days", [30, 365, 730])
def test_business_time_math_computes_each_day_once(days):
    cal, calls = counting_calendar()
    start = datetime(2026, 11, 23, 2, tzinfo=timezone.utc)
    span = cal.between(start, start + timedelta(days=days))
    cal.add(start, span)
    cal.add(start, span / 2)
    assert len(calls) <= days + 3  # one computation per local day, whatever is asked afterwards
    assert len(set(calls)) == len(calls)


def test_calendar_refuses_spans_beyond_its_hard_limit():
    cal, calls = counting_calendar()
    start = datetime(2026, 11, 23, tzinfo=timezone.utc)
    with pytest.raises(ValueError, match="longer than"):
        cal.between(start, start + timedelta(days=MAX_SPAN_DAYS + 10))
    assert calls == []  # refused before walking a single day
    with pytest.raises(ValueError):
        cal.add(start, timedelta(days=MAX_SPAN_DAYS))  # 4/7 of a week's hours open: runs past the limit
    assert len(calls) <= MAX_SPAN_DAYS + 2


# -- a long deadline computation never holds the write lock ---------------------------------------
def test_another_users_commands_answer_while_a_long_due_is_computed(container, directory):
    """The deadline's calendar work runs before the transaction: while it is (artificially) stuck,
    another user's list and new ticket answer normally, on SQLite too."""
    entered, release = threading.Event(), threading.Event()

    def holidays(year: int) -> frozenset[date]:
        if year >= 2028:
            entered.set()
            assert release.wait(timeout=60)
        return frozenset()

    log = directory.teams["LOG"]
    slow = BusinessCalendar(tz="Asia/Jakarta", hours=parse_hours("mon-fri 08:00-17:00"), holidays=holidays)
    container.directory.teams["LOG"] = replace(log, calendar=slow)
    runner = container.runner()
    container.service.open(BUDI, "LOG", "paper")
    container.service.open(RINA, "IT", "screen")
    answers = {}
    worker = threading.Thread(target=lambda: answers.setdefault("due", runner.run(JOKO, "due LOG-1 2028-06-01")))
    worker.start()
    try:
        assert entered.wait(timeout=30)
        listed = runner.run(RINA, "list")
        created = runner.run(BUDI, "new IT mouse broken")
        commented = runner.run(RINA, "comment IT-1 still dark")
    finally:
        release.set()
        worker.join(timeout=60)
    assert listed.ok and "IT-1" in listed.text, listed.text
    assert created.ok and created.created, created.text
    assert commented.ok, commented.text
    assert answers["due"].ok, answers["due"].text
    assert container.queries.show(JOKO, "LOG-1").ticket.due_at.year == 2028
