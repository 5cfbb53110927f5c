"""Tests for tickets.calendar (business-hours SLA arithmetic).

Every expected value below was worked out by hand; the comments show the
local wall-clock reasoning.  Asia/Jakarta is UTC+7 with no DST.  Europe/Berlin
springs forward on Sun 2026-03-29 (02:00 CET -> 03:00 CEST, at 01:00Z) and
falls back on Sun 2026-10-25 (03:00 CEST -> 02:00 CET, at 01:00Z).
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from tickets.calendar import BusinessCalendar, Span, is_24_7, parse_hours

UTC = timezone.utc
JKT = ZoneInfo("Asia/Jakarta")
BER = ZoneInfo("Europe/Berlin")
H = timedelta(hours=1)
M = timedelta(minutes=1)


def utc(y, mo, d, h=0, mi=0):
    return datetime(y, mo, d, h, mi, tzinfo=UTC)


def jkt(y, mo, d, h=0, mi=0):
    return datetime(y, mo, d, h, mi, tzinfo=JKT)


def ber(y, mo, d, h=0, mi=0):
    return datetime(y, mo, d, h, mi, tzinfo=BER)


def independence_day(year: int) -> frozenset[date]:
    return frozenset({date(2026, 8, 17)}) if year == 2026 else frozenset()


def jakarta(hours=None, **kw) -> BusinessCalendar:
    return BusinessCalendar("Asia/Jakarta", hours=hours, **kw)


def berlin(spec) -> BusinessCalendar:
    return BusinessCalendar("Europe/Berlin", hours=parse_hours(spec))


# --------------------------------------------------------------------------- basics


def test_default_hours_are_mon_to_fri_8_to_17():
    cal = BusinessCalendar()
    assert cal.hours == {d: (Span(time(8), time(17)),) for d in range(5)}
    assert cal.is_working_day(date(2026, 3, 6))  # Friday
    assert not cal.is_working_day(date(2026, 3, 7))  # Saturday
    assert cal.is_open(utc(2026, 3, 6, 8))
    assert not cal.is_open(utc(2026, 3, 6, 7, 59))


def test_weekend_is_skipped():
    cal = jakarta()
    # Fri 16:00 WIB: one hour left on Friday, the second hour is Mon 08:00-09:00.
    result = cal.add(jkt(2026, 3, 6, 16), 2 * H)
    assert result == jkt(2026, 3, 9, 9)
    assert result == utc(2026, 3, 9, 2)
    assert result.tzinfo is UTC
    assert cal.between(jkt(2026, 3, 6, 16), jkt(2026, 3, 9, 9)) == 2 * H
    assert cal.between(jkt(2026, 3, 7), jkt(2026, 3, 9)) == timedelta(0)  # Sat+Sun


def test_indonesian_independence_day_is_skipped():
    cal = jakarta(holidays=independence_day)
    assert cal.is_holiday(date(2026, 8, 17))
    assert not cal.is_working_day(date(2026, 8, 17))  # a Monday, but a holiday
    assert cal.is_working_day(date(2026, 8, 18))
    assert not cal.is_holiday(date(2025, 8, 17))
    # Fri 14 Aug 16:00 + 2h: 1h on Friday, Mon 17 is a holiday, 1h on Tue 18.
    assert cal.add(jkt(2026, 8, 14, 16), 2 * H) == jkt(2026, 8, 18, 9)
    assert cal.between(jkt(2026, 8, 14, 16), jkt(2026, 8, 18, 9)) == 2 * H
    assert not cal.is_open(jkt(2026, 8, 17, 10))
    assert cal.next_open(jkt(2026, 8, 17, 10)) == jkt(2026, 8, 18, 8)
    # Without the holiday the same SLA ends on Monday.
    assert jakarta().add(jkt(2026, 8, 14, 16), 2 * H) == jkt(2026, 8, 17, 9)


def test_holiday_inside_a_multi_day_duration():
    cal = jakarta(holidays=independence_day)
    # Mon 10 Aug 08:00 + 54h: Mon-Fri 10-14 Aug give 45h (ending Fri 17:00),
    # Mon 17 is a holiday, the remaining 9h fill Tue 18 08:00-17:00.
    assert cal.add(jkt(2026, 8, 10, 8), 54 * H) == jkt(2026, 8, 18, 17)


def test_extra_holidays_and_provider_combined():
    cal = jakarta(holidays=independence_day, extra_holidays=frozenset({date(2026, 8, 18)}))
    assert cal.is_holiday(date(2026, 8, 17)) and cal.is_holiday(date(2026, 8, 18))
    # Fri 16:00 + 2h: Fri 1h, Mon+Tue off, Wed 19 08:00-09:00.
    assert cal.add(jkt(2026, 8, 14, 16), 2 * H) == jkt(2026, 8, 19, 9)


def test_holiday_provider_is_called_once_per_year():
    calls: list[int] = []

    def provider(year: int) -> frozenset[date]:
        calls.append(year)
        return independence_day(year)

    cal = jakarta(holidays=provider)
    cal.add(jkt(2026, 1, 5, 8), 900 * H)  # ~100 working days, all in 2026
    cal.between(jkt(2026, 1, 5), jkt(2026, 12, 31))
    assert calls == [2026]


def test_lunch_break():
    cal = jakarta(parse_hours("mon-fri 08:00-12:00,13:00-17:00"))
    # Mon 9 Mar 11:00 + 2h: 11:00-12:00, lunch, 13:00-14:00.
    assert cal.add(jkt(2026, 3, 9, 11), 2 * H) == jkt(2026, 3, 9, 14)
    assert cal.add(jkt(2026, 3, 9, 8), 8 * H) == jkt(2026, 3, 9, 17)
    assert cal.add(jkt(2026, 3, 9, 12, 30), 30 * M) == jkt(2026, 3, 9, 13, 30)
    # Running out exactly at the start of lunch returns 12:00, not 13:00.
    assert cal.add(jkt(2026, 3, 9, 11), H) == jkt(2026, 3, 9, 12)
    assert cal.between(jkt(2026, 3, 9, 11, 30), jkt(2026, 3, 9, 13, 30)) == H
    assert cal.between(jkt(2026, 3, 9, 12), jkt(2026, 3, 9, 13)) == timedelta(0)
    assert not cal.is_open(jkt(2026, 3, 9, 12, 30))
    assert cal.is_open(jkt(2026, 3, 9, 13))
    assert cal.next_open(jkt(2026, 3, 9, 12, 30)) == jkt(2026, 3, 9, 13)
    assert list(cal.open_intervals(jkt(2026, 3, 9), jkt(2026, 3, 10))) == [
        (utc(2026, 3, 9, 1), utc(2026, 3, 9, 5)),
        (utc(2026, 3, 9, 6), utc(2026, 3, 9, 10)),
    ]


def test_span_across_midnight():
    cal = jakarta(parse_hours("mon-fri 22:00-06:00"))
    # Mon 23:00 + 2h -> Tue 01:00 (same night shift).
    assert cal.add(jkt(2026, 3, 9, 23), 2 * H) == jkt(2026, 3, 10, 1)
    # Friday's shift runs until Sat 06:00; then nothing until Mon 22:00.
    assert cal.is_open(jkt(2026, 3, 14, 3))
    assert not cal.is_open(jkt(2026, 3, 14, 22))
    assert not cal.is_open(jkt(2026, 3, 15, 23))  # Sunday night: no Sunday span
    assert not cal.is_open(jkt(2026, 3, 16, 3))  # early Monday: still Sunday's (absent) shift
    assert cal.add(jkt(2026, 3, 14, 5), 2 * H) == jkt(2026, 3, 16, 23)
    assert cal.between(jkt(2026, 3, 9, 12), jkt(2026, 3, 10, 12)) == 8 * H


def test_holiday_closes_the_whole_overnight_span_that_starts_on_it():
    cal = jakarta(parse_hours("mon-fri 22:00-06:00"), extra_holidays=frozenset({date(2026, 3, 13)}))
    assert cal.is_open(jkt(2026, 3, 13, 3))  # Thursday's shift, runs into the holiday
    assert not cal.is_open(jkt(2026, 3, 13, 23))  # Friday's shift is off ...
    assert not cal.is_open(jkt(2026, 3, 14, 3))  # ... including its part after midnight
    # Thu 22:00 .. Mon 06:00 only contains Thursday's 8h shift.
    assert cal.between(jkt(2026, 3, 12, 22), jkt(2026, 3, 16, 6)) == 8 * H
    assert jakarta(parse_hours("mon-fri 22:00-06:00")).between(
        jkt(2026, 3, 12, 22), jkt(2026, 3, 16, 6)
    ) == 16 * H


# --------------------------------------------------------------------------- DST


def test_berlin_spring_forward_with_office_hours_every_day():
    cal = berlin("mon-sun 08:00-17:00")
    # Sat 28 Mar 16:00 CET (15:00Z) + 2h: until 17:00 CET (16:00Z),
    # then Sun 29 Mar 08:00 CEST (06:00Z) + 1h = 07:00Z.
    assert cal.add(ber(2026, 3, 28, 16), 2 * H) == utc(2026, 3, 29, 7)
    assert cal.add(ber(2026, 3, 28, 16), 2 * H) == ber(2026, 3, 29, 9)
    # The DST day still has 9 real working hours, 06:00Z-15:00Z.
    assert list(cal.open_intervals(utc(2026, 3, 29), utc(2026, 3, 30))) == [
        (utc(2026, 3, 29, 6), utc(2026, 3, 29, 15))
    ]
    assert cal.between(utc(2026, 3, 29), utc(2026, 3, 30)) == 9 * H


def test_berlin_fall_back_with_office_hours_every_day():
    cal = berlin("mon-sun 08:00-17:00")
    # Sat 24 Oct 16:00 CEST (14:00Z) + 2h: until 17:00 CEST (15:00Z),
    # then Sun 25 Oct 08:00 CET (07:00Z) + 1h = 08:00Z.
    assert cal.add(ber(2026, 10, 24, 16), 2 * H) == utc(2026, 10, 25, 8)
    assert list(cal.open_intervals(utc(2026, 10, 25), utc(2026, 10, 26))) == [
        (utc(2026, 10, 25, 7), utc(2026, 10, 25, 16))
    ]
    assert cal.between(utc(2026, 10, 25), utc(2026, 10, 26)) == 9 * H


def test_berlin_weekend_containing_the_dst_change():
    cal = BusinessCalendar("Europe/Berlin")  # Mon-Fri 08:00-17:00
    # Fri 27 Mar 16:00 CET = 15:00Z; Mon 30 Mar 09:00 CEST = 07:00Z.
    assert cal.add(ber(2026, 3, 27, 16), 2 * H) == utc(2026, 3, 30, 7)
    # Fri 23 Oct 16:00 CEST = 14:00Z; Mon 26 Oct 09:00 CET = 08:00Z.
    assert cal.add(ber(2026, 10, 23, 16), 2 * H) == utc(2026, 10, 26, 8)
    assert cal.between(utc(2026, 10, 23, 14), utc(2026, 10, 26, 8)) == 2 * H


def test_spans_over_the_change_hour_count_real_time():
    cal = berlin("sun 01:00-04:00")
    # Spring: 01:00 CET = 00:00Z, 04:00 CEST = 02:00Z -> 2 real hours.
    assert list(cal.open_intervals(utc(2026, 3, 28), utc(2026, 3, 31))) == [
        (utc(2026, 3, 29, 0), utc(2026, 3, 29, 2))
    ]
    # Fall: 01:00 CEST = 23:00Z (Sat), 04:00 CET = 03:00Z -> 4 real hours.
    assert list(cal.open_intervals(utc(2026, 10, 24), utc(2026, 10, 27))) == [
        (utc(2026, 10, 24, 23), utc(2026, 10, 25, 3))
    ]
    assert cal.add(utc(2026, 10, 24, 23), 4 * H) == utc(2026, 10, 25, 3)


def test_nonexistent_and_ambiguous_local_times():
    cal = berlin("sun 02:30-05:00")
    # 02:30 does not exist on 29 Mar: it maps forward to the jump, 03:00 CEST = 01:00Z.
    assert list(cal.open_intervals(utc(2026, 3, 28), utc(2026, 3, 31))) == [
        (utc(2026, 3, 29, 1), utc(2026, 3, 29, 3))
    ]
    # 02:30 happens twice on 25 Oct: fold=0 is the first (CEST) one, 00:30Z;
    # 05:00 CET = 04:00Z.
    assert list(cal.open_intervals(utc(2026, 10, 24), utc(2026, 10, 27))) == [
        (utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 4))
    ]


def test_overnight_span_across_the_change():
    cal = berlin("sat 22:00-06:00")
    # Sat 22:00 CET (21:00Z) .. Sun 06:00 CEST (04:00Z) = 7h.
    assert cal.between(utc(2026, 3, 28), utc(2026, 3, 30)) == 7 * H
    # Sat 22:00 CEST (20:00Z) .. Sun 06:00 CET (05:00Z) = 9h.
    assert cal.between(utc(2026, 10, 24), utc(2026, 10, 26)) == 9 * H
    assert cal.add(utc(2026, 10, 24, 20), 9 * H) == utc(2026, 10, 25, 5)


def test_round_the_clock_hours_are_continuous_across_midnight_and_dst():
    cal = berlin("mon-sun 00:00-24:00")
    assert list(cal.open_intervals(utc(2026, 3, 27), utc(2026, 3, 31))) == [
        (utc(2026, 3, 27), utc(2026, 3, 31))
    ]
    assert list(cal.open_intervals(utc(2026, 10, 23), utc(2026, 10, 27))) == [
        (utc(2026, 10, 23), utc(2026, 10, 27))
    ]
    assert cal.between(utc(2026, 3, 27), utc(2026, 3, 31)) == 96 * H
    assert cal.between(utc(2026, 10, 24), utc(2026, 10, 27)) == 72 * H
    # Local midnights (23:00Z before spring day, 22:00Z before fall day, 23:00Z after it)
    # and the change instants are all open.
    for moment in (
        utc(2026, 3, 28, 23), utc(2026, 3, 29, 1), utc(2026, 3, 29, 22),
        utc(2026, 10, 24, 22), utc(2026, 10, 25, 1), utc(2026, 10, 25, 23),
    ):
        assert cal.is_open(moment), moment
        assert cal.next_open(moment) == moment
    assert cal.add(utc(2026, 3, 28, 22, 30), H) == utc(2026, 3, 28, 23, 30)  # over local midnight
    assert cal.add(utc(2026, 3, 29, 0, 30), H) == utc(2026, 3, 29, 1, 30)  # 01:30 CET -> 03:30 CEST
    assert cal.add(utc(2026, 10, 24, 21, 30), 5 * H) == utc(2026, 10, 25, 2, 30)


def test_round_the_clock_day_lengths_on_dst_days():
    cal = berlin("sun 00:00-24:00")
    # Spring-forward Sunday: 00:00 CET (Sat 23:00Z) .. Mon 00:00 CEST (22:00Z) = 23h.
    assert list(cal.open_intervals(utc(2026, 3, 28), utc(2026, 3, 31))) == [
        (utc(2026, 3, 28, 23), utc(2026, 3, 29, 22))
    ]
    assert cal.between(utc(2026, 3, 28), utc(2026, 3, 31)) == 23 * H
    # Fall-back Sunday: 00:00 CEST (Sat 22:00Z) .. Mon 00:00 CET (23:00Z) = 25h.
    assert list(cal.open_intervals(utc(2026, 10, 24), utc(2026, 10, 27))) == [
        (utc(2026, 10, 24, 22), utc(2026, 10, 25, 23))
    ]
    assert cal.between(utc(2026, 10, 24), utc(2026, 10, 27)) == 25 * H


def test_adjacent_overnight_and_day_spans_are_continuous():
    spans = (Span(time(22), time(6)), Span(time(6), time(22)))
    cal = BusinessCalendar("Europe/Berlin", hours={d: spans for d in range(7)})
    assert list(cal.open_intervals(utc(2026, 10, 20), utc(2026, 10, 30))) == [
        (utc(2026, 10, 20), utc(2026, 10, 30))
    ]
    assert cal.between(utc(2026, 3, 27), utc(2026, 3, 31)) == 96 * H
    assert cal.is_open(ber(2026, 3, 30, 6))  # the 06:00 seam


def test_midnight_that_does_not_exist():
    # Chile springs forward at local midnight: Sun 6 Sep 2026 00:00 -04 -> 01:00 -03 (04:00Z).
    both = BusinessCalendar("America/Santiago", hours=parse_hours("sat,sun 00:00-24:00"))
    assert list(both.open_intervals(utc(2026, 9, 1), utc(2026, 9, 10))) == [
        (utc(2026, 9, 5, 4), utc(2026, 9, 7, 3))
    ]
    sunday = BusinessCalendar("America/Santiago", hours=parse_hours("sun 00:00-24:00"))
    assert sunday.between(utc(2026, 9, 1), utc(2026, 9, 10)) == 23 * H


# --------------------------------------------------------------------------- 24/7


def test_always_open_is_plain_utc_time():
    cal = BusinessCalendar.twenty_four_seven("Asia/Jakarta")
    assert cal.always_open
    assert cal.add(utc(2026, 3, 6, 9), timedelta(days=3, hours=5)) == utc(2026, 3, 9, 14)
    assert cal.between(utc(2026, 3, 6, 9), utc(2026, 3, 9, 14)) == timedelta(days=3, hours=5)
    assert cal.between(utc(2026, 3, 9), utc(2026, 3, 6)) == timedelta(0)
    assert cal.is_open(utc(2026, 3, 8, 3))
    assert cal.next_open(jkt(2026, 3, 8, 3)) == jkt(2026, 3, 8, 3)
    assert list(cal.open_intervals(utc(2026, 3, 8), utc(2026, 3, 9))) == [(utc(2026, 3, 8), utc(2026, 3, 9))]


def test_always_open_ignores_holidays_and_dst():
    cal = BusinessCalendar("Asia/Jakarta", holidays=independence_day, always_open=True)
    assert cal.add(utc(2026, 8, 16, 20), 10 * H) == utc(2026, 8, 17, 6)
    assert cal.is_working_day(date(2026, 8, 17))
    berlin_247 = BusinessCalendar.twenty_four_seven("Europe/Berlin")
    assert berlin_247.between(utc(2026, 3, 28), utc(2026, 3, 30)) == 48 * H


def test_from_spec():
    assert BusinessCalendar.from_spec("24/7", tz="Asia/Jakarta").always_open
    cal = BusinessCalendar.from_spec("mon-fri 09:00-18:00", tz="Asia/Jakarta", holidays=independence_day)
    assert not cal.always_open
    assert cal.add(jkt(2026, 8, 14, 17), 2 * H) == jkt(2026, 8, 18, 10)


# --------------------------------------------------------------------------- edges


def test_start_inside_closed_time():
    cal = jakarta()
    assert cal.add(jkt(2026, 3, 7, 10), H) == jkt(2026, 3, 9, 9)  # Saturday
    assert cal.add(jkt(2026, 3, 10, 6), H) == jkt(2026, 3, 10, 9)  # before opening
    assert cal.add(jkt(2026, 3, 10, 20), H) == jkt(2026, 3, 11, 9)  # after closing
    assert cal.next_open(jkt(2026, 3, 7, 10)) == jkt(2026, 3, 9, 8)
    assert cal.next_open(jkt(2026, 3, 10, 10, 15)) == jkt(2026, 3, 10, 10, 15)
    assert cal.between(jkt(2026, 3, 7, 10), jkt(2026, 3, 9, 9)) == H


def test_start_exactly_at_span_end():
    cal = jakarta()
    assert not cal.is_open(jkt(2026, 3, 6, 17))
    assert cal.is_open(jkt(2026, 3, 6, 8))
    assert cal.add(jkt(2026, 3, 6, 17), H) == jkt(2026, 3, 9, 9)
    assert cal.add(jkt(2026, 3, 6, 16), H) == jkt(2026, 3, 6, 17)  # ends at span end
    assert cal.next_open(jkt(2026, 3, 6, 17)) == jkt(2026, 3, 9, 8)
    assert cal.between(jkt(2026, 3, 6, 17), jkt(2026, 3, 9, 8)) == timedelta(0)


def test_zero_duration_returns_start_even_when_closed():
    cal = jakarta()
    result = cal.add(jkt(2026, 3, 7, 10), timedelta(0))
    assert result == jkt(2026, 3, 7, 10)
    assert result.tzinfo is UTC


def test_invalid_arguments():
    cal = jakarta()
    with pytest.raises(ValueError, match="timezone-aware"):
        cal.add(datetime(2026, 3, 6, 10), H)
    with pytest.raises(ValueError, match="timezone-aware"):
        cal.between(utc(2026, 3, 6), datetime(2026, 3, 7))
    with pytest.raises(ValueError, match="timezone-aware"):
        cal.open_intervals(datetime(2026, 3, 6), utc(2026, 3, 7))  # checked eagerly
    with pytest.raises(ValueError, match="negative"):
        cal.add(utc(2026, 3, 6), -H)
    with pytest.raises(ValueError, match="Mars/Olympus"):
        BusinessCalendar("Mars/Olympus")
    with pytest.raises(ValueError, match="weekday"):
        BusinessCalendar(hours={7: (Span(time(8), time(9)),)})
    with pytest.raises(TypeError):
        Span("08:00", "17:00")  # type: ignore[arg-type]


def test_long_duration_steps_by_days():
    cal = jakarta()
    # 2000h = 222 full 9h days + 2h. From Mon 5 Jan 08:00: 44 weeks (220 days) end
    # Fri 6 Nov; Mon 9 + Tue 10 Nov complete 222 days; +2h -> Wed 11 Nov 10:00.
    assert cal.add(jkt(2026, 1, 5, 8), 2000 * H) == jkt(2026, 11, 11, 10)
    assert cal.between(jkt(2026, 1, 5, 8), jkt(2026, 11, 11, 10)) == 2000 * H


def test_calendar_without_spans_raises():
    cal = BusinessCalendar("Asia/Jakarta", hours={})
    with pytest.raises(ValueError, match="no working spans"):
        cal.add(utc(2026, 3, 6), H)
    with pytest.raises(ValueError, match="no working spans"):
        cal.next_open(utc(2026, 3, 6))
    assert cal.add(utc(2026, 3, 6), timedelta(0)) == utc(2026, 3, 6)
    assert cal.between(utc(2026, 3, 6), utc(2026, 4, 6)) == timedelta(0)
    assert list(cal.open_intervals(utc(2026, 3, 6), utc(2026, 4, 6))) == []
    assert not cal.is_open(utc(2026, 3, 6, 3))


def test_calendar_where_every_day_is_a_holiday_raises_after_scanning():
    def every_day(year: int) -> frozenset[date]:
        first = date(year, 1, 1)
        return frozenset(first + timedelta(days=i) for i in range((date(year + 1, 1, 1) - first).days))

    cal = jakarta(holidays=every_day)
    with pytest.raises(ValueError, match="every working day is a holiday"):
        cal.add(utc(2026, 3, 6), H)


# --------------------------------------------------------------------------- parse_hours


def test_parse_hours_string():
    hours = parse_hours("mon-fri 08:00-12:00,13:00-17:00; sat 08:00-12:00")
    week = (Span(time(8), time(12)), Span(time(13), time(17)))
    assert hours == {0: week, 1: week, 2: week, 3: week, 4: week, 5: (Span(time(8), time(12)),)}


def test_parse_hours_dict_and_indonesian_names():
    hours = parse_hours({"sen": "08:00-12:00, 13:00-17:00", "sab": "08.00 - 12.00", "min": "tutup"})
    assert hours == {
        0: (Span(time(8), time(12)), Span(time(13), time(17))),
        5: (Span(time(8), time(12)),),
    }
    assert parse_hours("sen-jum 08:00-16:00") == parse_hours("mon-fri 08:00-16:00")
    assert parse_hours("Senin, Rabu 08:00-16:00") == {0: (Span(time(8), time(16)),), 2: (Span(time(8), time(16)),)}
    assert parse_hours({0: ["08:00-09:00", "10:00-11:00"]}) == {
        0: (Span(time(8), time(9)), Span(time(10), time(11)))
    }


def test_parse_hours_overnight_24_00_and_wrapping_ranges():
    assert parse_hours("mon-sun 00:00-24:00") == {d: (Span(time(0), time(0)),) for d in range(7)}
    assert parse_hours("fri-mon 22:00-06:00") == {d: (Span(time(22), time(6)),) for d in (4, 5, 6, 0)}
    assert parse_hours("sat 18:00-24:00") == {5: (Span(time(18), time(0)),)}
    assert str(Span(time(18), time(0))) == "18:00-24:00"
    # Repeated days merge their spans.
    assert parse_hours("mon-fri 08:00-12:00; fri 13:00-15:00")[4] == (
        Span(time(8), time(12)), Span(time(13), time(15)),
    )


def test_24_7_marker():
    assert is_24_7("24/7") and is_24_7(" 24 / 7 ") and is_24_7("24x7")
    assert not is_24_7("mon-sun 00:00-24:00")
    assert not is_24_7({"mon": "24/7"})
    assert not is_24_7(None)
    assert parse_hours("24/7") == {}


@pytest.mark.parametrize(
    ("spec", "fragment"),
    [
        ("", "empty"),
        ("xyz 08:00-17:00", "'xyz'"),
        ("mon-frx 08:00-17:00", "'frx'"),
        ("mon 8-17", "'8'"),
        ("mon 08:00", "'08:00'"),
        ("mon 08:00-17:60", "'17:60'"),
        ("mon 25:00-26:00", "'25:00'"),
        ("mon 24:00-06:00", "24:00 can only end a span"),
        ("mon 08:00-08:00", "zero length"),
        ("mon 08:00-12:00,11:00-13:00", "08:00-12:00 and 11:00-13:00"),
        ("mon-fri", "'mon-fri'"),
        ("08:00-17:00", "missing day names"),
        ("mon 08:00-17:00; mon closed", "mon"),
        ("sun closed", "no working time"),
        ({"mon": 8}, "'mon'"),
        ({"blursday": "08:00-17:00"}, "'blursday'"),
        ({9: "08:00-17:00"}, "9"),
        ({}, "empty"),
        (42, "string or a dict"),
    ],
)
def test_parse_hours_rejects_bad_input(spec, fragment):
    with pytest.raises(ValueError) as info:
        parse_hours(spec)
    assert fragment in str(info.value)


# --------------------------------------------------------------------------- between/add inverse


@pytest.mark.parametrize(
    ("cal", "start", "duration", "expected"),
    [
        (jakarta(), jkt(2026, 3, 6, 16), 2 * H, jkt(2026, 3, 9, 9)),
        (jakarta(), jkt(2026, 3, 9, 8), 9 * H, jkt(2026, 3, 9, 17)),
        (jakarta(), jkt(2026, 3, 9, 8), 10 * H, jkt(2026, 3, 10, 9)),
        (jakarta(holidays=independence_day), jkt(2026, 8, 14, 16), 2 * H, jkt(2026, 8, 18, 9)),
        (jakarta(parse_hours("mon-fri 08:00-12:00,13:00-17:00")), jkt(2026, 3, 9, 11, 45), 30 * M, jkt(2026, 3, 9, 13, 15)),
        (berlin("mon-sun 08:00-17:00"), ber(2026, 3, 28, 16), 2 * H, utc(2026, 3, 29, 7)),
        (berlin("mon-sun 00:00-24:00"), utc(2026, 10, 24, 12), 30 * H, utc(2026, 10, 25, 18)),
    ],
)
def test_between_is_inverse_of_add(cal, start, duration, expected):
    assert cal.add(start, duration) == expected
    assert cal.between(start, expected) == duration


# --------------------------------------------------------------------------- property-style loops


def _calendars():
    return [
        jakarta(holidays=independence_day),
        jakarta(parse_hours("mon-fri 08:00-12:00,13:00-17:00; sat 08:00-12:00")),
        jakarta(parse_hours("mon-fri 22:00-06:00"), extra_holidays=frozenset({date(2026, 3, 13)})),
        berlin("mon-sun 08:00-17:00"),
        berlin("mon-sun 00:00-24:00"),
        berlin("sat-sun 22:00-06:00, 01:00-04:00; mon-fri 07:30-16:15"),
        BusinessCalendar("America/Santiago", hours=parse_hours("mon-sun 00:00-24:00")),
        BusinessCalendar.twenty_four_seven("Europe/Berlin"),
    ]


def _random_start(rng: random.Random) -> datetime:
    # Whole minutes across 2026, biased towards the Berlin/Chile DST weeks.
    anchor = rng.choice([utc(2026, 1, 1), utc(2026, 3, 26), utc(2026, 9, 3), utc(2026, 10, 22)])
    span_minutes = 365 * 24 * 60 if anchor.month == 1 else 7 * 24 * 60
    return anchor + rng.randrange(span_minutes) * M


@pytest.mark.parametrize("index", range(len(_calendars())))
def test_property_between_of_add_is_duration(index):
    cal = _calendars()[index]
    rng = random.Random(1000 + index)
    for _ in range(150):
        start = _random_start(rng)
        duration = rng.randrange(0, 80 * 60) * M
        end = cal.add(start, duration)
        assert end >= start
        assert cal.between(start, end) == duration, (start, duration, end)
        if duration:
            assert cal.is_open(end - timedelta(microseconds=1))


@pytest.mark.parametrize("index", range(len(_calendars())))
def test_property_add_is_additive_and_monotonic(index):
    cal = _calendars()[index]
    rng = random.Random(2000 + index)
    for _ in range(100):
        start = _random_start(rng)
        d1 = rng.randrange(1, 30 * 60) * M
        d2 = rng.randrange(1, 30 * 60) * M
        middle = cal.add(start, d1)
        assert cal.add(middle, d2) == cal.add(start, d1 + d2)
        assert cal.add(start, d1) <= cal.add(start, d1 + M)


@pytest.mark.parametrize("index", range(len(_calendars())))
def test_property_between_is_additive_and_matches_is_open(index):
    cal = _calendars()[index]
    rng = random.Random(3000 + index)
    for _ in range(100):
        a = _random_start(rng)
        b = a + rng.randrange(0, 5 * 24 * 60) * M
        m = a + (b - a) * rng.random()
        assert cal.between(a, m) + cal.between(m, b) == cal.between(a, b)
        intervals = list(cal.open_intervals(a, b))
        assert sum((y - x for x, y in intervals), timedelta(0)) == cal.between(a, b)
        for (x1, y1), (x2, y2) in zip(intervals, intervals[1:]):
            assert y1 < x2  # merged: never touching
        if a < b:
            probe = a + (b - a) * rng.random()
            inside = any(x <= probe < y for x, y in intervals)
            assert cal.is_open(probe) == inside
        # add(a, between(a, b)) lands on b when open time runs right up to b,
        # otherwise on the last closing before b.
        landed = cal.add(a, cal.between(a, b))
        if a == b or cal.is_open(b - timedelta(microseconds=1)):
            assert landed == b
        else:
            assert landed <= b and cal.between(landed, b) == timedelta(0)


def _wall_clock_oracle(hours, holidays, local_wall: datetime) -> bool:
    """Independent open check for a zone without DST: compare naive wall times."""
    for offset in (1, 0):
        day = local_wall.date() - timedelta(days=offset)
        if day in holidays:
            continue
        for span in hours.get(day.weekday(), ()):
            begin = datetime.combine(day, span.start)
            finish = datetime.combine(day + timedelta(days=1) if span.end <= span.start else day, span.end)
            if begin <= local_wall < finish:
                return True
    return False


@pytest.mark.parametrize(
    "spec",
    [
        "mon-fri 08:00-17:00",
        "mon-fri 08:00-12:00,13:00-17:00; sat 08:00-12:00",
        "mon-fri 22:00-06:00; sat 10:00-14:00",
        "mon-sun 00:00-24:00",
        "fri-mon 18:30-02:15; wed 06:00-06:45",
    ],
)
def test_property_matches_minute_by_minute_count_in_jakarta(spec):
    hours = parse_hours(spec)
    holidays = frozenset({date(2026, 8, 17), date(2026, 8, 21)})
    cal = jakarta(hours, extra_holidays=holidays)
    origin = jkt(2026, 8, 10)  # Monday; the window covers both holidays
    minutes = 21 * 24 * 60
    open_minute = [
        _wall_clock_oracle(hours, holidays, (origin + i * M).astimezone(JKT).replace(tzinfo=None))
        for i in range(minutes)
    ]
    prefix = [0]
    for flag in open_minute:
        prefix.append(prefix[-1] + flag)
    rng = random.Random(spec)
    for _ in range(200):
        i = rng.randrange(minutes)
        j = rng.randrange(i, minutes + 1)
        assert cal.is_open(origin + i * M) == open_minute[i]
        assert cal.between(origin + i * M, origin + j * M) == (prefix[j] - prefix[i]) * M
