"""Periods, visibility and the small figures' arithmetic (no database)."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from config.teams import load_teams
from scheduler.weekly import last_week, parse_schedule
from tickets.errors import NotFound, PermissionDenied, ValidationError
from tickets.reports import Compliance, Satisfaction, make_period, parse_moment, parse_period, scope_for
from tickets.teams import Actor

NOW = datetime(2026, 11, 27, 10, 30, tzinfo=timezone.utc)
UTC = timezone.utc


def test_default_is_the_last_thirty_days():
    p = parse_period(None, NOW, "Asia/Jakarta")
    assert (p.since, p.until, p.label) == (NOW - timedelta(days=30), NOW, "30d")


@pytest.mark.parametrize("text, days", [("7d", 7), ("30d", 30), ("4w", 28), ("30hari", 30), ("2minggu", 14)])
def test_spans(text, days):
    p = parse_period(text, NOW)
    assert p.until == NOW and p.until - p.since == timedelta(days=days)


def test_a_month_is_the_team_time_month():
    p = parse_period("2026-11", NOW, "Asia/Jakarta")
    assert p.since == datetime(2026, 10, 31, 17, 0, tzinfo=UTC)
    assert p.until == datetime(2026, 11, 30, 17, 0, tzinfo=UTC)
    december = parse_period("2026-12", NOW, "UTC")
    assert december.until == datetime(2027, 1, 1, tzinfo=UTC)


def test_a_range_includes_its_last_day_and_follows_daylight_saving():
    p = parse_period("2026-03-07..2026-03-08", NOW, "America/New_York")  # clocks go forward on the 8th
    assert p.since == datetime(2026, 3, 7, 5, 0, tzinfo=UTC)
    assert p.until == datetime(2026, 3, 9, 4, 0, tzinfo=UTC)            # EDT by then
    assert p.days() == [date(2026, 3, 7), date(2026, 3, 8)]


@pytest.mark.parametrize("text", ["bogus", "0d", "9999d", "2026-13", "2026-11-30..2026-11-01", "2026-02-30..2026-03-01"])
def test_bad_periods_are_refused(text):
    with pytest.raises(ValidationError) as info:
        parse_period(text, NOW)
    assert info.value.key == "bad_period"


def test_since_and_until():
    assert parse_moment("2026-11-01", "Asia/Jakarta") == datetime(2026, 10, 31, 17, tzinfo=UTC)
    assert parse_moment("2026-11-01", "Asia/Jakarta", end=True) == datetime(2026, 11, 1, 17, tzinfo=UTC)
    assert parse_moment("2026-11-01T12:00:00Z", "Asia/Jakarta") == datetime(2026, 11, 1, 12, tzinfo=UTC)
    p = make_period(None, datetime(2026, 11, 2, tzinfo=UTC), NOW, "UTC")
    assert p.since == datetime(2026, 10, 3, tzinfo=UTC)
    with pytest.raises(ValidationError):
        make_period(NOW, NOW - timedelta(days=1), NOW, "UTC")
    with pytest.raises(ValidationError):
        parse_moment("yesterday", "UTC")


def test_who_sees_which_team():
    d = load_teams("tests/fixtures/teams.toml")
    sari, andi, joko, admin = (Actor(f"console:{n}") for n in ("sari", "andi", "joko", "admin"))
    assert scope_for(d, sari, None).teams == ("IT", "HR", "LOG")
    assert scope_for(d, sari, None).listed == ("IT", "LOG")                    # HR counted, not listed
    assert scope_for(d, andi, None).teams == ("IT",)
    assert scope_for(d, Actor("discord:999", frozenset({"discord-role:900"})), None).teams == ("IT",)
    assert scope_for(d, admin, "hr").listed == ("HR",)
    with pytest.raises(PermissionDenied):
        scope_for(d, joko, "IT")
    with pytest.raises(PermissionDenied):
        scope_for(d, andi, "IT", export=True)                                 # exports: supervisors only
    assert scope_for(d, sari, None, export=True).listed == ("IT", "LOG")
    assert scope_for(d, joko, None, export=False).tz == "Asia/Jakarta"
    with pytest.raises(NotFound):
        scope_for(d, admin, "XX")


def test_percentages():
    assert Compliance(3, 4).percent == 75.0 and Compliance().percent is None
    s = Satisfaction(count=3, total=10, resolutions=2)
    assert s.average == pytest.approx(10 / 3) and s.response_rate == 100.0
    assert Satisfaction().average is None and Satisfaction().response_rate is None


def test_weekly_schedule():
    assert parse_schedule("MON 09:00") == (0, datetime(2000, 1, 1, 9).time())
    assert parse_schedule("fri 17:30") == (4, datetime(2000, 1, 1, 17, 30).time())
    assert parse_schedule("08:15")[0] == 0
    for bad in ("noon", "XYZ 09:00", "MON 9"):
        with pytest.raises(ValueError):
            parse_schedule(bad)
    week = last_week(date(2026, 11, 30), "Asia/Jakarta")
    assert week.since == datetime(2026, 11, 22, 17, tzinfo=UTC) and week.until == datetime(2026, 11, 29, 17, tzinfo=UTC)
    assert week.label == "2026-11-23..2026-11-29"
