"""The message catalog: gettext .po files read with Babel, one per area and language.

Keys are stable ids (``claimed``, ``error.not_found`` …); every area (core,
slack, discord, sla, reports) keeps its own ``bot/locales/<lang>/<area>.po`` so
that people working on different parts never edit the same file.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from string import Formatter
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from babel.messages.pofile import read_po

LOCALES = Path(__file__).resolve().parent / "locales"
LANGUAGES = ("en", "id")
log = logging.getLogger(__name__)


def normalise_language(locale: str | None, fallback: str = "en") -> str:
    """Map a platform locale (``id-ID``, ``en_US``, ``id``) to a catalog language."""
    if not locale:
        return fallback
    lang = locale.replace("_", "-").split("-")[0].lower()
    if lang == "in":  # old Java/Android code for Indonesian
        lang = "id"
    return lang if lang in LANGUAGES else fallback


@lru_cache(maxsize=None)
def catalog(lang: str) -> dict[str, str]:
    messages: dict[str, str] = {}
    for path in sorted((LOCALES / lang).glob("*.po")):
        with path.open("rb") as fh:
            for message in read_po(fh, locale=lang):
                if message.id and message.string:
                    messages[str(message.id)] = str(message.string)
    return messages


class _Safe(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def t(msg_id: str, lang: str = "en", /, **params: object) -> str:
    """Translate `msg_id` into `lang` and fill in its {placeholders}."""
    lang = normalise_language(lang)
    text = catalog(lang).get(msg_id) or catalog("en").get(msg_id)
    if text is None:
        log.error("message key %r missing from the catalog", msg_id)
        text = msg_id
    try:
        return text.format_map(_Safe(params))
    except (ValueError, IndexError):
        return text


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in Formatter().parse(text) if field}


def format_duration(delta: timedelta, lang: str = "en") -> str:
    """Short human duration: ``2d 3h``, ``45m`` (Indonesian: ``2h 3j``, ``45m``)."""
    seconds = int(abs(delta.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    units = [(days, t("unit.day", lang)), (hours, t("unit.hour", lang)), (minutes, t("unit.minute", lang))]
    parts = [f"{n}{u}" for n, u in units if n][:2]
    return " ".join(parts) if parts else f"{secs}{t('unit.second', lang)}"


def format_when(at: datetime | str | None, lang: str = "en", tz: str = "UTC") -> str:
    if at is None:
        return "-"
    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    if at.tzinfo is None:
        at = at.replace(tzinfo=timezone.utc)
    local = at.astimezone(ZoneInfo(tz))
    return format_datetime(local, "d MMM y HH:mm", locale=normalise_language(lang)) + f" ({local.tzname()})"
