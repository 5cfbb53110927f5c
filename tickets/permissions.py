"""Who may do what to a ticket: one function, walked in full by the tests."""
from __future__ import annotations

from tickets.errors import PermissionDenied
from tickets.model import Ticket
from tickets.teams import Actor, Directory, Team

# Actions a team's agent may take on a ticket nobody else holds; supervisors
# and admins may take them on any ticket of the team.
WORK_ACTIONS = frozenset({"unclaim", "priority", "due", "wait", "resolve", "snooze"})
REQUESTER_ACTIONS = frozenset({"close", "reopen", "comment"})
# Team workflows (issue 15): any agent of the team, whoever holds the ticket.
TEAM_ACTIONS = frozenset({"tag", "category", "fields", "macro", "move", "merge", "attach"})


def is_approver(actor: Actor, ticket: Ticket) -> bool:
    """Named to decide the ticket's approval (tickets/approvals.py sets who); they may see the ticket."""
    approval = ticket.workflow.get("approval") or {}
    return bool(actor.identities() & set(approval.get("approvers") or ()))


# What a team with require_2fa tells staff whose platform does not confirm two-factor authentication
MFA_REFUSALS = {"slack": "mfa_required_slack", "discord": "mfa_required_discord"}


def mfa_missing(directory: Directory, actor: Actor, team: Team) -> bool:
    """True when `team` requires two-factor for its staff, `actor` is staff (or admin) and their platform
    has not confirmed it (Actor.mfa, filled by the adapters). Such a person is treated as not staff."""
    return team.require_2fa and actor.mfa is not True and directory.is_agent(actor, team)


def refuse_without_mfa(actor: Actor, team: Team) -> PermissionDenied:
    code = MFA_REFUSALS.get(actor.user.split(":", 1)[0], "mfa_required_other")
    return PermissionDenied(code, team=team.key)


def can_view(directory: Directory, actor: Actor, ticket: Ticket, team: Team) -> bool:
    if (directory.is_admin(actor) or directory.is_agent(actor, team)) and not mfa_missing(directory, actor, team):
        return True
    if is_approver(actor, ticket):
        return True
    if team.confidential:
        return actor.user == ticket.requester
    return ticket.is_party(actor.user)


def role_of(directory: Directory, actor: Actor, ticket: Ticket, team: Team) -> str:
    staff = not mfa_missing(directory, actor, team)
    if staff and directory.is_supervisor(actor, team):
        return "supervisor"
    if staff and directory.is_agent(actor, team):
        return "agent"
    if actor.user in (ticket.requester, ticket.reporter):
        return "requester"
    return "other"


def authorize(directory: Directory, actor: Actor, action: str, ticket: Ticket, team: Team) -> None:
    """Raise PermissionDenied unless `actor` may perform `action` on `ticket`."""
    if not can_view(directory, actor, ticket, team):
        if mfa_missing(directory, actor, team):
            raise refuse_without_mfa(actor, team)
        if action == "claim" and not team.confidential:
            # An ordinary team's card is on show in its channel: say why, not "not found".
            raise PermissionDenied("only_agents", team=team.key, key=ticket.key)
        # Never confirm that a hidden ticket exists.
        raise PermissionDenied("not_found", key=ticket.key)
    if action in ("approve", "reject"):
        if is_approver(actor, ticket) or directory.is_admin(actor):
            return
        raise PermissionDenied("not_approver", key=ticket.key)
    role = role_of(directory, actor, ticket, team)
    if action == "move" and team.confidential and role != "supervisor":
        raise PermissionDenied("move_needs_supervisor", key=ticket.key, team=team.key)
    if action == "attach" and role == "requester":
        return
    if action in TEAM_ACTIONS:
        if role in ("agent", "supervisor"):
            return
        raise PermissionDenied("forbidden", action=action, key=ticket.key)
    if _allowed(role, action, actor, ticket):
        return
    if action == "claim" and role == "agent":
        return  # the service tells them who holds it
    if mfa_missing(directory, actor, team):
        raise refuse_without_mfa(actor, team)
    if action == "claim" and not team.confidential:
        raise PermissionDenied("only_agents", team=team.key, key=ticket.key)
    raise PermissionDenied("forbidden", action=action, key=ticket.key)


def _allowed(role: str, action: str, actor: Actor, ticket: Ticket) -> bool:
    if action in ("show", "history", "watch"):
        return True
    if role == "supervisor":
        return action != "rate" or actor.user == ticket.requester
    if role == "agent":
        if action in ("claim", "note", "comment", "reopen"):
            return True
        if action == "close" or action in WORK_ACTIONS:
            return ticket.assignee in (None, actor.user)
        if action == "assign":
            return False  # agents claim; only supervisors hand tickets to others
        return action in ("rate", "cancel") and actor.user == ticket.requester
    if role == "requester":
        if action in REQUESTER_ACTIONS:
            return True
        if action == "rate":
            return actor.user == ticket.requester
        return action == "cancel"
    return False
