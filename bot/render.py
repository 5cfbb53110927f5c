"""Plain-text rendering shared by every adapter (the console prints it as is;
Slack and Discord use it for notifications and fallbacks)."""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, Callable

from bot import timeleft
from bot.history import shown_value
from bot.i18n import format_when, t
from bot.workflows_render import card_fields, render_fields_error, workflow_lines
from tickets.commands import COMMANDS, help_topics, usage
from tickets.errors import ConcurrencyConflict, TicketError
from tickets.model import Ticket
from tickets.queries import TicketView

log = logging.getLogger(__name__)
Names = Callable[[str | None], str]  # how a platform shows a person (default: who)


def who(user: str | None) -> str:
    """``console:budi`` -> ``budi``; platform ids keep their id."""
    if not user:
        return "-"
    return user.split(":", 1)[1] if ":" in user else user


def status_label(status: str, lang: str) -> str:
    return t(f"status.{status}", lang)


def priority_label(priority: str, lang: str) -> str:
    return t(f"priority.{priority}", lang)


def time_left(due: datetime | str | None, now: datetime, lang: str, calendar=None) -> str:
    """Time left (or overdue) in the team's business time: the one figure of bot/timeleft.py."""
    return timeleft.time_left(due, now, lang, calendar)


def ticket_line(ticket: Ticket, lang: str, now: datetime | None = None, calendar=None, names: Names = who) -> str:
    due = ticket.due_at or ticket.resolution_due
    left = f" · {time_left(due, now, lang, calendar)}" if (due and now and ticket.status.is_open) else ""
    return (f"{ticket.key} [{status_label(ticket.status.value, lang)}] "
            f"[{priority_label(ticket.priority.value, lang)}] {ticket.title} "
            f"— {names(ticket.assignee) if ticket.assignee else t('unassigned', lang)}{left}")


def render_list(tickets: list[Ticket], lang: str, now: datetime | None = None, calendars: dict | None = None,
                names: Names = who) -> str:
    if not tickets:
        return t("list.empty", lang)
    calendars = calendars or {}
    return "\n".join([t("list.header", lang, count=len(tickets)),
                      *(ticket_line(x, lang, now, calendars.get(x.team), names) for x in tickets)])


def render_card(params: dict[str, Any], lang: str, now: datetime | None = None, calendar=None,
                names: Names = who) -> str:
    assignee = names(params.get("assignee")) if params.get("assignee") else t("unassigned", lang)
    left = "".join(f" · {label}: {text}" for label, text in timeleft.deadlines(params, lang, now, calendar))
    left += "".join(f" · {label}: {text}" for label, text in card_fields(params, lang))  # issue 15
    return (f"{params['key']} · {params['title']} · {status_label(params['status'], lang)} · "
            f"{priority_label(params['priority'], lang)} · {t('field.requester', lang)}: {names(params['requester'])}"
            f" · {t('field.assignee', lang)}: {assignee}{left}")


def render_view(view: TicketView, lang: str, now: datetime | None = None, tz: str = "UTC", calendar=None,
                names: Names = who) -> str:
    tk = view.ticket
    lines = [f"{tk.key}: {tk.title}",
             f"{t('field.status', lang)}: {status_label(tk.status.value, lang)} · "
             f"{t('field.priority', lang)}: {priority_label(tk.priority.value, lang)} · "
             f"{t('field.assignee', lang)}: {names(tk.assignee) if tk.assignee else t('unassigned', lang)}",
             f"{t('field.requester', lang)}: {names(tk.requester)} · {t('field.created', lang)}: "
             f"{format_when(tk.created_at, lang, tz)}"]
    if tk.category:
        lines.append(f"{t('field.category', lang)}: {tk.category}")
    lines += workflow_lines(view, lang)  # fields, tags, approval, moves, merges, attachments (issue 15)
    shown = {"status": tk.status.value, "tz": tz, "due": tk.due_at or tk.resolution_due,
             "response_due": tk.first_response_due if tk.first_response_at is None else None}
    lines += [f"{label}: {text}" for label, text in timeleft.deadlines(shown, lang, now, calendar)]
    if tk.description:
        lines.append(tk.description)
    for c in view.comments:
        tag = t("comment.internal", lang) if c.internal else t("comment.public", lang)
        lines.append(f"  [{tag}] {names(c.author)}: {c.body}")
    return "\n".join(lines)


def render_history(view: TicketView, lang: str, tz: str = "UTC", names: Names = who) -> str:
    lines = [t("history.header", lang, key=view.ticket.key)]
    for ev in view.history:
        changes = ", ".join(f"{k}: {shown_value(b, lang, tz, names)} → {shown_value(a, lang, tz, names)}"
                            for k, (b, a) in ev.changes.items())
        lines.append(f"{format_when(ev.at, lang, tz)} {names(ev.actor)} {ev.action}" + (f" ({changes})" if changes else ""))
    return "\n".join(lines)


def render_error(err: TicketError, lang: str, names: Names = who) -> str:
    if err.key == "fields_invalid":
        return render_fields_error(err, lang)
    if err.key == "usage":
        command = str(err.params.get("command") or "")
        if command in COMMANDS or not command:
            return t("error.usage", lang, usage=f"/ticket {usage(command, lang)}")
        return t("error.usage_general", lang)
    def shown(name: str, value):
        if name in ("assignee", "user") and isinstance(value, str):
            return names(value)
        if name == "priority" and isinstance(value, str):
            return t(f"priority.{value}", lang)  # the word people read, not the stored value
        return value

    return t(f"error.{err.key}", lang, **{k: shown(k, v) for k, v in err.params.items()})


def render_failure(exc: BaseException, lang: str, names: Names = who) -> str:
    """The one mapping from anything a command can raise to what the user is told."""
    if isinstance(exc, TicketError):
        return render_error(exc, lang, names)
    if isinstance(exc, ConcurrencyConflict):
        return t("error.busy", lang)
    log.error("command failed", exc_info=exc)
    return t("error.internal", lang)


def render_help(lang: str, topic: str | None = None) -> str:
    """All commands with that language's words and a line each, or one command in full."""
    if topic and topic in COMMANDS:
        spec = COMMANDS[topic]
        lines = [f"/ticket {usage(topic, lang)}", t(spec.summary, lang), t(f"who.{spec.who}", lang)]
        other = "id" if lang == "en" else "en"
        if spec.word(other) != spec.word(lang):
            lines.append(t("help.also", lang, word=spec.word(other)))
        return "\n".join(lines)
    return "\n".join([t("help.header", lang),
                      *(f"  /ticket {line} — {t(summary, lang)}" for line, summary in help_topics(lang)),
                      t("help.footer", lang)])


def render_message(template: str, params: dict[str, Any], lang: str, now: datetime | None = None,
                   calendar=None, names: Names = who) -> str:
    """Text of one outbox message (`calendar`: the team's, for time left in business time)."""
    if template == "card":
        return render_card(params, lang, now, calendar, names)
    shown = {k: (names(v) if k in ("actor", "assignee", "requester", "user") else v) for k, v in params.items()}
    if "priority" in shown:
        shown["priority"] = priority_label(str(shown["priority"]), lang)
    for key in ("due", "until"):
        if shown.get(key):
            shown[key] = format_when(shown[key], lang, params.get("tz") or "UTC")
    for key in ("left", "overdue", "waited") if template.startswith("sla_") else ():  # SLA business seconds
        if isinstance(shown.get(key), (int, float)):
            shown[key] = timeleft.format_seconds(shown[key], lang)
    if template.startswith("sla_") and params.get("due") and now is not None and calendar is not None:
        left = timeleft.split_left(calendar, now, timeleft._aware(params["due"]))  # the figure cards show
        over = timeleft.split_left(calendar, timeleft._aware(params["due"]), now)
        shown.update(left=timeleft.format_span(*left, lang), overdue=timeleft.format_span(*over, lang))
    elif template.startswith("sla_"):  # no calendar here (Slack, Discord): the split made at the event
        for key in ("left", "overdue"):
            parts = params.get(f"{key}_parts")
            if isinstance(parts, list) and len(parts) == 2:
                shown[key] = timeleft.format_span(int(parts[0]), int(parts[1]), lang)
    if isinstance(shown.get("people"), list):
        shown["people"] = ", ".join(names(p) for p in shown["people"]) or "-"
    text = t(f"msg.{template}", lang, **shown)
    for extra in ("note", "reason"):
        if params.get(extra):
            text += f"\n> {params[extra]}"
    if params.get("rate"):
        text += "\n" + t("msg.rate_prompt", lang, key=params.get("key"))
    return text
