"""Business-hours calendar: SLA clock arithmetic over working spans.

Standard library only.  All public methods take timezone-aware datetimes (any
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
* a local time that does not exist (spring-forward gap) maps forward to the
  moment the clocks jump; an ambiguous local time (fall-back) uses ``fold=0``,
  i.e. its first occurrence;
* ``always_open=True`` is plain UTC elapsed time; holidays are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Callable, Iterator
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "BusinessCalendar",
    "HolidayProvider",
    "Span",
    "is_24_7",
    "parse_hours",
]

HolidayProvider = Callable[[int], frozenset[date]]
"""``year -> that year's holiday dates`` (local dates)."""

UTC = timezone.utc
_ONE_DAY = timedelta(days=1)
_ZERO = timedelta(0)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_SECOND = timedelta(seconds=1)

# How many consecutive days without any open time an unbounded scan
# (``add``/``next_open``) tolerates before giving up (~3 years).
MAX_CLOSED_DAYS = 3 * 366


@dataclass(frozen=True)
class Span:
    """One working span on a weekday, in local wall-clock time.

    ``end <= start`` means the span runs past midnight into the next day;
    ``Span(time(0), time(0))`` therefore covers a whole day (00:00-24:00).
    """

    start: time
    end: time

    def __post_init__(self) -> None:
        for name in ("start", "end"):
            value = getattr(self, name)
            if not isinstance(value, time):
                raise TypeError(f"Span.{name} must be a datetime.time, got {type(value).__name__}")
            if value.tzinfo is not None:
                raise ValueError(f"Span.{name} must be a naive local time, got {value!r}")

    @property
    def overnight(self) -> bool:
        """True if the span ends on the next day (includes ``00:00-24:00``)."""
        return self.end <= self.start

    def __str__(self) -> str:
        end = "24:00" if self.end == time(0) else _fmt_time(self.end)
        return f"{_fmt_time(self.start)}-{end}"


def _fmt_time(t: time) -> str:
    text = f"{t.hour:02d}:{t.minute:02d}"
    if t.second or t.microsecond:
        text += f":{t.second:02d}"
        if t.microsecond:
            text += f".{t.microsecond:06d}"
    return text


_DEFAULT_HOURS: dict[int, tuple[Span, ...]] = {
    day: (Span(time(8, 0), time(17, 0)),) for day in range(5)
}


def _require_aware(value: datetime, name: str) -> datetime:
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got naive {value.isoformat()}")
    return value.astimezone(UTC)


class BusinessCalendar:
    """Working hours in a local time zone, with holidays.

    ``hours`` maps weekday (0=Mon .. 6=Sun) to that day's spans.  With
    ``hours=None`` and ``always_open=False`` the calendar is Mon-Fri
    08:00-17:00.  ``always_open=True`` overrides ``hours`` and holidays.
    """

    def __init__(
        self,
        tz: str = "UTC",
        hours: dict[int, tuple[Span, ...]] | None = None,
        holidays: HolidayProvider | None = None,
        extra_holidays: frozenset[date] = frozenset(),
        always_open: bool = False,
    ) -> None:
        try:
            self._tz = ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
            raise ValueError(f"unknown time zone {tz!r}") from exc
        self._tz_name = tz
        self._always_open = bool(always_open)
        self._hours = _normalise_hours(_DEFAULT_HOURS if hours is None else hours)
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
    def from_spec(
        cls,
        spec: str | dict,
        tz: str = "UTC",
        holidays: HolidayProvider | None = None,
        extra_holidays: frozenset[date] = frozenset(),
    ) -> "BusinessCalendar":
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
        at = _require_aware(at, "at")
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
        at = _require_aware(at, "at")
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
        start = _require_aware(start, "start")
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
        start = _require_aware(start, "start")
        end = _require_aware(end, "end")
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
        start = _require_aware(start, "start")
        end = _require_aware(end, "end")
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
        ``end=None`` scans forever, raising ValueError after ``MAX_CLOSED_DAYS``
        consecutive days without open time.
        """
        day = start.astimezone(self._tz).date() - _ONE_DAY
        last_day = end.astimezone(self._tz).date() if end is not None else None
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
            a = self._localize(datetime.combine(day, span.start))
            end_day = day + _ONE_DAY if span.overnight else day
            b = self._localize(datetime.combine(end_day, span.end))
            if b > a:
                out.append((a, b))
        out.sort()
        return out

    def _localize(self, naive: datetime) -> datetime:
        """Local wall time -> UTC.  Gap times map forward to the jump; ambiguous use fold=0."""
        tz = self._tz
        first = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
        if first.astimezone(tz).replace(tzinfo=None) == naive:
            return first
        # ``naive`` falls in a gap.  fold=0 and fold=1 resolve it with the offsets
        # from before and after the jump; the jump itself lies between the two.
        second = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
        lo, hi = min(first, second), max(first, second)
        # Smallest whole second s in [lo, hi] whose wall time is already >= naive
        # (tz database transitions fall on whole seconds).
        lo_s = (lo - _EPOCH) // _SECOND
        hi_s = -((_EPOCH - hi) // _SECOND)  # ceiling
        while lo_s < hi_s:
            mid = (lo_s + hi_s) // 2
            wall = (_EPOCH + mid * _SECOND).astimezone(tz).replace(tzinfo=None)
            if wall >= naive:
                hi_s = mid
            else:
                lo_s = mid + 1
        return _EPOCH + lo_s * _SECOND


def _normalise_hours(hours: dict[int, tuple[Span, ...]]) -> dict[int, tuple[Span, ...]]:
    if not isinstance(hours, dict):
        raise TypeError(f"hours must be a dict of weekday -> spans, got {type(hours).__name__}")
    table: dict[int, tuple[Span, ...]] = {}
    for day, spans in hours.items():
        if isinstance(day, bool) or not isinstance(day, int) or not 0 <= day <= 6:
            raise ValueError(f"hours key must be a weekday number 0 (Mon) .. 6 (Sun), got {day!r}")
        if isinstance(spans, Span):
            spans = (spans,)
        spans = tuple(spans)
        for span in spans:
            if not isinstance(span, Span):
                raise TypeError(f"hours[{day}] must contain Span objects, got {type(span).__name__}")
        if spans:
            table[day] = tuple(sorted(spans, key=lambda s: (s.start, s.end)))
    return dict(sorted(table.items()))


# ---------------------------------------------------------------------- parsing

_DAY_NAMES: dict[str, int] = {}
for _index, _names in enumerate(
    (
        ("mon", "monday", "sen", "senin"),
        ("tue", "tuesday", "sel", "selasa"),
        ("wed", "wednesday", "rab", "rabu"),
        ("thu", "thursday", "kam", "kamis"),
        ("fri", "friday", "jum", "jumat", "jum'at"),
        ("sat", "saturday", "sab", "sabtu"),
        ("sun", "sunday", "min", "minggu", "ahad"),
    )
):
    for _name in _names:
        _DAY_NAMES[_name] = _index
del _index, _names, _name

_SHORT_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_CLOSED_WORDS = frozenset({"closed", "off", "tutup", "libur"})
_24_7_WORDS = frozenset({"24/7", "24x7"})
_TIME_RE = re.compile(r"^(\d{1,2})[:.](\d{2})$")


def is_24_7(spec: object) -> bool:
    """True if ``spec`` is the round-the-clock marker "24/7" (or "24x7")."""
    return isinstance(spec, str) and re.sub(r"\s+", "", spec).lower() in _24_7_WORDS


def parse_hours(spec: str | dict) -> dict[int, tuple[Span, ...]]:
    """Parse a working-hours spec into ``{weekday: (Span, ...)}``.

    Accepted forms::

        "24/7"                                    -> {} (use always_open)
        "mon-fri 08:00-12:00,13:00-17:00; sat 08:00-12:00"
        {"mon-fri": "08:00-17:00", "sat": "08:00-12:00", "sun": "closed"}

    Day names: mon tue wed thu fri sat sun (or full English names) and
    Indonesian sen sel rab kam jum sab min (or senin .. minggu).  Ranges such
    as ``mon-fri`` (or wrapping ``fri-mon``) and lists ``mon,wed`` work.  Times
    are ``HH:MM`` (``HH.MM`` also accepted); ``24:00`` may end a span;
    ``22:00-06:00`` runs past midnight.  A day may be marked ``closed``.
    Raises ValueError naming the offending part.
    """
    if is_24_7(spec):
        return {}
    entries: list[tuple[str, str, str]] = []  # (days text, times text, context)
    if isinstance(spec, str):
        if not spec.strip():
            raise ValueError("hours spec is empty (expected e.g. 'mon-fri 08:00-17:00' or '24/7')")
        for clause in spec.split(";"):
            if not clause.strip():
                continue
            text = _squeeze(clause)
            parts = text.split(" ", 1)
            if len(parts) < 2:
                if parts[0][:1].isdigit():
                    raise ValueError(f"missing day names before {clause.strip()!r} (expected e.g. 'mon-fri {parts[0]}')")
                raise ValueError(f"no hours given for {clause.strip()!r} (expected e.g. 'mon-fri 08:00-17:00')")
            if parts[0][:1].isdigit():
                raise ValueError(f"missing day names before {parts[0]!r} in {clause.strip()!r}")
            entries.append((parts[0], parts[1], clause.strip()))
    elif isinstance(spec, dict):
        if not spec:
            raise ValueError("hours spec is an empty dict (expected e.g. {'mon-fri': '08:00-17:00'})")
        for key, value in spec.items():
            if isinstance(key, int) and not isinstance(key, bool):
                if not 0 <= key <= 6:
                    raise ValueError(f"bad day {key!r}: weekday numbers run from 0 (Mon) to 6 (Sun)")
                days_text = _SHORT_NAMES[key]
            elif isinstance(key, str):
                days_text = _squeeze(key)
            else:
                raise ValueError(f"bad day key {key!r}: expected a day name such as 'mon' or 'mon-fri'")
            if isinstance(value, str):
                times_text = value
            elif isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
                times_text = ",".join(value)
            else:
                raise ValueError(f"hours for {key!r} must be a string like '08:00-17:00', got {value!r}")
            times_text = _squeeze(times_text)
            if not times_text:
                raise ValueError(f"no hours given for {key!r} (use 'closed' for a day off)")
            entries.append((days_text, times_text, f"{key}: {value}"))
    else:
        raise ValueError(f"hours spec must be a string or a dict, got {type(spec).__name__}")

    spans_by_day: dict[int, list[Span]] = {}
    closed: set[int] = set()
    for days_text, times_text, context in entries:
        days = _parse_days(days_text, context)
        if times_text.lower() in _CLOSED_WORDS:
            closed.update(days)
            continue
        spans = [_parse_span(token, context) for token in re.split(r"[,\s]+", times_text) if token]
        for day in days:
            spans_by_day.setdefault(day, []).extend(spans)

    both = closed & spans_by_day.keys()
    if both:
        names = ", ".join(_SHORT_NAMES[d] for d in sorted(both))
        raise ValueError(f"day(s) {names} are marked closed but also have hours")

    result: dict[int, tuple[Span, ...]] = {}
    for day in sorted(spans_by_day):
        spans = sorted(spans_by_day[day], key=lambda s: s.start)
        _check_overlap(day, spans)
        result[day] = tuple(spans)
    if not result:
        raise ValueError("hours spec defines no working time at all (use '24/7' for always open)")
    return result


def _squeeze(text: str) -> str:
    """Collapse whitespace and drop spaces around '-' and ','."""
    text = text.replace("\u2013", "-").replace("\u2014", "-")
    text = re.sub(r"\s*([-,])\s*", r"\1", text.strip())
    return re.sub(r"\s+", " ", text)


def _parse_days(text: str, context: str) -> list[int]:
    days: list[int] = []
    for item in text.lower().split(","):
        if not item:
            raise ValueError(f"empty day name in {context!r}")
        if "-" in item:
            first, _, last = item.partition("-")
            a = _day_index(first, context)
            b = _day_index(last, context)
            days.extend((a + i) % 7 for i in range((b - a) % 7 + 1))
        else:
            days.append(_day_index(item, context))
    return sorted(set(days))


def _day_index(name: str, context: str) -> int:
    try:
        return _DAY_NAMES[name.strip()]
    except KeyError:
        raise ValueError(
            f"unknown day name {name.strip()!r} in {context!r} "
            "(expected mon tue wed thu fri sat sun or sen sel rab kam jum sab min)"
        ) from None


def _parse_span(token: str, context: str) -> Span:
    start_text, sep, end_text = token.partition("-")
    if not sep or not start_text or not end_text or "-" in end_text:
        raise ValueError(f"bad time span {token!r} in {context!r} (expected HH:MM-HH:MM, e.g. 08:00-17:00)")
    start = _parse_time(start_text, token, context, is_end=False)
    end = _parse_time(end_text, token, context, is_end=True)
    if start == end and end_text not in ("24:00", "24.00"):
        raise ValueError(
            f"time span {token!r} in {context!r} has zero length (use 00:00-24:00 for a whole day)"
        )
    return Span(start, end)


def _parse_time(text: str, token: str, context: str, *, is_end: bool) -> time:
    match = _TIME_RE.match(text)
    if not match:
        raise ValueError(f"bad time {text!r} in span {token!r} of {context!r} (expected HH:MM)")
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour == 24 and minute == 0:
        if not is_end:
            raise ValueError(f"24:00 can only end a span, not start it: {token!r} in {context!r}")
        return time(0)
    if hour > 23 or minute > 59:
        raise ValueError(f"time {text!r} out of range in span {token!r} of {context!r}")
    return time(hour, minute)


def _check_overlap(day: int, spans: list[Span]) -> None:
    """Reject spans of the same day that overlap (touching is fine)."""

    def seconds(t: time) -> int:
        return t.hour * 3600 + t.minute * 60 + t.second

    reach = -1
    previous: Span | None = None
    for span in spans:  # sorted by start
        start = seconds(span.start)
        end = seconds(span.end) + (86400 if span.overnight else 0)
        if previous is not None and start < reach:
            raise ValueError(f"overlapping spans on {_SHORT_NAMES[day]}: {previous} and {span}")
        if end > reach:
            reach, previous = end, span
