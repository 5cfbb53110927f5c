"""Block Kit builders for cards, DMs, pickers and the App Home, kept inside Slack's limits.

Limits (Slack rejects anything over them with invalid_blocks): 50 blocks in a
message, 100 in a modal or the Home tab, 3,000 characters in a section text,
2,000 in a section field, 75 in a button label or option text, 150 in a header,
24 in a view title. Long texts are cut with an ellipsis here instead.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable

from bot.i18n import t
from bot.render import priority_label, render_card, render_message, status_label, time_left, who
from bot.timeleft import deadlines
from bot.workflows_render import card_fields

MESSAGE_BLOCKS = 50
SURFACE_BLOCKS = 100
SECTION_TEXT = 3000
FIELD_TEXT = 2000
BUTTON_TEXT = 75
OPTION_TEXT = 75
VIEW_TITLE = 24
MESSAGE_TEXT = 3900  # chat.postMessage text; Slack truncates longer ones itself
PRIORITIES = ("low", "normal", "high", "urgent")
OPEN = ("new", "in_progress", "waiting")
PEOPLE = ("actor", "assignee", "requester", "user")
USER_TEXT = ("title", "text", "note", "reason", "comment")


def clip(text: str | None, limit: int) -> str:
    text = text or ""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def escape(text: str) -> str:
    """Slack mrkdwn control characters in people's text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mention(user: str | None) -> str | None:
    """``slack:U1`` -> ``slack:<@U1>`` (render.who then shows a Slack mention)."""
    if user and user.startswith("slack:"):
        return f"slack:<@{user.split(':', 1)[1]}>"
    return user


def slack_params(params: dict[str, Any]) -> dict[str, Any]:
    out = dict(params)
    for key in USER_TEXT:
        if isinstance(out.get(key), str):
            out[key] = escape(out[key])
    for key in PEOPLE:
        if isinstance(out.get(key), str):
            out[key] = mention(out[key])
    return out


def plain(text: str, limit: int = SECTION_TEXT) -> dict:
    return {"type": "plain_text", "text": clip(text, limit), "emoji": True}


def mrkdwn(text: str, limit: int = SECTION_TEXT) -> dict:
    return {"type": "mrkdwn", "text": clip(text, limit)}


def section(text: str) -> dict:
    return {"type": "section", "text": mrkdwn(text)}


def button(label: str, action_id: str, value: str, style: str | None = None) -> dict:
    out = {"type": "button", "text": plain(label, BUTTON_TEXT), "action_id": action_id, "value": value[:2000]}
    if style:
        out["style"] = style
    return out


def option(label: str, value: str) -> dict:
    return {"text": plain(label, OPTION_TEXT), "value": value[:150]}


def fit(blocks: list[dict], limit: int, lang: str) -> list[dict]:
    """At most `limit` blocks; the last one says how many were left out."""
    if len(blocks) <= limit:
        return blocks
    kept = blocks[: limit - 1]
    more = len(blocks) - len(kept)
    return kept + [{"type": "context", "elements": [mrkdwn(t("slack.more", lang, count=more))]}]


def message_text(template: str, params: dict[str, Any], lang: str, now: datetime | None = None) -> str:
    return clip(render_message(template, slack_params(params), lang, now), MESSAGE_TEXT)


# -- the ticket card ------------------------------------------------------------------
def card_blocks(params: dict[str, Any], lang: str, now: datetime | None = None, calendar=None) -> list[dict]:
    p = slack_params(params)
    key, status = p["key"], p["status"]
    due = deadlines(p, lang, now, calendar) or [(t("field.due", lang), "-")]
    assignee = who(p.get("assignee")) if p.get("assignee") else t("unassigned", lang)
    fields = [(t("field.requester", lang), who(p.get("requester"))),
              (t("field.priority", lang), priority_label(p["priority"], lang)),
              (t("field.status", lang), status_label(status, lang)),
              (t("field.assignee", lang), assignee), *due]
    if p.get("category"):
        fields.append((t("field.category", lang), escape(p["category"])))
    fields += [(label, escape(value)) for label, value in card_fields(p, lang)]  # issue 15
    blocks = [{"type": "section", "text": mrkdwn(f"🎫 *{key}* · {p['title']}"),
               "fields": [mrkdwn(f"*{name}*\n{value}", FIELD_TEXT) for name, value in fields[:10]]}]  # Slack: 10
    if status in OPEN:
        blocks.append({"type": "actions", "block_id": f"card:{key}", "elements": [
            button(t("slack.button.claim", lang), "card_claim", key, "primary"),
            {"type": "users_select", "action_id": "card_assign",
             "placeholder": plain(t("slack.button.assign", lang), 150)},
            {"type": "static_select", "action_id": "card_priority",
             "placeholder": plain(t("slack.button.priority", lang), 150),
             "options": [option(priority_label(x, lang), f"{key}|{x}") for x in PRIORITIES]},
            button(t("slack.button.resolve", lang), "card_resolve", key),
            button(t("slack.button.close", lang), "card_close", key, "danger"),
        ]})
        if p.get("macros"):  # "Reply with…": the team's canned replies (bot/slack/workflow_actions.py)
            blocks[-1]["elements"].append({
                "type": "static_select", "action_id": "card_macro", "placeholder": plain(t("macro.placeholder", lang), 150),
                "options": [option(str(name)[:75], f"{key}|{name}") for name in p["macros"]][:100]})
    if p.get("confidential"):
        blocks.append({"type": "context", "elements": [mrkdwn(t("slack.card.confidential", lang))]})
    return blocks


def card_text(params: dict[str, Any], lang: str, now: datetime | None = None, calendar=None) -> str:
    return clip(render_card(slack_params(params), lang, now, calendar), MESSAGE_TEXT)


def rating_blocks(text: str, key: str, lang: str) -> list[dict]:
    return [section(text),
            {"type": "actions", "block_id": f"rate:{key}",
             "elements": [button("⭐" * n, f"rate_{n}", f"{key}|{n}") for n in range(1, 6)]}]


def team_picker(teams: Iterable[tuple[str, str]], channel: str, ts: str, lang: str) -> list[dict]:
    return [section(t("slack.picker.prompt", lang)),
            {"type": "actions", "block_id": "pick_team", "elements": [
                {"type": "static_select", "action_id": "pick_team",
                 "placeholder": plain(t("slack.picker.placeholder", lang), 150),
                 "options": [option(f"{key} · {name}", f"{key}|{channel}|{ts}") for key, name in teams][:100]}]}]


# -- the App Home ---------------------------------------------------------------------
def home_view(sections: list[tuple[str, list]], lang: str, now: datetime, calendars: dict | None = None) -> dict:
    blocks: list[dict] = []
    for title, tickets in sections:
        blocks.append({"type": "header", "text": plain(title, 150)})
        if not tickets:
            blocks.append({"type": "context", "elements": [mrkdwn(t("slack.home.empty", lang))]})
        for tk in tickets[:25]:
            due = tk.due_at or tk.resolution_due
            calendar = (calendars or {}).get(tk.team)
            left = time_left(due, now, lang, calendar) if due and tk.status.is_open else "-"
            line = (f"*{tk.key}* {escape(tk.title)}\n{status_label(tk.status.value, lang)} · "
                    f"{priority_label(tk.priority.value, lang)} · {left}")
            blocks.append(section(line))
        if len(tickets) > 25:
            blocks.append({"type": "context", "elements": [mrkdwn(t("slack.more", lang, count=len(tickets) - 25))]})
        blocks.append({"type": "divider"})
    return {"type": "home", "blocks": fit(blocks, SURFACE_BLOCKS, lang)}
