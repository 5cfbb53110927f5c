"""Durations and natural deadlines as people type them, in English and Indonesian.

``parse_duration("1d4h")`` gives a `Duration` (working days + business seconds);
``parse_due("senin 10:00")`` gives a `DueSpec` that `resolve` turns into an aware
UTC moment with the clock and the team's calendar. In these business-time
contexts ``d`` is a working day of the team's calendar, ``w`` five of them, and
``h``/``m``/``s`` business time; a value made of days, and a date without a
time, end at that day's close of business (tickets/workdays.py).

Standard library only. Refusals: ValidationError ``bad_duration``, ``bad_date`` (a format
Tiket cannot read) or ``bad_deadline`` (readable, but not in the future).
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from datetime import timedelta, timezone

from tickets.calendar import BusinessCalendar
from tickets.errors import ValidationError
from tickets.date_words import (CONNECTORS, DAY, HOUR_CONNECTORS, MONTHS, PHRASES, SHIFTS, UNITS, WEEK,
                               WEEKDAYS)
from tickets.workdays import DEFAULT_CLOSE, day_deadline, deadline_after, last_working_day, upcoming

__all__ = ["MAX_DAYS", "clip", "Duration", "DueSpec", "parse_date", "parse_due", "parse_duration", "parse_iso_date",
           "parse_time"]

MAX_DAYS = 3650
_CLIP = 80
_S, _M, _H = 1, 60, 3600
_DUR_PART_RE = re.compile(r"([0-9]{1,7})\s*([a-z]+)\s*")
_ISO_DATE_RE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_DMY_DATE_RE = re.compile(r"([0-9]{1,2})[-/]([0-9]{1,2})(?:[-/]([0-9]{4}))?")
_TIME_RE = re.compile(r"([01]?[0-9]|2[0-3])[:.]([0-5][0-9])")
_HOUR_RE = re.compile(r"([01]?[0-9]|2[0-3])")
_ISO_T_RE = re.compile(r"(?<=[0-9])[Tt](?=[0-9])")



def clip(value: str) -> str:
    """User text echoed back inside an error: at most 80 characters."""
    return value if len(value) <= _CLIP else value[: _CLIP - 1] + "\u2026"


_clip = clip


@dataclass(frozen=True)
class Duration:
    """A business-time length: whole working days, then business seconds."""

    days: int = 0
    seconds: int = 0

    def describe(self) -> str:
        """Written back in the grammar's notation: "3d", "4h", "1d4h30m"."""
        out = [f"{self.days}d"] if self.days else []
        rest = self.seconds
        for unit, size in (("h", _H), ("m", _M), ("s", _S)):
            count, rest = divmod(rest, size)
            if count:
                out.append(f"{count}{unit}")
        return "".join(out) or "0s"

    def after(self, start: _dt.datetime, calendar: BusinessCalendar | None) -> _dt.datetime:
        """The moment this much business time has gone by after ``start`` (UTC)."""
        return deadline_after(calendar, start, self.days, self.seconds)


def parse_duration(text: str) -> Duration:
    """"30s" "15m" "4h" "2d" "1w" "1d4h" "1d 4h" "2hari" "3 jam" "15menit" "1minggu".

    Zero, unit-less and over-long (more than MAX_DAYS days) durations are refused
    with ValidationError("bad_duration", value=text).
    """
    raw = text if isinstance(text, str) else ""
    bad = ValidationError("bad_duration", value=_clip(raw.strip()))
    s = raw.strip().lower()
    if not s:
        raise bad
    pos = days = seconds = 0
    while pos < len(s):
        m = _DUR_PART_RE.match(s, pos)
        if m is None or m.group(2) not in UNITS:
            raise bad
        unit, count = UNITS[m.group(2)], int(m.group(1))
        if unit == DAY:
            days += count
        elif unit == WEEK:
            days += 5 * count
        else:
            seconds += count * int(unit)
        pos = m.end()
    if (days == 0 and seconds == 0) or days + seconds / 86400 > MAX_DAYS:
        raise bad
    return Duration(days, seconds)


@dataclass(frozen=True)
class DueSpec:
    """A deadline as typed; `resolve` turns it into an aware UTC datetime.

    One form is meaningful: a `duration` from now; or a day, given as a `date`, a `shift`
    in days from today (besok = 1), a `weekday` (0 = Monday) or the `week_end`, with an
    optional `time`; or a `time` alone (its next occurrence). A day without a time ends
    at that day's close of business.
    """

    duration: Duration | None = None
    date: _dt.date | None = None
    time: _dt.time | None = None
    shift: int | None = None
    weekday: int | None = None
    month_day: tuple[int, int] | None = None
    week_end: bool = False
    text: str = field(default="", compare=False)

    def describe(self) -> str:
        if self.text:
            return self.text
        if self.duration is not None:
            return self.duration.describe()
        parts = [self.date.isoformat()] if self.date is not None else []
        if self.time is not None:
            parts.append(self.time.strftime("%H:%M"))
        return " ".join(parts)

    def resolve(self, now: _dt.datetime, calendar: BusinessCalendar | str | None = None) -> _dt.datetime:
        """The deadline as an aware UTC datetime, given the clock and the team's calendar
        (a bare zone name means a calendar that is always open in that zone).

        A naive `now` is taken as UTC. A deadline not after `now`, or one that cannot be
        represented, is refused with ValidationError("bad_deadline").
        """
        cal = BusinessCalendar.twenty_four_seven(calendar or "UTC") if not isinstance(
            calendar, BusinessCalendar) else calendar
        if now.tzinfo is None:
            now = now.replace(tzinfo=timezone.utc)
        bad = ValidationError("bad_deadline", value=_clip(self.describe()))
        try:
            result = self._resolve(now, cal)
        except (OverflowError, ValueError):
            raise bad from None
        if result is None or result <= now:
            raise bad
        return result

    def _resolve(self, now: _dt.datetime, cal: BusinessCalendar) -> _dt.datetime | None:
        zone = cal.tz
        today = now.astimezone(zone).date()
        if self.duration is not None:
            return None if self._day_given() or self.time else self.duration.after(now, cal)
        if not self._day_given():
            if self.time is None:
                return None
            result = _dt.datetime.combine(today, self.time, tzinfo=zone).astimezone(timezone.utc)
            if result <= now:
                result = _dt.datetime.combine(today + timedelta(days=1), self.time, tzinfo=zone)
            return result.astimezone(timezone.utc)
        for day in self._days(today, cal):
            if self.time is not None:
                result = _dt.datetime.combine(day, self.time, tzinfo=zone).astimezone(timezone.utc)
            elif (day - today).days > MAX_DAYS:  # far beyond any horizon: no calendar work for it
                result = _dt.datetime.combine(day, DEFAULT_CLOSE, tzinfo=zone).astimezone(timezone.utc)
            else:
                result = day_deadline(cal, day)
            if result > now or self.weekday is None and not self.week_end:
                return result
        return None

    def _day_given(self) -> bool:
        return (self.date is not None or self.shift is not None or self.weekday is not None or self.week_end
                or self.month_day is not None)

    def _days(self, today: _dt.date, cal: BusinessCalendar) -> list[_dt.date]:
        """The day meant, then (for a weekday or the week's end) the same one a week later."""
        if self.date is not None:
            return [self.date]
        if self.shift is not None:
            return [today + timedelta(days=self.shift)]
        if self.month_day is not None:
            return [upcoming(today, *self.month_day)]
        if self.week_end:
            monday = today - timedelta(days=today.weekday())
            return [last_working_day(cal, monday), last_working_day(cal, monday + timedelta(days=7))]
        first = today + timedelta(days=(int(self.weekday or 0) - today.weekday()) % 7)
        return [first, first + timedelta(days=7)]


def parse_iso_date(text: str) -> _dt.date | None:
    m = _ISO_DATE_RE.fullmatch(text)
    if m is None:
        return None
    try:
        return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def parse_date(text: str) -> _dt.date | tuple[int, int] | None:
    """"2026-12-17", "17-12-2026", "17/12/2026"; "17/12" gives (day, month), whose year
    `DueSpec.resolve` picks (this year's, or next year's once it has passed)."""
    found = parse_iso_date(text)
    if found is not None:
        return found
    m = _DMY_DATE_RE.fullmatch(text)
    if m is None:
        return None
    return _day_month(int(m.group(1)), int(m.group(2)), int(m.group(3)) if m.group(3) else None)


def _day_month(day: int, month: int, year: int | None) -> _dt.date | tuple[int, int] | None:
    try:
        found = _dt.date(2000 if year is None else year, month, day)  # 2000: a leap year
    except ValueError:
        return None
    return found if year is not None else (day, month)


def parse_time(text: str) -> _dt.time | None:
    m = _TIME_RE.fullmatch(text)
    return None if m is None else _dt.time(int(m.group(1)), int(m.group(2)))


def parse_due(text: str) -> DueSpec:
    """What people type for a deadline: a duration ("3d", "4 jam"); "besok", "lusa",
    "tomorrow", "today"; a weekday ("jumat", "friday"); "akhir minggu"/"end of week";
    a date ("2026-12-17", "17-12-2026", "17/12", "17 Des", "17 December 2026"); each with
    an optional time ("10:00", "jam 10"); or a time alone. Connector words such as
    "at"/"pukul"/"jam"/"hari" are ignored.

    A day-month without a year is this year's, or next year's once it has passed.

    Raises ValidationError("bad_date", value=text) for anything else.
    """
    raw = text.strip() if isinstance(text, str) else ""
    bad = ValidationError("bad_date", value=_clip(raw))
    if not raw:
        raise bad
    try:
        return DueSpec(duration=parse_duration(raw), text=raw)
    except ValidationError:
        pass
    low = _ISO_T_RE.sub(" ", raw.lower())
    for pattern, token in PHRASES:
        low = pattern.sub(token, low)
    found: dict[str, object] = {}
    words = low.replace(",", " ").split()
    i = 0
    while i < len(words):
        word, nxt = words[i], (words[i + 1] if i + 1 < len(words) else "")
        i += 1
        if word in HOUR_CONNECTORS and _HOUR_RE.fullmatch(nxt) and "time" not in found:
            found["time"] = _dt.time(int(nxt))
            i += 1
        elif word in CONNECTORS:
            continue
        elif not _take(found, word, words, i):
            raise bad
        elif found.pop("_consumed", None):
            i += int(found.pop("_n"))  # type: ignore[call-overload]
    days = [k for k in ("date", "shift", "weekday", "week_end", "month_day") if k in found]
    if len(days) > 1 or not (days or "time" in found):
        raise bad
    return DueSpec(date=found.get("date"), time=found.get("time"), shift=found.get("shift"),  # type: ignore[arg-type]
                   weekday=found.get("weekday"), week_end=bool(found.get("week_end")),
                   month_day=found.get("month_day"), text=raw)  # type: ignore[arg-type]


def _take(found: dict, word: str, words: list[str], i: int) -> bool:
    """Record what one word says; False if it says nothing Tiket knows (or repeats itself)."""
    def put(key: str, value: object) -> bool:
        if key in found:
            return False
        found[key] = value
        return True

    if word == "@eow":
        return put("week_end", True)
    if word in SHIFTS:
        return put("shift", SHIFTS[word])
    if word in WEEKDAYS:
        return put("weekday", WEEKDAYS[word])
    clock = parse_time(word)
    if clock is not None:
        return put("time", clock)
    day = parse_date(word)
    if day is not None:
        return put("month_day" if isinstance(day, tuple) else "date", day)
    if re.fullmatch(r"[0-9]{1,2}", word) and i < len(words) and words[i].rstrip(".") in MONTHS:  # "17 Des [2026]"
        year = int(words[i + 1]) if i + 1 < len(words) and re.fullmatch(r"[0-9]{4}", words[i + 1]) else None
        day = _day_month(int(word), MONTHS[words[i].rstrip(".")], year)
        if day is None or not put("month_day" if isinstance(day, tuple) else "date", day):
            return False
        found["_consumed"], found["_n"] = True, 2 if year is not None else 1
        return True
    return False
