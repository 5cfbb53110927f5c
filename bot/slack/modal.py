"""The new-ticket modal: building it, reading a submission, and marking bad fields."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from bot.i18n import t
from bot.render import priority_label, render_error
from bot.slack.blocks import PRIORITIES, VIEW_TITLE, option, plain
from tickets.errors import TicketError
from tickets.fields import FieldsInvalid, validate_fields
from tickets.grammar import parse_due
from tickets.teams import Directory

CALLBACK = "new_ticket"
# which block shows which refusal
FIELD_OF_ERROR = {"title_required": "title", "title_too_long": "title", "description_too_long": "description",
                  "unknown_category": "category", "bad_priority": "priority", "bad_deadline": "due",
                  "bad_duration": "due", "bad_date": "due", "due_in_past": "due", "unknown_team": "team"}
DESCRIPTION_MAX = 3000  # Slack's plain_text_input max_length


def new_ticket_modal(directory: Directory, lang: str, team: str | None = None,
                     meta: dict | None = None) -> dict:
    teams = [option(f"{k} · {tm.name}", k) for k, tm in sorted(directory.teams.items())][:100]
    team_select = {"type": "static_select", "action_id": "value", "options": teams,
                   "placeholder": plain(t("form.team", lang), 150)}
    chosen = next((o for o in teams if team and o["value"] == team.upper()), None)
    if chosen:
        team_select["initial_option"] = chosen
    prio = [option(priority_label(p, lang), p) for p in PRIORITIES]
    cats = sorted({c for tm in directory.teams.values() for c in tm.categories})

    def text_input(block: str, label: str, *, optional: bool, multiline: bool = False, max_length: int = 150,
                   hint: str | None = None) -> dict:
        out = {"type": "input", "block_id": block, "optional": optional, "label": plain(label, 2000),
               "element": {"type": "plain_text_input", "action_id": "value", "multiline": multiline,
                           "max_length": max_length}}
        if hint:
            out["hint"] = plain(hint, 2000)
        return out

    blocks = [
        {"type": "input", "block_id": "team", "label": plain(t("form.team", lang), 2000), "element": team_select},
        text_input("title", t("form.title", lang), optional=False, max_length=150),
        text_input("description", t("form.description", lang), optional=True, multiline=True,
                   max_length=DESCRIPTION_MAX),
        text_input("category", t("form.category", lang), optional=True, max_length=80,
                   hint=t("form.categories", lang, categories=", ".join(cats)) if cats else None),
        {"type": "input", "block_id": "priority", "label": plain(t("slack.modal.priority", lang), 2000),
         "element": {"type": "static_select", "action_id": "value", "options": prio, "initial_option": prio[1]}},
        text_input("due", t("form.due", lang), optional=True, max_length=60),
    ]
    blocks += field_blocks(directory, lang, team, room=100 - len(blocks))
    return {"type": "modal", "callback_id": CALLBACK, "title": plain(t("slack.modal.title", lang), VIEW_TITLE),
            "submit": plain(t("slack.modal.submit", lang), VIEW_TITLE),
            "close": plain(t("slack.modal.close", lang), VIEW_TITLE),
            "private_metadata": json.dumps(meta or {})[:3000], "blocks": blocks}


def field_blocks(directory: Directory, lang: str, team: str | None, room: int) -> list[dict]:
    """One input per custom field of the team's categories (all teams' when none is chosen yet):
    block `f|TEAM|category|name`, optional here (the service says which are required, field by field)."""
    blocks = []
    teams = [directory.teams[team.upper()]] if team and team.upper() in directory.teams else directory.teams.values()
    for tm in teams:
        for category, rules in tm.category_rules.items():
            for spec in rules.fields:
                label = f"{category} · {spec.label(lang)}" + (" *" if spec.required else "")
                if spec.type == "choice":
                    element = {"type": "static_select", "action_id": "value",
                               "options": [option(c, c) for c in spec.choices][:100]}
                elif spec.type == "date":
                    element = {"type": "datepicker", "action_id": "value"}
                else:
                    element = {"type": "plain_text_input", "action_id": "value", "max_length": 500}
                blocks.append({"type": "input", "block_id": f"f|{tm.key}|{category}|{spec.name}"[:255],
                               "optional": True, "label": plain(label, 2000), "element": element})
    return blocks[:max(0, room)]


@dataclass
class Submission:
    team: str | None
    title: str
    description: str
    category: str | None
    priority: str
    due: str | None
    fields: dict | None = None  # (team, category) -> {field: value as typed}

    def fields_for(self, team: str | None, category: str | None) -> dict:
        chosen = (team or "").upper(), (category or "").lower()
        return {name: value for (tm, cat), values in (self.fields or {}).items() if (tm, cat.lower()) == chosen
                for name, value in values.items()}


def read_submission(view: dict) -> Submission:
    values = (view.get("state") or {}).get("values") or {}

    def value(block: str) -> str | None:
        el = (values.get(block) or {}).get("value") or {}
        if el.get("type") == "static_select":
            return (el.get("selected_option") or {}).get("value")
        if el.get("type") == "datepicker":
            return el.get("selected_date")
        return el.get("value")

    fields: dict = {}
    for block in values:
        if block.startswith("f|") and block.count("|") == 3:
            _, tm, category, name = block.split("|")
            typed = value(block)
            if typed not in (None, ""):
                fields.setdefault((tm, category), {})[name] = typed

    return Submission(team=value("team"), title=(value("title") or "").strip(),
                      description=(value("description") or "").strip(), category=(value("category") or None),
                      priority=value("priority") or "normal", due=(value("due") or "").strip() or None,
                      fields=fields)


def resolve_due(sub: Submission, now: datetime, tz) -> datetime | None:
    """The form's deadline in the team's business time (`tz`: its calendar, or a zone name)."""
    if not sub.due:
        return None
    return parse_due(sub.due).resolve(now, tz)


def check_fields(service, directory: Directory, sub: Submission, now: datetime, lang: str):
    """Every bad field at once (block -> message), and the deadline when it is good."""
    from tickets.model import validate_text, validate_title
    from tickets.service import parse_priority

    errors: dict[str, str] = {}
    due = None
    team = None
    checks = [lambda: validate_title(sub.title), lambda: validate_text(sub.description, limit=4000),
              lambda: parse_priority(sub.priority)]
    for check in checks:
        try:
            check()
        except TicketError as err:
            errors.update(field_errors(err, lang))
    try:
        team = directory.team(sub.team or "")
        category = service.check_category(team, sub.category)
        validate_fields(team.rules_for(category).fields, sub.fields_for(team.key, category))
    except FieldsInvalid as err:  # each bad custom field marked in its own block
        for name, problem, params in err.problems:
            text = t(f"field.{problem}", lang, field=name, **params)
            errors[f"f|{team.key}|{category}|{name}"] = text[:150]
    except TicketError as err:
        errors.update(field_errors(err, lang))
    try:
        due = resolve_due(sub, now, getattr(team, "calendar", None) or "UTC")
    except TicketError as err:
        errors.update(field_errors(err, lang))
    return errors, due


def field_errors(err: TicketError, lang: str) -> dict[str, str]:
    """Slack's response_action=errors map: the block to mark and the message (≤ 150 chars)."""
    block = FIELD_OF_ERROR.get(err.key, "title")
    text = render_error(err, lang)
    return {block: text if len(text) <= 150 else text[:149] + "…"}
