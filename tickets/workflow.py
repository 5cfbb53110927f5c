"""Team workflows on one ticket: tags, category, custom fields, canned replies, attachments.

A mixin of TicketService; each action goes through `_change` (permission, audit, outbox in one
transaction). Moves and merges live in tickets/transfer.py.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Protocol

from tickets.errors import ValidationError
from tickets.fields import validate_fields
from tickets.messages import N_
from tickets.model import Comment, Status, Ticket
from tickets.teams import Actor, Team

TAG = re.compile(r"^[\w-]{1,40}$")
MAX_TAGS = 20


class WorkflowStore(Protocol):
    """What the workflows need of a unit of work beyond tickets (`uow.workflows`; storage/workflow_store.py)."""

    def set_tags(self, ticket_id: int, tags: Iterable[str]) -> None: ...
    def add_alias(self, team: str, number: int, ticket_id: int, at) -> None: ...
    def drop_embedding(self, ticket_id: int) -> None: ...
    def moved(self, ticket_id: int, team: str) -> None: ...
    def add_attachment(self, ticket_id: int, name: str, content_type: str, data: bytes, by: str, at,
                       directory: str | None) -> int: ...
    def attachments(self, ticket_id: int) -> list[dict]: ...


@dataclass(frozen=True)
class AttachmentRules:
    max_bytes: int = 5 * 1024 * 1024
    types: frozenset[str] = frozenset({"image/png", "image/jpeg", "image/gif", "application/pdf", "text/plain"})
    directory: str | None = None  # None: kept in the database


def parse_tag_changes(words: str | Iterable[str]) -> tuple[set[str], set[str]]:
    """``+printer -urgent lantai3`` -> ({printer, lantai3}, {urgent}); a bare word adds."""
    items = words.split() if isinstance(words, str) else list(words)
    add, remove = set(), set()
    for item in items:
        sign, name = (item[0], item[1:]) if item[:1] in "+-" else ("+", item)
        name = name.strip().lower()
        if not TAG.match(name):
            raise ValidationError("bad_tag", value=item)
        (add if sign == "+" else remove).add(name)
    if not add and not remove:
        raise ValidationError("tag_nothing")
    return add, remove


class WorkflowActions:
    def check_category(self, team: Team, category: str | None) -> str | None:
        if not category:
            return None
        for known in team.categories:
            if known.lower() == category.strip().lower():
                return known
        raise ValidationError("unknown_category", category=category, categories=", ".join(team.categories))

    def tag(self, actor: Actor, key: str, changes: str | Iterable[str]) -> Ticket:
        add, remove = parse_tag_changes(changes)

        def mutate(uow, ticket, team, now):
            before = sorted(ticket.tags)
            ticket.tags = (ticket.tags | add) - remove
            if len(ticket.tags) > MAX_TAGS:
                raise ValidationError("too_many_tags", max=MAX_TAGS)
            uow.workflows.set_tags(ticket.id, ticket.tags)
            ticket.workflow["_audit"] = {"tags": [before, sorted(ticket.tags)]}
            self.fanout.update(uow, ticket, team, N_("tags_changed"), actor.user, (),
                               tags=", ".join(sorted(ticket.tags)) or "-")
        return self._change(actor, key, "tag", mutate)

    def set_category(self, actor: Actor, key: str, category: str) -> Ticket:
        def mutate(uow, ticket, team, now):
            ticket.category = self.check_category(team, category)
            specs = team.rules_for(ticket.category).fields
            names = {s.name for s in specs}
            ticket.fields = {k: v for k, v in ticket.fields.items() if k in names}  # the new category's fields
            self.fanout.update(uow, ticket, team, N_("category_changed"), actor.user, (), category=ticket.category)
        return self._change(actor, key, "category", mutate)

    def set_fields(self, actor: Actor, key: str, values: dict) -> Ticket:
        def mutate(uow, ticket, team, now):
            specs = team.rules_for(ticket.category).fields
            if not specs:
                raise ValidationError("no_fields", key=ticket.key, category=ticket.category or "-")
            before = dict(ticket.fields)
            ticket.fields = {**ticket.fields, **validate_fields(specs, values, partial=True)}
            ticket.workflow["_audit"] = {"fields": [before, dict(ticket.fields)]}
            self.fanout.update(uow, ticket, team, N_("fields_changed"), actor.user, ())
        return self._change(actor, key, "fields", mutate)

    def macro(self, actor: Actor, key: str, name: str) -> Ticket:
        def mutate(uow, ticket, team, now):
            found = [m for m in team.macros if m.name.lower() == (name or "").strip().lower()]
            if not found:
                raise ValidationError("unknown_macro", name=name, macros=", ".join(m.name for m in team.macros) or "-")
            macro = found[0]
            text = macro.text(self.fanout.language(uow, team, ticket.requester))
            uow.add_comment(Comment(ticket.id, actor.user, text, False, now, kind="comment"))
            self.sla.on_first_response(ticket, team, now)
            if macro.tag and macro.tag not in ticket.tags:
                ticket.tags.add(macro.tag)
                uow.workflows.set_tags(ticket.id, ticket.tags)
            if macro.status == "wait" and ticket.status == Status.NEW:  # asking back means taking it
                self._move(ticket, team, "claim", now)
                ticket.assignee = ticket.assignee or actor.user
            if macro.status:
                self._move(ticket, team, macro.status, now)
                if macro.status == "resolve":
                    ticket.assignee = ticket.assignee or actor.user
                    ticket.resolved_at = now
                    ticket.sla_state["resolutions"] = ticket.sla_state.get("resolutions", 0) + 1
                elif macro.status == "close":
                    ticket.closed_at = now
            ticket.workflow["_audit"] = {"macro": [None, macro.name]}
            params = {"key": ticket.key, "title": ticket.title, "actor": actor.user, "text": text}
            self.fanout.update(uow, ticket, team, N_("comment_added"), actor.user,
                               [ticket.requester, *ticket.watchers], text=text)
            if ticket.source_ref and not team.confidential:
                self.fanout.to_team(uow, team, "origin", N_("comment_added"), ticket, params)
        return self._change(actor, key, "macro", mutate)

    def attach(self, actor: Actor, key: str, name: str, data: bytes, content_type: str) -> Ticket:
        rules: AttachmentRules = getattr(self, "attachment_rules", None) or AttachmentRules()
        name = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:255]
        content_type = (content_type or "").split(";")[0].strip().lower()
        if not name or not data:
            raise ValidationError("attachment_empty")
        if len(data) > rules.max_bytes:
            raise ValidationError("attachment_too_large", name=name, max=rules.max_bytes // 1024)
        if content_type not in rules.types:
            raise ValidationError("attachment_type", name=name, type=content_type or "?",
                                  types=", ".join(sorted(rules.types)))

        def mutate(uow, ticket, team, now):
            uow.workflows.add_attachment(ticket.id, name, content_type, data, actor.user, now, rules.directory)
            ticket.workflow["_audit"] = {"attachment": [None, name]}
            self.fanout.update(uow, ticket, team, N_("attachment_added"), actor.user, (), name=name,
                               size=len(data))
        return self._change(actor, key, "attach", mutate)
