"""The one "time left" figure every place shows (replies, cards, show, list, App Home,
reminders): business time of the team's calendar, split into whole working days and
hours/minutes with units that read the same in each language ("2 working days 3 h",
"2 hari kerja 3 jam"), next to the deadline as a local date and time in the team's zone.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from bot.i18n import format_when, t
from tickets.workdays import split_left

__all__ = ["deadline_text", "deadlines", "format_seconds", "format_span", "split_left", "time_left"]


def _aware(value: datetime | str) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def format_span(days: int, seconds: int, lang: str) -> str:
    """"2 working days 3 h", "3 h 20 min", "45 min" (at most two parts; floor to the minute)."""
    hours, rest = divmod(max(0, int(seconds)), 3600)
    minutes = rest // 60
    parts = []
    if days:
        parts.append(t("left.day", lang, n=days) if days == 1 else t("left.days", lang, n=days))
    if hours:
        parts.append(t("left.hours", lang, n=hours))
    if minutes and not days:
        parts.append(t("left.minutes", lang, n=minutes))
    if not parts and rest % 60:
        parts.append(t("left.seconds", lang, n=rest % 60))
    return " ".join(parts[:2]) or t("left.under_minute", lang)


def format_seconds(seconds: float, lang: str) -> str:
    """Business seconds without a deadline to place them: hours and minutes only."""
    return format_span(0, int(seconds), lang)


def time_left(due: datetime | str | None, now: datetime | None, lang: str, calendar=None) -> str:
    """"2 working days 3 h left" / "overdue by 3 h" in the team's business time."""
    if due is None or now is None:
        return "-"
    due, now = _aware(due), _aware(now)
    if due >= now:
        return t("time.left", lang, duration=format_span(*split_left(calendar, now, due), lang))
    return t("time.overdue", lang, duration=format_span(*split_left(calendar, due, now), lang))


def deadline_text(due: datetime | str | None, lang: str, tz: str, now: datetime | None = None, calendar=None,
                  open_: bool = True) -> str:
    """"18 Dec 2026 17:00 (WIB) · 2 working days 3 h left"."""
    if due is None:
        return "-"
    text = format_when(due, lang, tz)
    if now is not None and open_:
        text += f" · {time_left(due, now, lang, calendar)}"
    return text


def deadlines(params: dict[str, Any], lang: str, now: datetime | None = None, calendar=None) -> list[tuple[str, str]]:
    """A card's deadlines still to meet: (label, text) for the first response and the resolution."""
    open_ = params.get("status") in ("new", "in_progress", "waiting")
    tz = params.get("tz") or "UTC"
    out = []
    if params.get("response_due") and open_:
        out.append((t("field.response_due", lang),
                    deadline_text(params["response_due"], lang, tz, now, calendar, open_)))
    if params.get("due"):
        out.append((t("field.due", lang), deadline_text(params["due"], lang, tz, now, calendar, open_)))
    return out
