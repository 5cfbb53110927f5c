"""The `/ticket` command grammar shared by every adapter (Slack, Discord, console).

`parse(text)` turns the text typed after `/ticket` into a `Command`. It accepts
English and Indonesian command words, case-insensitively, and refuses anything
malformed with a `ValidationError` carrying a catalog key; no other exception
ever leaves `parse`.

Standard library only.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from datetime import timedelta, timezone
from zoneinfo import ZoneInfo

from tickets.errors import ValidationError

__all__ = [
    "ACTIONS",
    "ALIASES",
    "INDONESIAN",
    "USAGE",
    "Command",
    "DueSpec",
    "is_period",
    "parse",
    "parse_due",
    "parse_duration",
]

TITLE_MAX = 150
DESCRIPTION_MAX = 4000
TEXT_MAX = 4000
MAX_DURATION = timedelta(days=3650)
_CLIP = 80  # longest user text echoed back inside an error parameter

# --------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------

ACTIONS: tuple[str, ...] = (
    "form", "new", "list", "show", "claim", "unclaim", "assign", "priority",
    "due", "wait", "resolve", "close", "reopen", "cancel", "comment", "note",
    "rate", "watch", "history", "help", "snooze", "stats", "export",
)

# canonical action -> its Indonesian command word ("form" has none of its own)
INDONESIAN: dict[str, str] = {
    "new": "buat", "list": "daftar", "show": "lihat", "claim": "ambil",
    "unclaim": "lepas", "assign": "tugaskan", "priority": "prioritas",
    "due": "tenggat", "wait": "tunggu", "resolve": "selesai", "close": "tutup",
    "reopen": "buka", "cancel": "batal", "comment": "komentar", "note": "catatan",
    "rate": "nilai", "watch": "pantau", "history": "riwayat", "help": "bantuan",
    "snooze": "tunda", "stats": "statistik", "export": "ekspor",
}

# typed command word (lower case) -> canonical action
ALIASES: dict[str, str] = {a: a for a in ACTIONS if a != "form"}
ALIASES.update({word: action for action, word in INDONESIAN.items()})

USAGE: dict[str, str] = {
    "": "<command> [arguments] (see: help)",
    "form": "new [TEAM]",
    "new": "new <TEAM> <title> [| description]",
    "list": "list [mine|assigned|team <TEAM>|open|all|status <status>|search <text>]",
    "show": "show <KEY>",
    "claim": "claim <KEY>",
    "unclaim": "unclaim <KEY>",
    "assign": "assign <KEY> <user>",
    "priority": "priority <KEY> <low|normal|high|urgent>",
    "due": "due <KEY> <YYYY-MM-DD|DD-MM-YYYY [HH:MM] | HH:MM | duration>",
    "wait": "wait <KEY> [reason]",
    "resolve": "resolve <KEY> [note]",
    "close": "close <KEY> [note]",
    "reopen": "reopen <KEY> [reason]",
    "cancel": "cancel <KEY>",
    "comment": "comment <KEY> <text>",
    "note": "note <KEY> <text>",
    "rate": "rate <KEY> <1-5> [comment]",
    "watch": "watch <KEY>",
    "history": "history <KEY>",
    "help": "help [command]",
    "snooze": "snooze <KEY> <duration> [reason]",
    "stats": "stats [TEAM] [period]",
    "export": "export [TEAM] [period]",
}

PRIORITIES: dict[str, str] = {
    "low": "low", "rendah": "low",
    "normal": "normal", "sedang": "normal",
    "high": "high", "tinggi": "high",
    "urgent": "urgent", "mendesak": "urgent",
}

_LIST_SCOPES: dict[str, str] = {
    "mine": "mine", "saya": "mine",
    "assigned": "assigned", "ditugaskan": "assigned",
    "team": "team", "tim": "team",
    "open": "open", "terbuka": "open",
    "all": "all", "semua": "all",
    "status": "status",
    "search": "search", "cari": "search",
}

_STATUSES: dict[str, str] = {
    "new": "new", "baru": "new",
    "in_progress": "in_progress", "inprogress": "in_progress",
    "progress": "in_progress", "dikerjakan": "in_progress",
    "proses": "in_progress", "diproses": "in_progress",
    "waiting": "waiting", "menunggu": "waiting",
    "resolved": "resolved", "selesai": "resolved",
    "closed": "closed", "ditutup": "closed",
    "cancelled": "cancelled", "canceled": "cancelled",
    "dibatalkan": "cancelled", "batal": "cancelled",
}

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

_PREFIX_RE = re.compile(r"^/(?:ticket|tiket)(?=\s|$)", re.IGNORECASE)
_TEAM_RE = re.compile(r"[A-Za-z][A-Za-z0-9]{0,9}")
_KEY_RE = re.compile(r"([A-Za-z][A-Za-z0-9]{0,9})-([0-9]{1,12})")
_DUR_PART_RE = re.compile(r"([0-9]{1,7})\s*([a-z]+)\s*")
_ISO_DATE_RE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_DMY_DATE_RE = re.compile(r"([0-9]{1,2})-([0-9]{1,2})-([0-9]{4})")
_TIME_RE = re.compile(r"([01]?[0-9]|2[0-3])[:.]([0-5][0-9])")
_ISO_T_RE = re.compile(r"(?<=[0-9])[Tt](?=[0-9])")
_PERIOD_SPAN_RE = re.compile(r"([0-9]{1,4})(d|days?|hari|w|wks?|weeks?|minggu)", re.IGNORECASE)
_PERIOD_MONTH_RE = re.compile(r"([0-9]{4})-([0-9]{1,2})")
_RATING_RE = re.compile(r"[1-5]")
_WORD_RE = re.compile(r"\S+")

# --------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------


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
            return _format_duration(self.duration)
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


@dataclass(frozen=True)
class Command:
    """One parsed `/ticket` command. Unused fields stay None.

    For "help", `text` holds the canonical action asked about, if any.
    For "assign"/"priority"/"rate"/"snooze", trailing words go to `text`.
    """

    action: str
    key: str | None = None
    team: str | None = None
    title: str | None = None
    description: str | None = None
    text: str | None = None
    user: str | None = None
    priority: str | None = None
    rating: int | None = None
    duration: timedelta | None = None
    due: DueSpec | None = None
    scope: str | None = None
    status: str | None = None


# --------------------------------------------------------------------------
# Public parsers
# --------------------------------------------------------------------------


def parse(text: str) -> Command:
    """Parse the text after `/ticket`. Raises only ValidationError."""
    if not isinstance(text, str):
        raise ValidationError("usage", command="")
    body = _PREFIX_RE.sub("", text.strip(), count=1)
    word, rest = _split_first(body)
    if not word:
        return Command("form")
    action = ALIASES.get(word.lower())
    if action is None:
        raise ValidationError("unknown_command", word=_clip(word))
    return _HANDLERS[action](action, rest)


def parse_duration(text: str) -> timedelta:
    """"30s" "15m" "4h" "2d" "1w" "1d4h" "1d 4h" "2hari" "3 jam" "15menit" "1minggu".

    Zero, negative, unit-less and over-long (> MAX_DURATION) durations are refused
    with ValidationError("bad_duration", value=text).
    """
    raw = text if isinstance(text, str) else ""
    bad = ValidationError("bad_duration", value=_clip(raw.strip()))
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
    bad = ValidationError("bad_deadline", value=_clip(raw))
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
        parsed_date = _parse_date(low)
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


def is_period(text: str) -> bool:
    """True for a stats/export period: "7d", "4w", "30hari", "2026-11",
    or an inclusive ISO date range "2026-11-01..2026-11-27"."""
    if not isinstance(text, str):
        return False
    m = _PERIOD_SPAN_RE.fullmatch(text)
    if m is not None:
        return int(m.group(1)) > 0
    m = _PERIOD_MONTH_RE.fullmatch(text)
    if m is not None:
        return 1 <= int(m.group(2)) <= 12
    start, sep, end = text.partition("..")
    if sep:
        first, last = _parse_iso_date(start), _parse_iso_date(end)
        return first is not None and last is not None and first <= last
    return False


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def _clip(value: str) -> str:
    return value if len(value) <= _CLIP else value[: _CLIP - 1] + "\u2026"


def _split_first(s: str) -> tuple[str, str]:
    """First whitespace-delimited word and the trimmed remainder (kept as typed)."""
    parts = s.strip().split(None, 1)
    if not parts:
        return "", ""
    return parts[0], (parts[1].strip() if len(parts) > 1 else "")


def _usage(action: str) -> ValidationError:
    return ValidationError("usage", command=action)


def _key(word: str) -> str:
    m = _KEY_RE.fullmatch(word)
    if m is None or int(m.group(2)) == 0:
        raise ValidationError("bad_key", value=_clip(word))
    return f"{m.group(1).upper()}-{int(m.group(2))}"


def _team(word: str) -> str | None:
    return word.upper() if _TEAM_RE.fullmatch(word) else None


def _free_text(text: str) -> str | None:
    text = text.strip()
    if len(text) > TEXT_MAX:
        raise ValidationError("description_too_long", max=TEXT_MAX)
    return text or None


def _require_key(action: str, rest: str) -> tuple[str, str]:
    word, more = _split_first(rest)
    if not word:
        raise _usage(action)
    return _key(word), more


def _parse_iso_date(text: str) -> _dt.date | None:
    m = _ISO_DATE_RE.fullmatch(text)
    if m is None:
        return None
    try:
        return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _parse_date(text: str) -> _dt.date | None:
    found = _parse_iso_date(text)
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


def _format_duration(value: timedelta) -> str:
    seconds = int(value.total_seconds())
    if seconds <= 0:
        return str(value)
    out = []
    for unit, size in (("w", _WEEK), ("d", _DAY), ("h", _HOUR), ("m", _MINUTE), ("s", _SECOND)):
        count, seconds = divmod(seconds, size)
        if count:
            out.append(f"{count}{unit}")
    return "".join(out)


# --------------------------------------------------------------------------
# Per-action handlers: (action, rest-of-text) -> Command
# --------------------------------------------------------------------------


def _new(action: str, rest: str) -> Command:
    word, after = _split_first(rest)
    if not word:
        return Command("form")
    team = _team(word)
    if team is None:
        raise _usage(action)
    if not after:
        return Command("form", team=team)
    title, _, description = after.partition("|")
    title, description = title.strip(), description.strip()
    if not title:
        raise _usage(action)
    if len(title) > TITLE_MAX:
        raise ValidationError("title_too_long", max=TITLE_MAX)
    if len(description) > DESCRIPTION_MAX:
        raise ValidationError("description_too_long", max=DESCRIPTION_MAX)
    return Command(action, team=team, title=title, description=description or None)


def _list(action: str, rest: str) -> Command:
    word, more = _split_first(rest)
    if not word:
        return Command(action, scope="mine")
    scope = _LIST_SCOPES.get(word.lower())
    if scope is None:
        raise _usage(action)
    if scope == "team":
        team_word, extra = _split_first(more)
        team = _team(team_word) if team_word else None
        if team is None or extra:
            raise _usage(action)
        return Command(action, scope=scope, team=team)
    if scope == "status":
        status = _STATUSES.get(re.sub(r"[\s\-]+", "_", more.lower()))
        if status is None:
            raise _usage(action)
        return Command(action, scope=scope, status=status)
    if scope == "search":
        text = _free_text(more)
        if text is None:
            raise _usage(action)
        return Command(action, scope=scope, text=text)
    if more:
        raise _usage(action)
    return Command(action, scope=scope)


def _key_only(action: str, rest: str) -> Command:
    key, more = _require_key(action, rest)
    if more:
        raise _usage(action)
    return Command(action, key=key)


def _key_optional_text(action: str, rest: str) -> Command:
    key, more = _require_key(action, rest)
    return Command(action, key=key, text=_free_text(more))


def _key_required_text(action: str, rest: str) -> Command:
    key, more = _require_key(action, rest)
    text = _free_text(more)
    if text is None:
        raise _usage(action)
    return Command(action, key=key, text=text)


def _assign(action: str, rest: str) -> Command:
    key, more = _require_key(action, rest)
    if not more:
        raise _usage(action)
    close = more.find(">") if more.startswith("<") else -1
    if close > 0:  # a chat mention, which may hold a display name with spaces
        user, after = more[: close + 1], more[close + 1:]
    else:
        user, after = _split_first(more)
    return Command(action, key=key, user=user, text=_free_text(after))


def _priority(action: str, rest: str) -> Command:
    key, more = _require_key(action, rest)
    level, after = _split_first(more)
    if not level:
        raise _usage(action)
    priority = PRIORITIES.get(level.lower())
    if priority is None:
        raise ValidationError("bad_priority", value=_clip(level))
    return Command(action, key=key, priority=priority, text=_free_text(after))


def _due(action: str, rest: str) -> Command:
    key, more = _require_key(action, rest)
    if not more:
        raise _usage(action)
    spec = parse_due(more)
    return Command(action, key=key, due=spec, duration=spec.duration)


def _snooze(action: str, rest: str) -> Command:
    key, more = _require_key(action, rest)
    words = list(_WORD_RE.finditer(more))
    if not words:
        raise _usage(action)
    # the longest run of leading words that reads as a duration ("1d 4h", "3 jam")
    for count in range(min(len(words), 6), 0, -1):
        end = words[count - 1].end()
        try:
            duration = parse_duration(more[:end])
        except ValidationError:
            continue
        return Command(action, key=key, duration=duration, text=_free_text(more[end:]))
    raise ValidationError("bad_duration", value=_clip(words[0].group()))


def _rate(action: str, rest: str) -> Command:
    key, more = _require_key(action, rest)
    score, after = _split_first(more)
    if not score:
        raise _usage(action)
    if not _RATING_RE.fullmatch(score):
        raise ValidationError("bad_rating", value=_clip(score))
    return Command(action, key=key, rating=int(score), text=_free_text(after))


def _help(action: str, rest: str) -> Command:
    word, more = _split_first(rest)
    if not word:
        return Command(action)
    if more:
        raise _usage(action)
    topic = ALIASES.get(word.lower())
    if topic is None:
        raise ValidationError("unknown_command", word=_clip(word))
    return Command(action, text=topic)


def _report(action: str, rest: str) -> Command:
    """stats/export: [TEAM] [period], either order; the period is kept raw in `scope`."""
    words = rest.split()
    if len(words) > 2:
        raise _usage(action)
    team: str | None = None
    period: str | None = None
    for word in words:
        if period is None and is_period(word):
            period = word
        elif team is None and _TEAM_RE.fullmatch(word):
            team = word.upper()
        else:
            raise _usage(action)
    return Command(action, team=team, scope=period)


_HANDLERS = {
    "new": _new,
    "list": _list,
    "show": _key_only,
    "claim": _key_only,
    "unclaim": _key_only,
    "cancel": _key_only,
    "watch": _key_only,
    "history": _key_only,
    "assign": _assign,
    "priority": _priority,
    "due": _due,
    "wait": _key_optional_text,
    "resolve": _key_optional_text,
    "close": _key_optional_text,
    "reopen": _key_optional_text,
    "comment": _key_required_text,
    "note": _key_required_text,
    "rate": _rate,
    "help": _help,
    "snooze": _snooze,
    "stats": _report,
    "export": _report,
}
