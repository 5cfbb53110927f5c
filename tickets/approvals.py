"""Approvals before work starts: a category may need a supervisor's or the requester's manager's yes.

A ticket of such a category opens as `awaiting_approval` with its approvers named in
`ticket.workflow["approval"]`; its SLA clock starts at approval (tickets/deadlines.py); while it
waits, the sweep reminds the approvers like an unclaimed ticket and escalates from the second
reminder on. Approve lets the team work on it; reject closes it with the reason. The card and
the history show who decided and when.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from tickets.errors import ValidationError
from tickets.messages import N_
from tickets.model import Comment, Status, Ticket, validate_text
from tickets.sla_plan import level_people
from tickets.teams import Actor, Directory, Team


def approvers_for(directory: Directory, team: Team, kind: str, requester: str) -> list[str]:
    """Who decides: the team's supervisors, or the requester's manager ([people]; supervisors when unknown)."""
    if kind == "manager" and directory.managers.get(requester):
        return [directory.managers[requester]]
    return sorted(team.supervisors) or sorted(directory.admins)


def start_approval(directory: Directory, ticket: Ticket, team: Team, kind: str, now: datetime) -> None:
    ticket.status = Status.AWAITING_APPROVAL
    ticket.workflow["approval"] = {"kind": kind, "state": "pending", "requested_at": now.isoformat(),
                                   "approvers": approvers_for(directory, team, kind, ticket.requester)}


def approval_params(ticket: Ticket) -> dict[str, Any]:
    approval = ticket.workflow.get("approval") or {}
    return {"key": ticket.key, "title": ticket.title, "requester": ticket.requester,
            "approval_kind": approval.get("kind"), "approval": approval.get("state"),
            "decided_by": approval.get("by"), "decided_at": approval.get("at")}


def ask_approvers(fanout, uow, ticket: Ticket, team: Team) -> None:
    """DM each approver the request with Approve / Reject buttons (`approval_request`)."""
    approval = ticket.workflow.get("approval") or {}
    for person in approval.get("approvers") or ():
        fanout.to_user(uow, team, person, N_("approval_request"), ticket, approval_params(ticket))


def remind_approvers(fanout, sink, ticket: Ticket, team: Team, level: int, params: dict, dedup: str) -> list:
    """The sweep's reminder for an approval left waiting: approvers, then the escalation chain too."""
    params = {**params, **approval_params(ticket), "reminder": level}
    approval = ticket.workflow.get("approval") or {}
    people = list(approval.get("approvers") or ())
    if level >= 2:
        people += [p for p in level_people(team, level - 1) if p not in people]
    for person in people:
        fanout.to_user(sink, team, person, N_("approval_reminder"), ticket, params, dedup_key=f"{dedup}:{person}")
    fanout.to_team(sink, team, "thread", N_("approval_reminder"), ticket, params, dedup_key=dedup)
    return []


class ApprovalActions:
    """Mixin of TicketService: approve and reject go through `_change` like every other change."""

    def approve(self, actor: Actor, key: str, note: str = "") -> Ticket:
        note = validate_text(note)

        def mutate(uow, ticket, team, now):
            self._decide(ticket, actor, "approved", now, note)
            self._move(ticket, team, "approve", now)
            self.sla.on_restart(ticket, team, now)  # the SLA clock starts at approval
            if note:
                uow.add_comment(Comment(ticket.id, actor.user, note, False, now, kind="reason"))
            self.fanout.update(uow, ticket, team, N_("approval_approved"), actor.user,
                               [ticket.requester, *ticket.watchers], **approval_params(ticket), note=note)
        return self._change(actor, key, "approve", mutate)

    def reject(self, actor: Actor, key: str, reason: str) -> Ticket:
        reason = validate_text(reason)
        if not reason:
            raise ValidationError("reject_needs_reason")

        def mutate(uow, ticket, team, now):
            self._decide(ticket, actor, "rejected", now, reason)
            self._move(ticket, team, "reject", now)
            ticket.closed_at = now
            uow.add_comment(Comment(ticket.id, actor.user, reason, False, now, kind="reason"))
            self.fanout.update(uow, ticket, team, N_("approval_rejected"), actor.user,
                               [ticket.requester, *ticket.watchers], **approval_params(ticket), reason=reason)
        return self._change(actor, key, "reject", mutate)

    @staticmethod
    def _decide(ticket: Ticket, actor: Actor, state: str, now: datetime, text: str) -> None:
        approval = dict(ticket.workflow.get("approval") or {})
        if ticket.status != Status.AWAITING_APPROVAL or approval.get("state") != "pending":
            raise ValidationError("not_awaiting_approval", key=ticket.key)
        approval.update(state=state, by=actor.user, at=now.isoformat(), note=text)
        ticket.workflow["approval"] = approval
        ticket.workflow["_audit"] = {"approval": ["pending", state]}
