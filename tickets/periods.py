"""The reporting period, one parser for chat (`/ticket stats IT 4mgg`) and the CLI
(`tiket report --period 4w`, `--since/--until`).

`7d`, `4w`, `30hari`, `4mgg`, `2026-11` (a month in the team's zone) or an inclusive
ISO date range `2026-11-01..2026-11-27`; nothing means the last 30 days.
Standard library only.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from tickets.errors import ValidationError
from tickets.limits import check_period_days

DEFAULT_DAYS = 30
MAX_DAYS = 3 * 366
_SPAN_RE = re.compile(r"([0-9]{1,4})(d|days?|hari|w|wks?|weeks?|minggu|mgg)", re.IGNORECASE)
_MONTH_RE = re.compile(r"([0-9]{4})-([0-9]{1,2})")
_DATE_RE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


@dataclass(frozen=True)
class Period:
    since: datetime  # inclusive, aware UTC
    until: datetime  # exclusive, aware UTC
    tz: str = "UTC"
    label: str = ""

    def days(self, now: datetime | None = None) -> list[date]:
        """The local dates the period touches (up to `now`)."""
        zone = ZoneInfo(self.tz)
        end = min(self.until, now) if now else self.until
        first = self.since.astimezone(zone).date()
        last = (end - timedelta(microseconds=1)).astimezone(zone).date()
        return [first + timedelta(days=i) for i in range((last - first).days + 1)] if end > self.since else []


def _local_midnight(day: date, tz: str) -> datetime:
    return datetime.combine(day, time(0), ZoneInfo(tz)).astimezone(timezone.utc)


def _date(text: str) -> date | None:
    m = _DATE_RE.fullmatch(text.strip())
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def parse_moment(text: str, tz: str, *, end: bool = False) -> datetime:
    """A --since/--until value: a date (local midnight; --until's date is included) or an ISO time."""
    day = _date(text)
    if day is not None:
        check_period_days(day, day, text)
        return _local_midnight(day + timedelta(days=1) if end else day, tz)
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValidationError("bad_period", value=text) from None
    check_period_days(value.date(), value.date(), text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(tz))
    return value.astimezone(timezone.utc)


def parse_period(text: str | None, now: datetime, tz: str = "UTC") -> Period:
    """`7d`, `4w`, `30hari`, `2026-11` (a month in `tz`), `2026-11-01..2026-11-27` (inclusive);
    nothing means the last 30 days."""
    raw = (text or "").strip()
    if not raw:
        return Period(now - timedelta(days=DEFAULT_DAYS), now, tz, f"{DEFAULT_DAYS}d")
    m = _SPAN_RE.fullmatch(raw)
    if m:
        days = int(m.group(1)) * (7 if m.group(2).lower()[0] in "wm" else 1)
        if not 0 < days <= MAX_DAYS:
            raise ValidationError("bad_period", value=raw)
        return Period(now - timedelta(days=days), now, tz, raw.lower())
    m = _MONTH_RE.fullmatch(raw)
    if m and 1 <= int(m.group(2)) <= 12:
        year, month = int(m.group(1)), int(m.group(2))
        check_period_days(date(max(year, 1), 1, 1), date(max(year, 1), 1, 1), raw)
        first = date(year, month, 1)
        after = date(year + month // 12, month % 12 + 1, 1)
        return Period(_local_midnight(first, tz), _local_midnight(after, tz), tz, f"{year}-{month:02d}")
    start, sep, stop = raw.partition("..")
    if sep:
        first, last = _date(start), _date(stop)
        if first and last:
            check_period_days(first, last, raw)
        if first and last and first <= last and (last - first).days < MAX_DAYS:
            return Period(_local_midnight(first, tz), _local_midnight(last + timedelta(days=1), tz), tz, raw)
    raise ValidationError("bad_period", value=raw)


def make_period(since: datetime | None, until: datetime | None, now: datetime, tz: str) -> Period:
    until = until or now
    since = since or until - timedelta(days=DEFAULT_DAYS)
    label = f"{since.astimezone(ZoneInfo(tz)):%Y-%m-%d}..{(until - timedelta(microseconds=1)).astimezone(ZoneInfo(tz)):%Y-%m-%d}"
    if since >= until:  # quoted as the dates typed, in the report's zone, not as UTC instants
        raise ValidationError("bad_period", value=label)
    return Period(since, until, tz, label)


def is_period(text: str) -> bool:
    """True when `text` has the shape of a period `parse_period` reads (the grammar's check);
    a period that is too long or outside the years reports cover has the shape, and
    parse_period then says why it is refused."""
    if not isinstance(text, str):
        return False
    raw = text.strip()
    m = _SPAN_RE.fullmatch(raw)
    if m:
        return int(m.group(1)) > 0
    m = _MONTH_RE.fullmatch(raw)
    if m:
        return 1 <= int(m.group(2)) <= 12
    start, sep, stop = raw.partition("..")
    first, last = _date(start), _date(stop)
    return bool(sep) and first is not None and last is not None and first <= last
