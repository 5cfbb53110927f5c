"""The stable JSON shape of a ticket (`tiket tickets list/show --json`)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from tickets.model import AuditEvent, Comment, Ticket


def _iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def _approval(ticket: Ticket) -> dict[str, Any] | None:
    approval = ticket.workflow.get("approval")
    if not approval:
        return None
    return {"kind": approval.get("kind"), "state": approval.get("state"), "approvers": approval.get("approvers"),
            "decided_by": approval.get("by"), "decided_at": approval.get("at"), "note": approval.get("note") or None}


def ticket_json(ticket: Ticket, *, comments: list[Comment] | None = None,
                history: list[AuditEvent] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "key": ticket.key,
        "team": ticket.team,
        "number": ticket.number,
        "title": ticket.title,
        "description": ticket.description,
        "status": ticket.status.value,
        "priority": ticket.priority.value,
        "category": ticket.category,
        "requester": ticket.requester,
        "reporter": ticket.reporter,
        "assignee": ticket.assignee,
        "watchers": sorted(ticket.watchers),
        "source": ticket.source,
        "source_ref": ticket.source_ref,
        "created_at": _iso(ticket.created_at),
        "updated_at": _iso(ticket.updated_at),
        "due_at": _iso(ticket.due_at),
        "first_response_due": _iso(ticket.first_response_due),
        "resolution_due": _iso(ticket.resolution_due),
        "first_response_at": _iso(ticket.first_response_at),
        "resolved_at": _iso(ticket.resolved_at),
        "closed_at": _iso(ticket.closed_at),
        "tags": sorted(ticket.tags),
        "fields": dict(ticket.fields),
        "approval": _approval(ticket),
        "moved_from": [m["from"] for m in ticket.workflow.get("moves") or ()],
        "merged_into": ticket.workflow.get("merged_into"),
        "merged": list(ticket.workflow.get("merged") or ()),
    }
    if comments is not None:
        data["comments"] = [{"author": c.author, "body": c.body, "internal": c.internal, "kind": c.kind,
                             "created_at": _iso(c.created_at)} for c in comments]
    if history is not None:
        data["history"] = [{"actor": e.actor, "action": e.action, "at": _iso(e.at), "changes": e.changes}
                           for e in history]
    return data
