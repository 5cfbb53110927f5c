"""Outbox messages as WhatsApp messages: text, interactive lists (choose a team, a ticket,
a rating) and the approved template used outside the 24-hour window.

WhatsApp's limits: a list has at most 10 rows (row title 24, description 72 characters),
its button label 20, an interactive body 1024 characters, a text message 4096.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.i18n import t
from bot.render import render_error, render_message
from tickets.errors import TicketError
from tickets.messages import N_

BODY, TEXT, ROW_TITLE, ROW_DESCRIPTION, BUTTON = 1024, 4096, 24, 72, 20
LISTS = {"wa_choose_team": N_("wa.choose_team_button"), "wa_choose_ticket": N_("wa.choose_ticket_button")}
SHORT_STATUS = {"claimed": N_("wa.short.claimed"), "assigned": N_("wa.short.claimed"),
                "waiting": N_("wa.short.waiting"), "resolved": N_("wa.short.resolved"),
                "closed": N_("wa.short.closed"), "reopened": N_("wa.short.reopened"),
                "cancelled": N_("wa.short.closed"), "comment_added": N_("wa.short.comment")}


def clip(text: str, limit: int) -> str:
    text = text or ""
    return text if len(text) <= limit else text[:limit - 1] + "…"


def digits(number: str) -> str:
    return number.lstrip("+")


def text_message(to: str, body: str) -> dict:
    return {"to": digits(to), "type": "text", "text": {"body": clip(body, TEXT), "preview_url": False}}


def list_message(to: str, body: str, button: str, rows: list[dict[str, str]], section: str) -> dict:
    shown = [{"id": r["id"], "title": clip(r["title"], ROW_TITLE),
              **({"description": clip(r["description"], ROW_DESCRIPTION)} if r.get("description") else {})}
             for r in rows]
    return {"to": digits(to), "type": "interactive",
            "interactive": {"type": "list", "body": {"text": clip(body, BODY)},
                            "action": {"button": clip(button, BUTTON),
                                       "sections": [{"title": clip(section, ROW_TITLE), "rows": shown}]}}}


def template_message(to: str, name: str, language: str, key: str, status: str) -> dict:
    return {"to": digits(to), "type": "template",
            "template": {"name": name, "language": {"code": language},
                         "components": [{"type": "body", "parameters": [{"type": "text", "text": key},
                                                                        {"type": "text", "text": status}]}]}}


def short_status(template: str, lang: str) -> str:
    return t(SHORT_STATUS.get(template, N_("wa.short.update")), lang)


def error_text(err: TicketError, lang: str) -> str:
    return render_error(err, lang)


def render(to: str, template: str, params: dict[str, Any], lang: str, now: datetime | None = None) -> dict:
    """The Graph API message for one outbox message."""
    if template in LISTS:
        rows = [{"id": r["id"], "title": t("wa.more", lang) if r.get("more") else r["title"],
                 "description": r.get("description") or ""} for r in params.get("rows", [])]
        body = t(f"msg.{template}", lang, **{k: v for k, v in params.items() if k != "rows"})
        return list_message(to, body, t(LISTS[template], lang), rows, t("wa.section", lang))
    text = render_message(template, {k: v for k, v in params.items() if k != "rate"}, lang, now)
    if template == "resolved" and params.get("rate"):
        key = params.get("key")
        text += "\n" + t("wa.rate_prompt", lang, key=key)
        rows = [{"id": f"rate:{key}:{n}", "title": "⭐" * n + f" {n}",
                 "description": t(f"wa.rate.{n}", lang)} for n in range(5, 0, -1)]
        return list_message(to, text, t("wa.rate_button", lang), rows, t("wa.rate_section", lang))
    return text_message(to, text)
