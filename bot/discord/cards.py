"""The ticket card (an embed) and the text of outbox messages, the Discord way."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Callable

import discord

from bot.i18n import t
from bot.render import priority_label, status_label
from bot.workflows_render import card_fields
from bot.timeleft import deadlines

COLOURS = {"new": 0x3498DB, "in_progress": 0xF1C40F, "waiting": 0x9B59B6, "resolved": 0x2ECC71,
           "closed": 0x95A5A6, "cancelled": 0x7F8C8D}
PEOPLE = ("actor", "assignee", "requester", "user")


def mention(user: str | None) -> str | None:
    """``discord:42`` -> ``<@42>``; other platforms' ids are left for render.who()."""
    if user and user.startswith("discord:"):
        return f"<@{user.split(':', 1)[1]}>"
    return user


def with_mentions(params: dict[str, Any]) -> dict[str, Any]:
    return {k: (mention(v) if k in PEOPLE and isinstance(v, str) else v) for k, v in params.items()}


def card_embed(params: dict[str, Any], lang: str, now: datetime | None = None, calendar=None,
               names: Callable[[str | None], str] | None = None) -> discord.Embed:
    """The card; people by display name when `names` is given (else as mentions)."""
    status = str(params.get("status") or "new")
    embed = discord.Embed(title=f"{params['key']} · {params.get('title') or ''}"[:256],
                          colour=COLOURS.get(status, 0x3498DB))
    embed.add_field(name=t("field.status", lang), value=status_label(status, lang))
    embed.add_field(name=t("field.priority", lang), value=priority_label(str(params.get("priority") or "normal"), lang))
    embed.add_field(name=t("field.requester", lang), value=_who(params.get("requester"), lang, names))
    embed.add_field(name=t("field.assignee", lang), value=_who(params.get("assignee"), lang, names))
    for label, text in deadlines(params, lang, now, calendar):
        embed.add_field(name=label, value=text)
    if params.get("category"):
        embed.add_field(name=t("field.category", lang), value=str(params["category"]))
    for label, value in card_fields(params, lang):  # approval, fields, tags, old keys (issue 15)
        embed.add_field(name=label, value=value[:1024])
    embed.set_footer(text=t("discord.card.footer", lang))
    return embed


def _who(user: Any, lang: str, names=None) -> str:
    if not user:
        return t("unassigned", lang)
    if names is not None:
        return names(str(user))
    shown = mention(str(user)) or "-"
    return shown.split(":", 1)[1] if ":" in shown else shown


def thread_name(key: str, title: str) -> str:
    return f"{key} {title}"[:100]
