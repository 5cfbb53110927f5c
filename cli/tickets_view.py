"""`tiket tickets list/show`: checked options, a readable ticket, ratings in the JSON."""
from __future__ import annotations

from typing import Any

import typer

from tickets.model import Status


def check_list_options(container, team: str | None, status: str | None) -> None:
    """Exit 2 with a clear message for a status or team that does not exist."""
    statuses = [s.value for s in Status]
    if status is not None and status.lower() not in statuses:
        typer.echo(f"unknown status '{status}': use one of {', '.join(statuses)}", err=True)
        raise typer.Exit(2)
    teams = container.directory.teams
    if team is not None and team.upper() not in teams:
        typer.echo(f"unknown team '{team}': the teams file has {', '.join(sorted(teams)) or 'none'}", err=True)
        raise typer.Exit(2)


def ratings(engine, ticket_id: int) -> list[dict[str, Any]]:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from storage.models import RatingRow

    with Session(engine) as session:
        rows = session.scalars(select(RatingRow).where(RatingRow.ticket_id == ticket_id).order_by(RatingRow.id))
        return [{"score": r.score, "comment": r.comment, "by": r.by, "resolution": r.resolution,
                 "at": r.at.isoformat().replace("+00:00", "Z") if r.at else None} for r in rows]


def show_text(data: dict[str, Any], tz: str) -> list[str]:
    """The ticket as lines a person reads: fields, deadlines and times in the team's zone."""
    from bot.i18n import format_when
    from bot.render import who

    def when(value: str | None) -> str:
        return format_when(value.replace("Z", "+00:00"), "en", tz) if value else "-"

    lines = [f"{data['key']}: {data['title']}",
             f"status: {data['status']} · priority: {data['priority']} · category: {data.get('category') or '-'}",
             f"requester: {who(data['requester'])} · assignee: {who(data.get('assignee'))} · "
             f"source: {data.get('source') or '-'}",
             f"created: {when(data['created_at'])} · updated: {when(data['updated_at'])}"]
    for label, key in (("first response due", "first_response_due"), ("first response", "first_response_at"),
                       ("due (set by hand)", "due_at"), ("resolution due", "resolution_due"),
                       ("resolved", "resolved_at"), ("closed", "closed_at")):
        if data.get(key):
            lines.append(f"{label}: {when(data[key])}")
    if data.get("watchers"):
        lines.append(f"watchers: {', '.join(who(w) for w in data['watchers'])}")
    if data.get("description"):
        lines += ["", data["description"]]
    if data.get("comments"):
        lines += ["", "comments:"]
        for c in data["comments"]:
            tag = "internal" if c["internal"] else "public"
            lines.append(f"  {when(c['created_at'])} [{tag}] {who(c['author'])}: {c['body']}")
    for r in data.get("ratings") or ():
        lines.append(f"rating: {r['score']}/5 by {who(r['by'])}" + (f" — {r['comment']}" if r["comment"] else ""))
    if data.get("history"):
        lines += ["", "history:"]
        for h in data["history"]:
            changes = ", ".join(f"{k}: {_value(b, tz)} → {_value(a, tz)}" for k, (b, a) in (h["changes"] or {}).items()
                                if isinstance(h["changes"], dict))
            lines.append(f"  {when(h['at'])} {who(h['actor'])} {h['action']}" + (f" ({changes})" if changes else ""))
    return lines


def _value(value: Any, tz: str) -> str:
    from bot.history import shown_value

    return shown_value(value, "en", tz)
