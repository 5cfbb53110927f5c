"""Durations and natural deadlines (tickets/dates.py) on the example calendars, with a fixed clock.

The example IT team works mon-fri 08:00-12:00,13:00-17:00 in Jakarta (UTC+7), with
Christmas (25 Dec, a public holiday) and 24 Dec 2026 (an extra holiday) off; LOG also
works Saturday mornings.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest

from config.teams import load_teams
from tickets.dates import Duration, DueSpec, parse_due, parse_duration
from tickets.errors import ValidationError
from tickets.workdays import deadline_after, split_left

UTC = timezone.utc
ROOT = Path(__file__).resolve().parents[2]
TEAMS = load_teams(ROOT / "teams.example.toml")
IT, LOG = TEAMS.teams["IT"].calendar, TEAMS.teams["LOG"].calendar
FRIDAY_AFTERNOON = datetime(2026, 12, 18, 8, 0, tzinfo=UTC)  # Fri 18 Dec 2026 15:00 in Jakarta
THURSDAY_MORNING = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)  # Thu 26 Nov 2026 10:00 in Jakarta
WEDNESDAY_EARLY = datetime(2026, 12, 2, 0, 0, tzinfo=UTC)    # Wed 2 Dec 2026 07:00, before opening


def local(text: str) -> datetime:
    """'2026-12-21 17:00' in Jakarta, as UTC."""
    return datetime.fromisoformat(text).replace(tzinfo=IT.tz).astimezone(UTC)


# -- durations: working days, business hours ---------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("30s", Duration(seconds=30)), ("15m", Duration(seconds=900)), ("4h", Duration(seconds=14400)),
    ("2d", Duration(days=2)), ("1w", Duration(days=5)), ("1d4h", Duration(1, 14400)),
    ("90m", Duration(seconds=5400)), ("1D 4H", Duration(1, 14400)),
    ("2hari", Duration(days=2)), ("3jam", Duration(seconds=10800)), ("15menit", Duration(seconds=900)),
    ("1minggu", Duration(days=5)), ("3 jam", Duration(seconds=10800)), ("10detik", Duration(seconds=10)),
    ("2 days 3 hours", Duration(2, 10800)), ("  45min ", Duration(seconds=2700)), ("2 pekan", Duration(days=10)),
])
def test_parse_duration(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "  ", "0m", "0d0h", "-2h", "2", "h", "2x", "2h-", "1.5h", "two hours",
                                  "2h later", "9999999w", "5000w", "١h", "2\u00a0h extra"])
def test_parse_duration_refusals(text):
    with pytest.raises(ValidationError) as info:
        parse_duration(text)
    assert (info.value.key, info.value.params) == ("bad_duration", {"value": text.strip()})


@pytest.mark.parametrize("text, start, expected", [
    # d = working days, ending at that day's close of business
    ("1d", THURSDAY_MORNING, "2026-11-27 17:00"),
    ("3d", THURSDAY_MORNING, "2026-12-01 17:00"),          # Fri, Mon, Tue
    ("3hari", FRIDAY_AFTERNOON, "2026-12-23 17:00"),        # Mon, Tue, Wed
    ("5d", FRIDAY_AFTERNOON, "2026-12-29 17:00"),           # 24 and 25 Dec are holidays
    ("1w", FRIDAY_AFTERNOON, "2026-12-29 17:00"),           # w = five working days
    ("1d", WEDNESDAY_EARLY, "2026-12-02 17:00"),            # before opening: today counts whole
    # h/m = business time
    ("4h", FRIDAY_AFTERNOON, "2026-12-21 10:00"),           # 2 h on Friday, 2 h on Monday
    ("4 jam", THURSDAY_MORNING, "2026-11-26 15:00"),        # lunch 12-13 does not count
    ("30m", THURSDAY_MORNING, "2026-11-26 10:30"),
    ("1d2h", THURSDAY_MORNING, "2026-11-30 10:00"),         # Fri close, then 2 business hours
])
def test_business_durations_on_the_it_calendar(text, start, expected):
    assert parse_duration(text).after(start, IT) == local(expected)


def test_days_on_a_saturday_calendar_and_without_one():
    # LOG works Saturday 08:00-12:00: one working day from Friday afternoon ends Saturday noon
    assert parse_duration("1d").after(FRIDAY_AFTERNOON, LOG) == local("2026-12-19 12:00")
    # no calendar (or 24/7): a day is 24 hours
    assert deadline_after(None, FRIDAY_AFTERNOON, 2, 60) == FRIDAY_AFTERNOON + timedelta(days=2, minutes=1)


# -- natural deadlines, English and Indonesian -------------------------------------------------

@pytest.mark.parametrize("text, now, expected", [
    # Friday afternoon: "tomorrow" is Saturday, which IT does not work: the next working day's close
    ("besok", FRIDAY_AFTERNOON, "2026-12-21 17:00"),
    ("tomorrow", FRIDAY_AFTERNOON, "2026-12-21 17:00"),
    ("lusa", FRIDAY_AFTERNOON, "2026-12-21 17:00"),
    ("besok", THURSDAY_MORNING, "2026-11-27 17:00"),
    ("lusa", THURSDAY_MORNING, "2026-11-30 17:00"),           # Saturday -> Monday
    ("besok jam 10", THURSDAY_MORNING, "2026-11-27 10:00"),
    ("tomorrow at 14:30", THURSDAY_MORNING, "2026-11-27 14:30"),
    ("hari ini", THURSDAY_MORNING, "2026-11-26 17:00"),
    ("today", THURSDAY_MORNING, "2026-11-26 17:00"),
    # weekday names: the next one (today, while its close is still ahead)
    ("jumat", THURSDAY_MORNING, "2026-11-27 17:00"),
    ("Friday", THURSDAY_MORNING, "2026-11-27 17:00"),
    ("jumat", FRIDAY_AFTERNOON, "2026-12-18 17:00"),
    ("senin 10:00", FRIDAY_AFTERNOON, "2026-12-21 10:00"),
    ("monday 10:00", FRIDAY_AFTERNOON, "2026-12-21 10:00"),
    ("kamis", THURSDAY_MORNING, "2026-11-26 17:00"),
    ("thursday 09:00", THURSDAY_MORNING, "2026-12-03 09:00"),  # 09:00 today has passed
    ("hari rabu", THURSDAY_MORNING, "2026-12-02 17:00"),
    # dates; a holiday moves to the next working day's close
    ("17/12", THURSDAY_MORNING, "2026-12-17 17:00"),
    ("17 Des", THURSDAY_MORNING, "2026-12-17 17:00"),
    ("17 Dec", THURSDAY_MORNING, "2026-12-17 17:00"),
    ("17 desember 2026 10:00", THURSDAY_MORNING, "2026-12-17 10:00"),
    ("24/12", THURSDAY_MORNING, "2026-12-28 17:00"),           # 24 and 25 Dec off, then the weekend
    ("25 Des", THURSDAY_MORNING, "2026-12-28 17:00"),
    ("2026-12-01", THURSDAY_MORNING, "2026-12-01 17:00"),
    ("01-12-2026 pukul 14.00", THURSDAY_MORNING, "2026-12-01 14:00"),
    ("1/11", THURSDAY_MORNING, "2027-11-01 17:00"),             # past this year: next year
    # the end of the week: its last working day's close
    ("akhir minggu", THURSDAY_MORNING, "2026-11-27 17:00"),
    ("end of week", FRIDAY_AFTERNOON, "2026-12-18 17:00"),
    # after Friday's close: next week, where 24 and 25 Dec are off, so it ends on Wednesday
    ("akhir pekan", datetime(2026, 12, 18, 11, 0, tzinfo=UTC), "2026-12-23 17:00"),
    # durations
    ("3d", THURSDAY_MORNING, "2026-12-01 17:00"),
    ("2 jam", THURSDAY_MORNING, "2026-11-26 12:00"),
    ("14:00", THURSDAY_MORNING, "2026-11-26 14:00"),
])
def test_natural_deadlines_on_the_it_calendar(text, now, expected):
    assert parse_due(text).resolve(now, IT) == local(expected)


def test_end_of_week_on_a_saturday_calendar():
    assert parse_due("end of week").resolve(THURSDAY_MORNING, LOG) == local("2026-11-28 12:00")


@pytest.mark.parametrize("text", ["someday", "next blue moon", "32/12", "17 Foo", "jumat senin", "besok lusa",
                                  "2026-13-01", "24:00", "14:60", "at", "2026-12-01 14:00 extra", "12-2026", ""])
def test_unreadable_dates_say_so(text):
    with pytest.raises(ValidationError) as info:
        parse_due(text)
    assert (info.value.key, info.value.params) == ("bad_date", {"value": text})


@pytest.mark.parametrize("text", ["2026-11-01", "26-11-2026 09:00", "2026-11-26 09:59"])
def test_past_deadlines_are_refused_as_past(text):
    with pytest.raises(ValidationError) as info:
        parse_due(text).resolve(THURSDAY_MORNING, IT)
    assert (info.value.key, info.value.params) == ("bad_deadline", {"value": text})


def test_zone_name_alone_means_always_open():
    assert parse_due("2026-12-01").resolve(THURSDAY_MORNING, "UTC") == datetime(2026, 12, 1, 17, 0, tzinfo=UTC)
    assert parse_due("2d").resolve(THURSDAY_MORNING, "Asia/Jakarta") == THURSDAY_MORNING + timedelta(days=2)
    naive = THURSDAY_MORNING.replace(tzinfo=None)
    assert parse_due("14:00").resolve(naive, "Asia/Jakarta") == local("2026-11-26 14:00")


def test_refusals_of_specs_that_cannot_be():
    for spec in (DueSpec(), DueSpec(duration=Duration(seconds=3600), date=date(2026, 12, 1))):
        with pytest.raises(ValidationError) as info:
            spec.resolve(THURSDAY_MORNING, IT)
        assert info.value.key == "bad_deadline"
    with pytest.raises(ValidationError) as info:  # 23:00 on the last day there is, west of UTC
        DueSpec(date=date(9999, 12, 31), time=time(23, 0)).resolve(THURSDAY_MORNING, "America/New_York")
    assert info.value.params == {"value": "9999-12-31 23:00"}


def test_describe():
    assert Duration(1, 4 * 3600 + 1800).describe() == "1d4h30m"
    assert DueSpec(date=date(2026, 12, 1), time=time(14, 0)).describe() == "2026-12-01 14:00"
    assert parse_due("senin 10:00").describe() == "senin 10:00"


# -- the time left, split into working days and hours ------------------------------------------

@pytest.mark.parametrize("now, due, expected", [
    (THURSDAY_MORNING, "2026-11-26 15:00", (0, 4 * 3600)),
    (THURSDAY_MORNING, "2026-11-27 17:00", (1, 6 * 3600)),   # rest of Thursday + all of Friday
    (THURSDAY_MORNING, "2026-12-01 17:00", (3, 6 * 3600)),
    (THURSDAY_MORNING, "2026-11-30 10:00", (1, 8 * 3600)),   # Fri whole; 6 h Thursday + 2 h Monday
    (WEDNESDAY_EARLY, "2026-12-03 17:00", (2, 0)),
    (FRIDAY_AFTERNOON, "2026-12-29 17:00", (5, 2 * 3600)),   # holidays are not working days
])
def test_split_left(now, due, expected):
    assert split_left(IT, now, local(due)) == expected


def test_a_deadline_and_its_time_left_agree():
    """What a target of N working days sets is shown back as N working days (plus today's rest)."""
    due = parse_duration("3d").after(WEDNESDAY_EARLY, IT)
    assert split_left(IT, WEDNESDAY_EARLY, due) == (3, 0)
    assert split_left(None, FRIDAY_AFTERNOON, FRIDAY_AFTERNOON + timedelta(days=2, hours=3)) == (2, 3 * 3600)
    assert split_left(IT, due, WEDNESDAY_EARLY) == (0, 0)
