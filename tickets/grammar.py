"""The `/ticket` command grammar shared by every adapter (Slack, Discord, console).

`parse(text)` turns the text typed after `/ticket` into a `Command`. It accepts
English and Indonesian command words, case-insensitively, and refuses anything
malformed with a `ValidationError` carrying a catalog key; no other exception
ever leaves `parse`.

Standard library only.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from tickets.dates import Duration, DueSpec, parse_due, parse_duration, parse_iso_date
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
    "due": "due <KEY> <besok|friday [10:00]|17/12|17 Dec|end of week|3d|4h>",
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
    "snooze": "snooze <KEY> <4h|besok|monday 10:00|…> [reason]",
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

_PREFIX_RE = re.compile(r"^/(?:ticket|tiket)(?=\s|$)", re.IGNORECASE)
_TEAM_RE = re.compile(r"[A-Za-z][A-Za-z0-9]{0,9}")
_KEY_RE = re.compile(r"([A-Za-z][A-Za-z0-9]{0,9})-([0-9]{1,12})")
_PERIOD_SPAN_RE = re.compile(r"([0-9]{1,4})(d|days?|hari|w|wks?|weeks?|minggu)", re.IGNORECASE)
_PERIOD_MONTH_RE = re.compile(r"([0-9]{4})-([0-9]{1,2})")
_RATING_RE = re.compile(r"[1-5]")
_WORD_RE = re.compile(r"\S+")

# --------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------


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
    duration: Duration | None = None
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
        first, last = parse_iso_date(start), parse_iso_date(end)
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
    # the longest run of leading words that reads as a deadline ("1d 4h", "3 jam", "senin 10:00")
    for count in range(min(len(words), 6), 0, -1):
        end = words[count - 1].end()
        try:
            spec = parse_due(more[:end])
        except ValidationError:
            continue
        return Command(action, key=key, due=spec, duration=spec.duration, text=_free_text(more[end:]))
    raise ValidationError("bad_date", value=_clip(words[0].group()))


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
