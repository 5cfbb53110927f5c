"""Read side: list, show and history, filtered to what the asker may see."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from tickets.errors import NotFound, PermissionDenied, ValidationError
from tickets.model import OPEN_STATUSES, AuditEvent, Comment, Status, Ticket, parse_key
from tickets.permissions import authorize, can_view
from tickets.ports import UnitOfWork
from tickets.text import clean_search
from tickets.teams import Actor, Directory

SCOPES = ("mine", "assigned", "team", "open", "all", "status", "search", "default", "priority", "category", "assignee",
          "tag")
FILTERS = ("priority", "category", "assignee")  # `list open`, narrowed
WIDE = ("open", "all", "status", "search", "tag")  # the asker's teams plus their own tickets


@dataclass
class TicketView:
    ticket: Ticket
    comments: list[Comment]
    history: list[AuditEvent]
    confidential: bool
    can_work: bool
    attachments: list[dict] = field(default_factory=list)  # id, name, content_type, size, uploaded_by, created_at


class TicketQueries:
    def __init__(self, uow_factory: Callable[[], UnitOfWork], directory: Directory) -> None:
        self.uow_factory = uow_factory
        self.directory = directory

    def _visible(self, actor: Actor, tickets: list[Ticket]) -> list[Ticket]:
        out = []
        for ticket in tickets:
            team = self.directory.teams.get(ticket.team)
            if team is not None and can_view(self.directory, actor, ticket, team):
                out.append(ticket)
        return out

    def list(self, actor: Actor, scope: str = "mine", *, team: str | None = None, status: str | None = None,
             text: str | None = None, limit: int = 50, priority: str | None = None,
             assignee: str | None = None, tag: str | None = None, category: str | None = None) -> list[Ticket]:
        """`default` (a bare `/ticket list`): staff get their teams' open queue and their own tickets,
        requesters their own; `priority`/`category`/`assignee` narrow what `open` shows; `tag` finds the
        tickets (any status) with a tag, typed after the scope (`list tag printer`)."""
        scope = scope or "mine"
        if scope not in SCOPES:
            raise ValidationError("usage", command="list")
        if scope == "default":
            scope = "open" if self.directory.teams_of(actor) else "mine"
        if scope in FILTERS:
            wanted = {"priority": priority, "category": (category or text or "").strip().lower(),
                      "assignee": assignee}[scope]
            keep = {"priority": lambda t: t.priority.value == wanted,
                    "category": lambda t: (t.category or "").lower() == wanted,
                    "assignee": lambda t: t.assignee == wanted}[scope]
            return [t for t in self.list(actor, "open", limit=500) if keep(t)][:limit]
        text = clean_search(text) or None
        statuses = [s.value for s in OPEN_STATUSES] if scope in ("mine", "assigned", "team", "open") else None
        if status:
            try:
                statuses = [Status(status.lower()).value]
            except ValueError:
                raise ValidationError("bad_status", value=status) from None
        my_teams = [t.key for t in self.directory.teams_of(actor)]
        if scope == "tag" and not tag:  # `list tag printer`: the word after the scope is the tag
            tag, text = text, None
        if scope == "tag" and not tag:
            raise ValidationError("usage", command="list")
        kwargs: dict = {"statuses": statuses, "text": text, "limit": limit, **({"tag": tag} if tag else {})}
        if scope == "mine":
            kwargs["party"] = actor.user
        elif scope == "assigned":
            kwargs["assignee"] = actor.user
        elif scope == "team":
            team_obj = self.directory.team(team or "")
            if team_obj.key not in my_teams:
                raise PermissionDenied("not_team_member", team=team_obj.key)
            kwargs["teams"] = [team_obj.key]
        with self.uow_factory() as uow:
            if scope in WIDE:
                found = uow.tickets.search(teams=my_teams, **kwargs) if my_teams else []
                own = uow.tickets.search(party=actor.user, **kwargs)
                merged = {t.id: t for t in [*found, *own]}
                result = sorted(merged.values(), key=lambda t: t.created_at, reverse=True)[:limit]
            else:
                result = uow.tickets.search(**kwargs)
        return self._visible(actor, result)

    def show(self, actor: Actor, key: str) -> TicketView:
        team_key, number = parse_key(key)
        with self.uow_factory() as uow:
            ticket = uow.tickets.get(team_key, number)  # an old key shows the moved ticket
            team = self.directory.teams.get(ticket.team) if ticket is not None else None
            if ticket is None or team is None:
                raise NotFound("not_found", key=key.upper())
            authorize(self.directory, actor, "show", ticket, team)
            insider = self.directory.is_agent(actor, team)
            comments = uow.comments(ticket.id, include_internal=insider)
            history = uow.events(ticket.id)
            files = uow.workflows.attachments(ticket.id) if hasattr(uow, "workflows") else []
        return TicketView(ticket, comments, history, team.confidential, insider, files)
