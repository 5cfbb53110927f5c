"""Durations and dates as people type them, in English and Indonesian: "1d 4h",
"3 jam", "2026-11-30 14:00", "30-11-2026", "17.30".

Used by the `/ticket` grammar (due, snooze), the forms and the teams file.
Standard library only.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from datetime import timedelta, timezone
from zoneinfo import ZoneInfo

from tickets.errors import ValidationError

__all__ = ["DueSpec", "MAX_DURATION", "clip", "format_duration", "parse_date", "parse_due", "parse_duration",
           "parse_iso_date"]

MAX_DURATION = timedelta(days=3650)
_CLIP = 80  # longest user text echoed back inside an error parameter

_SECOND, _MINUTE, _HOUR, _DAY, _WEEK = 1, 60, 3600, 86400, 604800
_UNITS: dict[str, int] = {}
for _seconds, _words in (
    (_SECOND, "s sec secs second seconds detik dtk"),
    (_MINUTE, "m min mins minute minutes menit mnt"),
    (_HOUR, "h hr hrs hour hours jam"),
    (_DAY, "d day days hari"),
    (_WEEK, "w wk wks week weeks minggu mgg"),
):
    for _w in _words.split():
        _UNITS[_w] = _seconds
del _seconds, _words, _w

_DUE_CONNECTORS = frozenset({"at", "on", "pukul", "jam", "pada", "tanggal", "tgl"})

_DUR_PART_RE = re.compile(r"([0-9]{1,7})\s*([a-z]+)\s*")
_ISO_DATE_RE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_DMY_DATE_RE = re.compile(r"([0-9]{1,2})-([0-9]{1,2})-([0-9]{4})")
_TIME_RE = re.compile(r"([01]?[0-9]|2[0-3])[:.]([0-5][0-9])")
_ISO_T_RE = re.compile(r"(?<=[0-9])[Tt](?=[0-9])")


@dataclass(frozen=True)
class DueSpec:
    """A deadline as typed; `resolve` turns it into an aware UTC datetime.

    Exactly one form is meaningful: a `duration` from now, a `date` (optionally
    with a `time`), or a `time` alone (its next occurrence, today or tomorrow).
    A date without a time means 23:59 local time on that day.
    """

    duration: timedelta | None = None
    date: _dt.date | None = None
    time: _dt.time | None = None

    def describe(self) -> str:
        """The spec written back in the grammar's own notation."""
        if self.duration is not None:
            return format_duration(self.duration)
        parts = []
        if self.date is not None:
            parts.append(self.date.isoformat())
        if self.time is not None:
            parts.append(self.time.strftime("%H:%M"))
        return " ".join(parts)

    def resolve(self, now: _dt.datetime, tz: str) -> _dt.datetime:
        """The deadline as an aware UTC datetime, given the clock and the user's zone.

        A naive `now` is taken as UTC. A deadline that is not after `now`, or one
        that cannot be represented, is refused with ValidationError("bad_deadline").
        An unknown `tz` raises zoneinfo's ZoneInfoNotFoundError (a configuration error).
        """
        zone = ZoneInfo(tz)
        if now.tzinfo is None:
            now = now.replace(tzinfo=timezone.utc)
        bad = ValidationError("bad_deadline", value=self.describe())
        try:
            if self.duration is not None:
                if self.date is not None or self.time is not None:
                    raise bad
                result = now + self.duration
            elif self.date is not None:
                at = self.time if self.time is not None else _dt.time(23, 59)
                result = _dt.datetime.combine(self.date, at, tzinfo=zone)
            elif self.time is not None:
                local_now = now.astimezone(zone)
                result = _dt.datetime.combine(local_now.date(), self.time, tzinfo=zone)
                if result.astimezone(timezone.utc) <= now:
                    tomorrow = local_now.date() + timedelta(days=1)
                    result = _dt.datetime.combine(tomorrow, self.time, tzinfo=zone)
            else:
                raise bad
            result = result.astimezone(timezone.utc)
        except (OverflowError, ValueError):
            raise bad from None
        if result <= now:
            raise bad
        return result



def parse_duration(text: str) -> timedelta:
    """"30s" "15m" "4h" "2d" "1w" "1d4h" "1d 4h" "2hari" "3 jam" "15menit" "1minggu".

    Zero, negative, unit-less and over-long (> MAX_DURATION) durations are refused
    with ValidationError("bad_duration", value=text).
    """
    raw = text if isinstance(text, str) else ""
    bad = ValidationError("bad_duration", value=clip(raw.strip()))
    s = raw.strip().lower()
    if not s:
        raise bad
    pos = total = 0
    while pos < len(s):
        m = _DUR_PART_RE.match(s, pos)
        if m is None or m.group(2) not in _UNITS:
            raise bad
        total += int(m.group(1)) * _UNITS[m.group(2)]
        pos = m.end()
    if total <= 0 or total > MAX_DURATION.total_seconds():
        raise bad
    return timedelta(seconds=total)


def parse_due(text: str) -> DueSpec:
    """A duration, a date ("YYYY-MM-DD" or "DD-MM-YYYY"), a time ("HH:MM" or "HH.MM"),
    or a date with a time (either order, or ISO "YYYY-MM-DDTHH:MM"); connector words
    such as "at"/"pukul"/"jam" between them are ignored.

    Raises ValidationError("bad_deadline", value=text).
    """
    raw = text.strip() if isinstance(text, str) else ""
    bad = ValidationError("bad_deadline", value=clip(raw))
    if not raw:
        raise bad
    try:
        return DueSpec(duration=parse_duration(raw))
    except ValidationError:
        pass
    day: _dt.date | None = None
    at: _dt.time | None = None
    for token in _ISO_T_RE.sub(" ", raw).split():
        low = token.lower()
        if low in _DUE_CONNECTORS:
            continue
        parsed_date = parse_date(low)
        if parsed_date is not None and day is None:
            day = parsed_date
            continue
        parsed_time = _parse_time(low)
        if parsed_time is not None and at is None:
            at = parsed_time
            continue
        raise bad
    if day is None and at is None:
        raise bad
    return DueSpec(date=day, time=at)



def clip(value: str) -> str:
    return value if len(value) <= _CLIP else value[: _CLIP - 1] + "\u2026"



def parse_iso_date(text: str) -> _dt.date | None:
    m = _ISO_DATE_RE.fullmatch(text)
    if m is None:
        return None
    try:
        return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def parse_date(text: str) -> _dt.date | None:
    found = parse_iso_date(text)
    if found is not None:
        return found
    m = _DMY_DATE_RE.fullmatch(text)
    if m is None:
        return None
    try:
        return _dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None


def _parse_time(text: str) -> _dt.time | None:
    m = _TIME_RE.fullmatch(text)
    return None if m is None else _dt.time(int(m.group(1)), int(m.group(2)))


def format_duration(value: timedelta) -> str:
    seconds = int(value.total_seconds())
    if seconds <= 0:
        return str(value)
    out = []
    for unit, size in (("w", _WEEK), ("d", _DAY), ("h", _HOUR), ("m", _MINUTE), ("s", _SECOND)):
        count, seconds = divmod(seconds, size)
        if count:
            out.append(f"{count}{unit}")
    return "".join(out)
