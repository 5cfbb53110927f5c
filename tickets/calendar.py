"""Business-hours calendar: SLA clock arithmetic over working spans.

Standard library only (working-hours parsing lives in tickets/hours.py).  All public methods take timezone-aware datetimes (any
zone) and return timezone-aware UTC datetimes.  Working spans are expressed in
the calendar's local time zone and converted with real wall-clock rules
(``zoneinfo``), so business time is always *real elapsed time* spent inside
open intervals:

* a span belongs to the local day it starts on; if that day is a holiday the
  whole span is closed, including any part after midnight;
* a span whose ``end <= start`` runs past midnight into the next day
  (``Span(time(0), time(0))`` is a whole day, written ``00:00-24:00``);
* adjacent or overlapping spans form one continuous open interval, so a
  calendar with ``00:00-24:00`` every day never closes, even on DST days;
* a local time in a spring-forward gap maps forward to the jump; an ambiguous
  one (fall-back) uses its first occurrence (see tickets/wallclock.py);
* ``always_open=True`` is plain UTC elapsed time; holidays are ignored.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Callable, Iterator
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tickets.hours import DEFAULT_HOURS, Span, is_24_7, normalise_hours, parse_hours
from tickets.wallclock import localize, require_aware

__all__ = ["BusinessCalendar", "HolidayProvider", "MAX_SPAN_DAYS", "Span", "is_24_7", "parse_hours"]

HolidayProvider = Callable[[int], frozenset[date]]
"""``year -> that year's holiday dates`` (local dates)."""

UTC = timezone.utc
_ONE_DAY = timedelta(days=1)
_ZERO = timedelta(0)

# How many consecutive days without any open time an unbounded scan
# (``add``/``next_open``) tolerates before giving up (~3 years).
MAX_CLOSED_DAYS = 3 * 366
# The longest stretch any computation walks: each local day costs one step, so the
# work is linear in days and never more than this many (callers bound deadlines far lower).
MAX_SPAN_DAYS = 20 * 366


class BusinessCalendar:
    """Working hours in a local time zone, with holidays.

    ``hours`` maps weekday (0=Mon .. 6=Sun) to that day's spans.  With
    ``hours=None`` and ``always_open=False`` the calendar is Mon-Fri
    08:00-17:00.  ``always_open=True`` overrides ``hours`` and holidays.
    """

    def __init__(self, tz: str = "UTC", hours: dict[int, tuple[Span, ...]] | None = None,
                 holidays: HolidayProvider | None = None, extra_holidays: frozenset[date] = frozenset(),
                 always_open: bool = False) -> None:
        try:
            self._tz = ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
            raise ValueError(f"unknown time zone {tz!r}") from exc
        self._tz_name = tz
        self._always_open = bool(always_open)
        self._hours = normalise_hours(DEFAULT_HOURS if hours is None else hours)
        self._holidays = holidays
        self._extra_holidays = frozenset(extra_holidays)
        self._holiday_cache: dict[int, frozenset[date]] = {}
        self._interval_cache: dict[date, tuple[tuple[datetime, datetime], ...]] = {}

    # ------------------------------------------------------------------ construction

    @classmethod
    def twenty_four_seven(cls, tz: str = "UTC") -> "BusinessCalendar":
        """A calendar that is always open (plain elapsed time, no holidays)."""
        return cls(tz=tz, hours={}, always_open=True)

    @classmethod
    def from_spec(cls, spec: str | dict, tz: str = "UTC", holidays: HolidayProvider | None = None,
                  extra_holidays: frozenset[date] = frozenset()) -> "BusinessCalendar":
        """Build a calendar from a :func:`parse_hours` spec ("24/7" => always open)."""
        if is_24_7(spec):
            return cls(tz=tz, hours={}, holidays=holidays, extra_holidays=extra_holidays, always_open=True)
        return cls(tz=tz, hours=parse_hours(spec), holidays=holidays, extra_holidays=extra_holidays)

    # ------------------------------------------------------------------ properties

    @property
    def tz(self) -> ZoneInfo:
        return self._tz

    @property
    def tz_name(self) -> str:
        return self._tz_name

    @property
    def always_open(self) -> bool:
        return self._always_open

    @property
    def hours(self) -> dict[int, tuple[Span, ...]]:
        """A copy of the weekday -> spans table (empty days omitted)."""
        return dict(self._hours)

    def __repr__(self) -> str:
        if self._always_open:
            return f"BusinessCalendar(tz={self._tz_name!r}, always_open=True)"
        table = {day: tuple(str(s) for s in spans) for day, spans in self._hours.items()}
        return f"BusinessCalendar(tz={self._tz_name!r}, hours={table!r})"

    # ------------------------------------------------------------------ days

    def is_holiday(self, day: date) -> bool:
        """True if ``day`` (a local date) is a holiday.

        An aware datetime is converted to its local date first.
        """
        day = self._as_local_date(day)
        if day in self._extra_holidays:
            return True
        if self._holidays is None:
            return False
        year_dates = self._holiday_cache.get(day.year)
        if year_dates is None:
            year_dates = frozenset(self._holidays(day.year))
            self._holiday_cache[day.year] = year_dates
        return day in year_dates

    def is_working_day(self, day: date) -> bool:
        """True if ``day`` has working spans and is not a holiday (always True when always open)."""
        day = self._as_local_date(day)
        if self._always_open:
            return True
        return bool(self._hours.get(day.weekday())) and not self.is_holiday(day)

    def _as_local_date(self, day: date) -> date:
        if isinstance(day, datetime):
            if day.tzinfo is None or day.utcoffset() is None:
                return day.date()
            return day.astimezone(self._tz).date()
        if not isinstance(day, date):
            raise TypeError(f"expected a date, got {type(day).__name__}")
        return day

    # ------------------------------------------------------------------ queries

    def is_open(self, at: datetime) -> bool:
        at = require_aware(at, "at")
        if self._always_open:
            return True
        local_day = at.astimezone(self._tz).date()
        for day in (local_day - _ONE_DAY, local_day):
            for a, b in self._day_intervals(day):
                if a <= at < b:
                    return True
        return False

    def next_open(self, at: datetime) -> datetime:
        """``at`` itself (in UTC) if open, else the next moment the calendar opens."""
        at = require_aware(at, "at")
        if self._always_open:
            return at
        self._require_some_hours()
        for a, _b in self._pieces(at, None):
            return a
        raise AssertionError("unreachable: unbounded scan ended")  # pragma: no cover

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The moment (UTC) when ``duration`` of business time has elapsed after ``start``.

        A zero duration returns ``start`` unchanged (converted to UTC), even if
        the calendar is closed then.  When the duration runs out exactly at the
        end of an open interval, that end is returned (not the next opening).
        """
        start = require_aware(start, "start")
        if not isinstance(duration, timedelta):
            raise TypeError(f"duration must be a timedelta, got {type(duration).__name__}")
        if duration < _ZERO:
            raise ValueError(f"duration must not be negative, got {duration}")
        if duration == _ZERO:
            return start
        if self._always_open:
            return start + duration
        self._require_some_hours()
        remaining = duration
        for a, b in self._pieces(start, None):
            length = b - a
            if remaining <= length:
                return a + remaining
            remaining -= length
        raise AssertionError("unreachable: unbounded scan ended")  # pragma: no cover

    def between(self, start: datetime, end: datetime) -> timedelta:
        """Business time elapsed from ``start`` to ``end`` (zero if ``end <= start``)."""
        start = require_aware(start, "start")
        end = require_aware(end, "end")
        if end <= start:
            return _ZERO
        if self._always_open:
            return end - start
        total = _ZERO
        for a, b in self._pieces(start, end):
            total += b - a
        return total

    def open_intervals(self, start: datetime, end: datetime) -> Iterator[tuple[datetime, datetime]]:
        """The maximal UTC intervals ``[a, b)`` inside ``[start, end)`` when the calendar is open.

        Adjacent or overlapping spans are merged, so a calendar open around the
        clock yields a single interval.  Arguments are validated eagerly.
        """
        start = require_aware(start, "start")
        end = require_aware(end, "end")
        if end <= start:
            return iter(())
        if self._always_open:
            return iter(((start, end),))
        return self._merged(start, end)

    # ------------------------------------------------------------------ internals

    def _require_some_hours(self) -> None:
        if not any(self._hours.values()):
            raise ValueError(
                f"calendar ({self._tz_name}) has no working spans at all, so no business time ever elapses"
            )

    def _merged(self, start: datetime, end: datetime) -> Iterator[tuple[datetime, datetime]]:
        pending: tuple[datetime, datetime] | None = None
        for a, b in self._pieces(start, end):
            if pending is not None and a <= pending[1]:
                pending = (pending[0], max(pending[1], b))
                continue
            if pending is not None:
                yield pending
            pending = (a, b)
        if pending is not None:
            yield pending

    def _pieces(self, start: datetime, end: datetime | None) -> Iterator[tuple[datetime, datetime]]:
        """Disjoint, ordered, non-empty open pieces clipped to ``[start, end)``.

        Pieces may touch (adjacent spans); their total length is the open time.
        ``end=None`` scans on, raising ValueError after ``MAX_CLOSED_DAYS``
        consecutive days without open time; no scan walks more than ``MAX_SPAN_DAYS`` days.
        """
        day = start.astimezone(self._tz).date() - _ONE_DAY
        last_day = end.astimezone(self._tz).date() if end is not None else None
        limit = day + timedelta(days=MAX_SPAN_DAYS)
        if last_day is not None and last_day > limit:
            raise ValueError(f"span longer than {MAX_SPAN_DAYS} days from {start.isoformat()}")
        covered = start  # everything before this instant is already accounted for
        closed_days = 0
        while last_day is None or day <= last_day:
            produced = False
            for a, b in self._day_intervals(day):
                if a < covered:
                    a = covered
                if end is not None and b > end:
                    b = end
                if b <= a:
                    continue
                produced = True
                covered = b
                yield (a, b)
            if last_day is None:
                closed_days = 0 if produced else closed_days + 1
                if closed_days > MAX_CLOSED_DAYS:
                    raise ValueError(
                        f"no business time within {MAX_CLOSED_DAYS} days after {start.isoformat()}: "
                        "the calendar has no working spans or every working day is a holiday"
                    )
            day += _ONE_DAY
            if day > limit:
                raise ValueError(f"no answer within {MAX_SPAN_DAYS} days after {start.isoformat()}")

    def _day_intervals(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
        """UTC intervals of the spans starting on local ``day`` (empty on holidays); remembered per day,
        since every deadline computation walks the same few days again."""
        found = self._interval_cache.get(day)
        if found is None:
            if len(self._interval_cache) > 4096:
                self._interval_cache.clear()
            found = self._interval_cache[day] = tuple(self._compute_day_intervals(day))
        return found

    def _compute_day_intervals(self, day: date) -> list[tuple[datetime, datetime]]:
        spans = self._hours.get(day.weekday())
        if not spans or self.is_holiday(day):
            return []
        out = []
        for span in spans:
            a = localize(self._tz, datetime.combine(day, span.start))
            end_day = day + _ONE_DAY if span.overnight else day
            b = localize(self._tz, datetime.combine(end_day, span.end))
            if b > a:
                out.append((a, b))
        out.sort()
        return out


