"""The arguments of `/ticket` commands: the parsed `Command` and one syntax function
per command shape, `(action, rest-of-text) -> Command`.

The command table (tickets/commands.py) names which syntax each command uses;
every refusal is a `ValidationError` carrying a catalog key. Standard library only.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from tickets.dates import Duration, DueSpec, clip, parse_due
from tickets.errors import ValidationError
from tickets.periods import is_period

TITLE_MAX = 150
DESCRIPTION_MAX = 4000
TEXT_MAX = 4000

PRIORITIES: dict[str, str] = {
    "low": "low", "rendah": "low",
    "normal": "normal", "sedang": "normal",
    "high": "high", "tinggi": "high",
    "urgent": "urgent", "mendesak": "urgent",
}

LIST_SCOPES: dict[str, str] = {
    "mine": "mine", "saya": "mine",
    "assigned": "assigned", "ditugaskan": "assigned",
    "team": "team", "tim": "team",
    "open": "open", "terbuka": "open",
    "all": "all", "semua": "all",
    "status": "status",
    "search": "search", "cari": "search",
    "tag": "tag", "label": "tag",  # list tag printer (issue 15)
    "priority": "priority", "prioritas": "priority",
    "category": "category", "kategori": "category",
    "assignee": "assignee", "petugas": "assignee",
}

STATUSES: dict[str, str] = {
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

_TEAM_RE = re.compile(r"[A-Za-z][A-Za-z0-9]{0,9}")
_KEY_RE = re.compile(r"([A-Za-z][A-Za-z0-9]{0,9})-([0-9]{1,12})")
_RATING_RE = re.compile(r"[1-5]")
_WORD_RE = re.compile(r"\S+")


@dataclass(frozen=True)
class Command:
    """One parsed `/ticket` command. Unused fields stay None.

    For "help", `text` holds the canonical action asked about, if any.
    For "assign"/"priority"/"rate"/"snooze", trailing words go to `text`.
    For "stats"/"export", `scope` holds the period as typed.
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
    duration: Duration | None = None  # business time (tickets/dates.py)
    due: DueSpec | None = None
    scope: str | None = None
    status: str | None = None


# -- single arguments ------------------------------------------------------------------
def split_first(s: str) -> tuple[str, str]:
    """First whitespace-delimited word and the trimmed remainder (kept as typed)."""
    parts = s.strip().split(None, 1)
    if not parts:
        return "", ""
    return parts[0], (parts[1].strip() if len(parts) > 1 else "")


def usage(action: str) -> ValidationError:
    return ValidationError("usage", command=action)


def ticket_key(word: str) -> str:
    m = _KEY_RE.fullmatch(word.strip())
    if m is None or int(m.group(2)) == 0:
        raise ValidationError("bad_key", value=clip(word))
    return f"{m.group(1).upper()}-{int(m.group(2))}"


def team_key(word: str) -> str | None:
    return word.upper() if _TEAM_RE.fullmatch(word) else None


def free_text(text: str | None) -> str | None:
    text = (text or "").strip()
    if len(text) > TEXT_MAX:
        raise ValidationError("description_too_long", max=TEXT_MAX)
    return text or None


def priority_level(word: str) -> str:
    level = PRIORITIES.get(word.strip().lower())
    if level is None:
        raise ValidationError("bad_priority", value=clip(word))
    return level


def rating(word: str) -> int:
    if not _RATING_RE.fullmatch(word.strip()):
        raise ValidationError("bad_rating", value=clip(word))
    return int(word)


def _require_key(action: str, rest: str) -> tuple[str, str]:
    word, more = split_first(rest)
    if not word:
        raise usage(action)
    return ticket_key(word), more


# -- one syntax per command shape ---------------------------------------------------------
def new(action: str, rest: str) -> Command:
    word, after = split_first(rest)
    if not word:
        return Command("form")
    team = team_key(word)
    if team is None:
        raise usage(action)
    if not after:
        return Command("form", team=team)
    title, _, description = after.partition("|")
    title, description = title.strip(), description.strip()
    if not title:
        raise usage(action)
    if len(title) > TITLE_MAX:
        raise ValidationError("title_too_long", max=TITLE_MAX)
    if len(description) > DESCRIPTION_MAX:
        raise ValidationError("description_too_long", max=DESCRIPTION_MAX)
    return Command(action, team=team, title=title, description=description or None)


def listing(action: str, rest: str) -> Command:
    word, more = split_first(rest)
    if not word:  # staff: their teams' open queue and their own; requesters: their own
        return Command(action, scope="default")
    scope = LIST_SCOPES.get(word.lower())
    if scope in ("priority", "category", "assignee"):  # filters over what `list open` shows
        value = free_text(more)
        if value is None:
            raise usage(action)
        if scope == "priority":
            return Command(action, scope=scope, priority=priority_level(value))
        return Command(action, scope=scope, text=value) if scope == "category" else \
            Command(action, scope=scope, user=value)
    if scope == "status" and more.strip().lower() in ("open", "terbuka", "buka"):
        return Command(action, scope="open")
    if scope is None:
        raise usage(action)
    if scope == "team":
        team_word, extra = split_first(more)
        team = team_key(team_word) if team_word else None
        if team is None or extra:
            raise usage(action)
        return Command(action, scope=scope, team=team)
    if scope == "status":
        status = STATUSES.get(re.sub(r"[\s\-]+", "_", more.lower()))
        if status is None:
            raise usage(action)
        return Command(action, scope=scope, status=status)
    if scope in ("search", "tag"):
        text = free_text(more)
        if text is None:
            raise usage(action)
        return Command(action, scope=scope, text=text)
    if more:
        raise usage(action)
    return Command(action, scope=scope)


def key_only(action: str, rest: str) -> Command:
    key, more = _require_key(action, rest)
    if more:
        raise usage(action)
    return Command(action, key=key)


def key_optional_text(action: str, rest: str) -> Command:
    key, more = _require_key(action, rest)
    return Command(action, key=key, text=free_text(more))


def key_required_text(action: str, rest: str) -> Command:
    key, more = _require_key(action, rest)
    text = free_text(more)
    if text is None:
        raise usage(action)
    return Command(action, key=key, text=text)


def assign(action: str, rest: str) -> Command:
    key, more = _require_key(action, rest)
    if not more:
        raise usage(action)
    close = more.find(">") if more.startswith("<") else -1
    if close > 0:  # a chat mention, which may hold a display name with spaces
        user, after = more[: close + 1], more[close + 1:]
    else:
        user, after = split_first(more)
    return Command(action, key=key, user=user, text=free_text(after))


def priority(action: str, rest: str) -> Command:
    key, more = _require_key(action, rest)
    level, after = split_first(more)
    if not level:
        raise usage(action)
    return Command(action, key=key, priority=priority_level(level), text=free_text(after))


def due(action: str, rest: str) -> Command:
    key, more = _require_key(action, rest)
    if not more:
        raise usage(action)
    spec = parse_due(more)
    return Command(action, key=key, due=spec, duration=spec.duration)


def snooze(action: str, rest: str) -> Command:
    key, more = _require_key(action, rest)
    words = list(_WORD_RE.finditer(more))
    if not words:
        raise usage(action)
    # the longest run of leading words that reads as a deadline ("1d 4h", "3 jam", "senin 10:00")
    for count in range(min(len(words), 6), 0, -1):
        end = words[count - 1].end()
        try:
            spec = parse_due(more[:end])
        except ValidationError:
            continue
        return Command(action, key=key, due=spec, duration=spec.duration, text=free_text(more[end:]))
    raise ValidationError("bad_date", value=clip(words[0].group()))


def rate(action: str, rest: str) -> Command:
    key, more = _require_key(action, rest)
    score, after = split_first(more)
    if not score:
        raise usage(action)
    return Command(action, key=key, rating=rating(score), text=free_text(after))


def report(action: str, rest: str) -> Command:
    """stats/export: [TEAM] [period], either order; the period is kept as typed in `scope`."""
    words = rest.split()
    if len(words) > 2:
        raise ValidationError("bad_period", value=clip(rest.strip()))
    team: str | None = None
    period: str | None = None
    for word in words:
        if period is None and is_period(word):
            period = word
        elif team is None and _TEAM_RE.fullmatch(word):
            team = word.upper()
        else:  # "last week": say which periods are understood, quoting what was typed
            raise ValidationError("bad_period", value=clip(rest.strip()))
    return Command(action, team=team, scope=period)
