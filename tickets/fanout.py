"""Turn one ticket change into the messages it owes people, per platform.

Targets: ``card:KEY`` (the ticket's card in its team channel), ``thread:KEY``
(the card's thread), ``origin:KEY`` (the thread of the message the ticket came
from), ``team:TEAM`` (the team channel) and ``user:<id>`` (a direct message).
"""
from __future__ import annotations

from typing import Any, Iterable

from tickets.messages import N_
from tickets.model import Ticket
from tickets.places import requester_in_thread
from tickets.ports import Outgoing, UnitOfWork
from tickets.teams import Directory, Team


def user_platform(user: str) -> str:
    return user.split(":", 1)[0]


def team_tz(team: Team) -> str:
    return getattr(team.calendar, "tz_name", None) or "UTC"


def card_params(ticket: Ticket, team: Team) -> dict[str, Any]:
    def iso(value):
        return value.isoformat() if value else None

    return {
        "key": ticket.key,
        "title": ticket.title,
        "status": ticket.status.value,
        "priority": ticket.priority.value,
        "requester": ticket.requester,
        "assignee": ticket.assignee,
        "category": ticket.category,
        "confidential": team.confidential,
        "due": iso(ticket.due_at or ticket.resolution_due),
        "response_due": iso(ticket.first_response_due) if ticket.first_response_at is None else None,
        "source": ticket.source,
        "source_ref": ticket.source_ref,
        "tz": team_tz(team),
        "tags": sorted(ticket.tags),
        "fields": dict(ticket.fields),
        "approval": {k: v for k, v in (ticket.workflow.get("approval") or {}).items() if k != "approvers"} or None,
        "moved_from": [m["from"] for m in ticket.workflow.get("moves") or ()],
        "macros": [m.name for m in team.macros],
    }


class Fanout:
    def __init__(self, directory: Directory, platforms: Iterable[str]) -> None:
        self.directory = directory
        self.platforms = frozenset(platforms)

    def team_platforms(self, team: Team) -> list[str]:
        return sorted(p for p in self.platforms if p == "console" or p in team.channels)

    def language(self, uow: UnitOfWork, team: Team | None, user: str | None = None) -> str:
        if user:
            locale = uow.user_locale(user)
            if locale:
                return locale
        if team is not None and team.language:
            return team.language
        return self.directory.default_language

    def to_team(self, uow: UnitOfWork, team: Team, kind: str, template: str, ticket: Ticket | None,
                params: dict[str, Any], dedup_key: str | None = None) -> None:
        """Queue a message to the ticket's card/thread/origin or the team channel."""
        target = f"{kind}:{ticket.key}" if ticket is not None and kind != "team" else f"team:{team.key}"
        if kind == "origin" and ticket is not None:
            # the origin message lives on the platform it came from, whether or not the team has a channel there
            platforms = [p for p in sorted(self.platforms) if p in ("console", ticket.source)]
        else:
            platforms = self.team_platforms(team)
        for platform in platforms:
            uow.queue(Outgoing(platform=platform, target=target, template=template, params=dict(params),
                               lang=self.language(uow, team), ticket_id=ticket.id if ticket else None,
                               dedup_key=f"{dedup_key}:{platform}" if dedup_key else None))

    def to_user(self, uow: UnitOfWork, team: Team, user: str | None, template: str, ticket: Ticket | None,
                params: dict[str, Any], dedup_key: str | None = None) -> None:
        if not user:
            return
        for platform in sorted(self.platforms):
            if platform != "console" and platform != user_platform(user):
                continue
            uow.queue(Outgoing(platform=platform, target=f"user:{user}", template=template, params=dict(params),
                               lang=self.language(uow, team, user), ticket_id=ticket.id if ticket else None,
                               dedup_key=f"{dedup_key}:{platform}" if dedup_key else None))

    def to_staff(self, uow: UnitOfWork, team: Team, template: str, ticket: Ticket, params: dict[str, Any],
                 actor: str) -> None:
        """An internal message: the ticket thread where no requester reads it; where the thread
        holds the requester (a confidential team's private thread), a DM to the assignee instead."""
        for platform in self.team_platforms(team):
            if not requester_in_thread(team, platform):
                uow.queue(Outgoing(platform=platform, target=f"thread:{ticket.key}", template=template,
                                   params=dict(params), lang=self.language(uow, team), ticket_id=ticket.id))
            elif ticket.assignee and ticket.assignee != actor and user_platform(ticket.assignee) == platform:
                uow.queue(Outgoing(platform=platform, target=f"user:{ticket.assignee}", template=template,
                                   params=dict(params), lang=self.language(uow, team, ticket.assignee),
                                   ticket_id=ticket.id))

    def card(self, uow: UnitOfWork, ticket: Ticket, team: Team) -> None:
        self.to_team(uow, team, "card", N_("card"), ticket, card_params(ticket, team))

    def update(self, uow: UnitOfWork, ticket: Ticket, team: Team, template: str, actor: str,
               notify: Iterable[str | None] = (), **params: Any) -> None:
        """Card refresh, a line in the thread, and DMs to the people named (never the actor)."""
        params = {"key": ticket.key, "title": ticket.title, "actor": actor, "tz": team_tz(team), **params}
        self.card(uow, ticket, team)
        self.to_team(uow, team, "thread", template, ticket, params)
        seen = {actor}
        for user in notify:
            if user and user not in seen:
                seen.add(user)
                self.to_user(uow, team, user, template, ticket, params)
