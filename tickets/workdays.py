"""Working-day arithmetic on a team's BusinessCalendar.

Standard library only. In business-time contexts (SLA targets, ``due``,
``snooze``, auto-close) a duration's days are *working days* of the team's
calendar and a value made of days ends at that day's close of business;
hours and minutes are business time (``BusinessCalendar.add``). The same
module splits the business time left before a deadline into whole working
days and the rest, so every place shows one figure.

A calendar that is always open (24/7) has no close of business: a day is 24
hours there and a date without a time ends at 17:00 local time.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from tickets.calendar import BusinessCalendar

__all__ = ["DEFAULT_CLOSE", "close_of", "day_deadline", "deadline_after", "last_working_day", "split_left",
           "upcoming"]

UTC = timezone.utc
DEFAULT_CLOSE = time(17, 0)
_ONE_DAY = timedelta(days=1)
_SCAN = 3 * 366  # the longest run of closed days any scan here walks over
_WORK_DAY_SECONDS = 86400


def _bounds(cal: BusinessCalendar, day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), tzinfo=cal.tz).astimezone(UTC)
    end = datetime.combine(day + _ONE_DAY, time(0), tzinfo=cal.tz).astimezone(UTC)
    return start, end


def _local_date(cal: BusinessCalendar, at: datetime) -> date:
    return at.astimezone(cal.tz).date()


def close_of(cal: BusinessCalendar, day: date) -> datetime | None:
    """The end (UTC) of the last open interval of the local ``day``; None on a closed day
    or when the calendar is always open."""
    if cal.always_open or not cal.is_working_day(day):
        return None
    last = None
    for _a, b in cal.open_intervals(*_bounds(cal, day)):
        last = b
    return last


def _next_working_day(cal: BusinessCalendar, day: date) -> date:
    for _ in range(_SCAN):
        day += _ONE_DAY
        if close_of(cal, day) is not None:
            return day
    raise ValueError("no working day within three years: the calendar never opens")


def day_deadline(cal: BusinessCalendar | None, day: date) -> datetime:
    """A date without a time: that day's close of business. A day the team does not work
    (weekend, holiday) moves to the next working day's close; 17:00 when always open."""
    if cal is None or cal.always_open:
        tz = cal.tz if cal is not None else UTC
        return datetime.combine(day, DEFAULT_CLOSE, tzinfo=tz).astimezone(UTC)
    close = close_of(cal, day)
    if close is None:
        close = close_of(cal, _next_working_day(cal, day))
    return close  # type: ignore[return-value]


def _first_counted_day(cal: BusinessCalendar, start: datetime) -> date:
    """The first working day that counts whole: the start's own day if none of its business
    time has gone by yet, else the next working day."""
    day = _local_date(cal, start)
    close = close_of(cal, day)
    if close is not None and start < close and cal.between(_bounds(cal, day)[0], start).total_seconds() == 0:
        return day
    return _next_working_day(cal, day)


def deadline_after(cal: BusinessCalendar | None, start: datetime, days: int = 0, seconds: int = 0) -> datetime:
    """``start`` plus ``days`` working days (ending at that day's close of business) and then
    ``seconds`` of business time. Plain elapsed time without a calendar or when always open."""
    start = start.astimezone(UTC)
    if cal is None or cal.always_open:
        return start + timedelta(days=days, seconds=seconds)
    at = start
    if days > 0:
        day = _first_counted_day(cal, start)
        for _ in range(days - 1):
            day = _next_working_day(cal, day)
        at = close_of(cal, day)  # type: ignore[assignment]
    if seconds > 0:
        at = cal.add(at, timedelta(seconds=seconds))
    return at


def split_left(cal: BusinessCalendar | None, start: datetime, end: datetime) -> tuple[int, int]:
    """The business time from ``start`` to ``end`` as (whole working days, remaining seconds).

    A working day counts whole when all of its business time lies in the span; the rest is
    seconds. Without a calendar (or always open) a day is 24 hours. Zero when ``end <= start``.
    """
    if end <= start:
        return 0, 0
    if cal is None or cal.always_open:
        days, rest = divmod(int((end - start).total_seconds()), _WORK_DAY_SECONDS)
        return days, rest
    first, last = _local_date(cal, start), _local_date(cal, end)
    if first == last:
        return 0, int(cal.between(start, end).total_seconds())
    days = seconds = 0
    for day, lo, hi in ((first, start, None), (last, None, end)):
        day_start, day_end = _bounds(cal, day)
        full = int(cal.between(day_start, day_end).total_seconds())
        part = int(cal.between(lo or day_start, hi or day_end).total_seconds())
        if full and part == full:
            days += 1
        else:
            seconds += part
    day = first + _ONE_DAY
    while day < last:
        if cal.is_working_day(day):
            days += 1
        day += _ONE_DAY
    return days, seconds


def upcoming(today: date, day: int, month: int) -> date:
    """The next (day, month) from ``today`` on (29 February waits for a leap year)."""
    for year in range(today.year, today.year + 9):
        try:
            found = date(year, month, day)
        except ValueError:
            continue
        if found >= today:
            return found
    raise ValueError("no such day")


def last_working_day(cal: BusinessCalendar, monday: date) -> date:
    """The week's last working day (Friday when the calendar is always open)."""
    if not cal.always_open:
        for back in range(6, -1, -1):
            if close_of(cal, monday + timedelta(days=back)) is not None:
                return monday + timedelta(days=back)
    return monday + timedelta(days=4)
