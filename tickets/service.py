"""The service layer: one call per user action.

Each call loads the ticket, checks permission, changes it, writes an audit event and queues the messages
it owes, all in one transaction. A conflicting concurrent change (another replica claimed first) is retried
from the top, so the loser sees the winner's state and gets a clear answer."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable

from tickets.errors import (AlreadyClaimed, ConcurrencyConflict, DuplicateRequest, NotFound,
                            RateLimited, ValidationError)
from tickets.approvals import ApprovalActions, ask_approvers, start_approval
from tickets.conversation import ConversationActions
from tickets.fanout import Fanout, team_tz
from tickets.fields import validate_fields
from tickets.messages import N_
from tickets.model import (AuditEvent, Comment, Priority, Ticket, check_transition,
                           parse_key, validate_text, validate_title)
from tickets.limits import Limits
from tickets.permissions import authorize
from tickets.ports import Clock, UnitOfWork
from tickets.sla import SlaPolicy
from tickets.sla_plan import calendar_of
from tickets.teams import Actor, Directory, Team
from tickets.transfer import TransferActions
from tickets.workflow import AttachmentRules, WorkflowActions

AUDITED = ("status", "priority", "assignee", "due_at", "title", "category")
RETRIES = 8


@dataclass
class OpenResult:
    ticket: Ticket
    created: bool


def _snapshot(ticket: Ticket) -> dict[str, Any]:
    out = {}
    for name in AUDITED:
        value = getattr(ticket, name)
        out[name] = value.value if hasattr(value, "value") else value.isoformat() if isinstance(value, datetime) else value
    return out


def parse_priority(value: str | None) -> Priority:
    try:
        return Priority((value or "normal").lower())
    except ValueError:
        raise ValidationError("bad_priority", value=value) from None


class TicketService(ConversationActions, WorkflowActions, TransferActions, ApprovalActions):
    def __init__(self, uow_factory: Callable[[], UnitOfWork], directory: Directory, clock: Clock,
                 platforms: frozenset[str] = frozenset({"console"}), sla: SlaPolicy | None = None,
                 limits: Limits | None = None, attachment_rules: AttachmentRules | None = None) -> None:
        self.uow_factory = uow_factory
        self.limits = limits or Limits()
        self.directory = directory
        self.clock = clock
        self.fanout = Fanout(directory, platforms)
        self.sla = sla or SlaPolicy()
        self.attachment_rules = attachment_rules or AttachmentRules()

    # -- creating ---------------------------------------------------------------
    def open(self, actor: Actor, team: str, title: str, description: str = "", *, priority: str | None = None,
             category: str | None = None, due_at: datetime | None = None, requester: str | None = None,
             source: str = "console", source_ref: str | None = None,
             idempotency_key: str | None = None, refs: dict[str, str] | None = None,
             fields: dict | None = None) -> OpenResult:
        team_obj = self.directory.team(team)
        title = validate_title(title)
        description = validate_text(description)
        prio = parse_priority(priority)
        category = self.check_category(team_obj, category)
        rules = team_obj.rules_for(category)
        fields = validate_fields(rules.fields, fields)  # each bad field named (tickets/fields.py)
        if due_at is not None:
            self._bound_deadline(team_obj, due_at)
        requester = requester or actor.user
        for _ in range(RETRIES):
            try:
                with self.uow_factory() as uow:
                    uow.remember_user(actor.user, actor.locale)
                    if idempotency_key:
                        existing = uow.tickets.by_idempotency_key(idempotency_key)
                        if existing is not None:
                            return OpenResult(existing, False)
                    now = self.clock.now()
                    limit = self.directory.rate_limit_per_hour
                    if limit and uow.tickets.count_created_by(requester, now - timedelta(hours=1)) >= limit:
                        raise RateLimited("rate_limited", limit=limit)
                    ticket = Ticket(team=team_obj.key, number=uow.tickets.next_number(team_obj.key), title=title,
                                    description=description, requester=requester, reporter=actor.user,
                                    created_at=now, updated_at=now, priority=prio, category=category,
                                    source=source, source_ref=source_ref, due_at=due_at, fields=fields)
                    if rules.approval:
                        start_approval(self.directory, ticket, team_obj, rules.approval, now)
                    self.sla.on_open(ticket, team_obj, now)
                    uow.tickets.add(ticket, idempotency_key=idempotency_key)
                    for where, ref in (refs or {}).items():  # "platform:kind" -> ref, with the ticket
                        platform, _, kind = where.partition(":")
                        uow.set_ref(ticket.id, platform, kind, ref)
                    uow.add_event(AuditEvent(ticket.id, actor.user, "open", now, {
                        k: [None, v] for k, v in _snapshot(ticket).items() if v is not None}, team=ticket.team))
                    self.fanout.card(uow, ticket, team_obj)
                    if rules.approval:
                        ask_approvers(self.fanout, uow, ticket, team_obj)
                    params = {"key": ticket.key, "title": ticket.title, "actor": actor.user,
                              "requester": requester, "confidential": team_obj.confidential}
                    self.fanout.to_team(uow, team_obj, "thread", N_("thread_opened"), ticket, params)
                    if source_ref:
                        template = N_("origin_received") if team_obj.confidential else N_("origin_created")
                        self.fanout.to_team(uow, team_obj, "origin", template, ticket, params)
                    if requester != actor.user:
                        self.fanout.to_user(uow, team_obj, requester, N_("opened_for_you"), ticket, params)
                    uow.commit()
                    return OpenResult(ticket, True)
            except (ConcurrencyConflict, DuplicateRequest):
                continue
        raise ConcurrencyConflict("open")

    # -- changing ---------------------------------------------------------------
    def _change(self, actor: Actor, key: str, action: str,
                mutate: Callable[[UnitOfWork, Ticket, Team, datetime], None]) -> Ticket:
        team_key, number = parse_key(key)
        for _ in range(RETRIES):
            try:
                with self.uow_factory() as uow:
                    uow.remember_user(actor.user, actor.locale)
                    ticket = uow.tickets.get(team_key, number, for_update=True)  # old keys find moved tickets
                    if ticket is None or ticket.team not in self.directory.teams:
                        raise NotFound("not_found", key=key.upper())
                    team = self.directory.teams[ticket.team]
                    authorize(self.directory, actor, action, ticket, team)
                    now = self.clock.now()
                    before = _snapshot(ticket)
                    mutate(uow, ticket, team, now)
                    after = _snapshot(ticket)
                    measured = self.sla.audit_changes(ticket)
                    measured.update(ticket.workflow.pop("_audit", None) or {})
                    ticket.updated_at = now
                    uow.tickets.save(ticket)
                    changes = {k: [before[k], after[k]] for k in AUDITED if before[k] != after[k]}
                    changes.update(measured)
                    uow.add_event(AuditEvent(ticket.id, actor.user, action, now, changes, team=ticket.team))
                    uow.commit()
                    return ticket
            except ConcurrencyConflict:
                continue
        raise ConcurrencyConflict(action)

    def _move(self, ticket: Ticket, team: Team, action: str, now: datetime) -> None:
        target = check_transition(action, ticket.status)
        if target is not None:
            old = ticket.status
            ticket.status = target
            self.sla.on_status(ticket, team, old, now)

    def claim(self, actor: Actor, key: str) -> Ticket:
        def mutate(uow, ticket, team, now):
            if ticket.assignee == actor.user:
                raise AlreadyClaimed("already_yours", key=ticket.key)
            if ticket.assignee is not None:
                raise AlreadyClaimed("already_claimed", key=ticket.key, assignee=ticket.assignee)
            self._move(ticket, team, "claim", now)
            ticket.assignee = actor.user
            self.sla.on_first_response(ticket, team, now)
            self.fanout.update(uow, ticket, team, N_("claimed"), actor.user, [ticket.requester, *ticket.watchers],
                               assignee=actor.user)
        return self._change(actor, key, "claim", mutate)

    def assign(self, actor: Actor, key: str, user: str) -> Ticket:
        if user == actor.user:
            return self.claim(actor, key)

        def mutate(uow, ticket, team, now):
            if not self.directory.is_agent(Actor(user), team):
                raise ValidationError("not_an_agent", user=user, team=team.key)
            if ticket.assignee == user:  # nothing changes: no history, no messages
                raise ValidationError("unchanged_assignee", key=ticket.key, user=user)
            self._move(ticket, team, "assign", now)
            ticket.assignee = user
            self.fanout.update(uow, ticket, team, N_("assigned"), actor.user, [user, ticket.requester, *ticket.watchers],
                               assignee=user)
        return self._change(actor, key, "assign", mutate)

    def unclaim(self, actor: Actor, key: str) -> Ticket:
        def mutate(uow, ticket, team, now):
            if ticket.assignee is None:
                raise ValidationError("not_claimed", key=ticket.key)
            self._move(ticket, team, "unclaim", now)
            previous, ticket.assignee = ticket.assignee, None
            self.fanout.update(uow, ticket, team, N_("unclaimed"), actor.user, [previous])
        return self._change(actor, key, "unclaim", mutate)

    def set_priority(self, actor: Actor, key: str, level: str) -> Ticket:
        prio = parse_priority(level)

        def mutate(uow, ticket, team, now):
            self._require_open(ticket)
            if ticket.priority == prio:  # nothing changes: no history, no messages
                raise ValidationError("unchanged_priority", key=ticket.key, priority=prio.value)
            ticket.priority = prio
            self.sla.on_priority(ticket, team, now)
            self.fanout.update(uow, ticket, team, N_("priority_changed"), actor.user, [ticket.assignee],
                               priority=prio.value)
        return self._change(actor, key, "priority", mutate)

    def _bound_deadline(self, team: Team | None, at: datetime) -> None:
        """Refuse a deadline beyond the horizon, then do its calendar work here, outside any
        transaction: the transaction's own arithmetic then finds every day already computed."""
        now = self.clock.now()
        self.limits.check_deadline(at, now)
        if at > now:
            calendar_of(team).between(now, at)

    def set_due(self, actor: Actor, key: str, due_at: datetime) -> Ticket:
        self._bound_deadline(self.directory.teams.get(parse_key(key)[0]), due_at)

        def mutate(uow, ticket, team, now):
            self._require_open(ticket)
            if due_at <= now:
                raise ValidationError("due_in_past")
            ticket.due_at = due_at
            self.sla.on_due(ticket, team, now)
            self.fanout.update(uow, ticket, team, N_("due_changed"), actor.user, [ticket.assignee, ticket.requester],
                               due=due_at.isoformat())
        return self._change(actor, key, "due", mutate)

    def wait(self, actor: Actor, key: str, reason: str = "") -> Ticket:
        reason = validate_text(reason)

        def mutate(uow, ticket, team, now):
            self._move(ticket, team, "wait", now)
            if reason:
                uow.add_comment(Comment(ticket.id, actor.user, reason, False, now, kind="reason"))
            self.fanout.update(uow, ticket, team, N_("waiting"), actor.user, [ticket.requester], reason=reason)
        return self._change(actor, key, "wait", mutate)

    def resolve(self, actor: Actor, key: str, note: str = "") -> Ticket:
        note = validate_text(note)

        def mutate(uow, ticket, team, now):
            self._move(ticket, team, "resolve", now)
            ticket.assignee = ticket.assignee or actor.user
            ticket.resolved_at = now
            ticket.sla_state["resolutions"] = ticket.sla_state.get("resolutions", 0) + 1
            if note:
                uow.add_comment(Comment(ticket.id, actor.user, note, False, now, kind="resolution"))
            self.fanout.update(uow, ticket, team, N_("resolved"), actor.user, [ticket.requester, *ticket.watchers],
                               note=note, rate=True)
        return self._change(actor, key, "resolve", mutate)

    def close(self, actor: Actor, key: str, note: str = "") -> Ticket:
        note = validate_text(note)

        def mutate(uow, ticket, team, now):
            self._move(ticket, team, "close", now)
            ticket.closed_at = now
            if note:
                uow.add_comment(Comment(ticket.id, actor.user, note, False, now, kind="resolution"))
            self.fanout.update(uow, ticket, team, N_("closed"), actor.user,
                               [ticket.requester, ticket.assignee, *ticket.watchers], note=note)
        return self._change(actor, key, "close", mutate)

    def reopen(self, actor: Actor, key: str, reason: str = "") -> Ticket:
        reason = validate_text(reason)

        def mutate(uow, ticket, team, now):
            if reason:
                uow.add_comment(Comment(ticket.id, actor.user, reason, False, now, kind="reason"))
            self.reopen_now(uow, ticket, team, now, actor, reason)
        return self._change(actor, key, "reopen", mutate)

    def cancel(self, actor: Actor, key: str) -> Ticket:
        def mutate(uow, ticket, team, now):
            self._move(ticket, team, "cancel", now)
            ticket.closed_at = now
            self.fanout.update(uow, ticket, team, N_("cancelled"), actor.user, [ticket.requester])
        return self._change(actor, key, "cancel", mutate)

    def snooze(self, actor: Actor, key: str, until: datetime, reason: str = "") -> Ticket:
        self.limits.check_deadline(until, self.clock.now())

        def mutate(uow, ticket, team, now):
            self._require_open(ticket)
            self.sla.on_snooze(ticket, team, now, until)
            self.fanout.to_team(uow, team, "thread", N_("snoozed"), ticket,
                                {"key": ticket.key, "actor": actor.user, "until": until.isoformat(),
                                 "reason": reason, "tz": team_tz(team)})
        return self._change(actor, key, "snooze", mutate)

    @staticmethod
    def _require_open(ticket: Ticket) -> None:
        if not ticket.status.is_open:
            raise ValidationError("ticket_not_open", key=ticket.key, status=ticket.status.value)
