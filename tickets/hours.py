"""Working hours: the ``Span`` of one working period and the hours-spec parser.

Standard library only. ``parse_hours`` turns the teams file's ``hours`` text (or
table) into ``{weekday: (Span, ...)}``; tickets/calendar.py does the arithmetic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time

__all__ = ["DEFAULT_HOURS", "Span", "is_24_7", "normalise_hours", "parse_hours"]


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

DEFAULT_HOURS: dict[int, tuple[Span, ...]] = {
    day: (Span(time(8, 0), time(17, 0)),) for day in range(5)
}


def normalise_hours(hours: dict[int, tuple[Span, ...]]) -> dict[int, tuple[Span, ...]]:
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
