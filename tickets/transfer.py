"""Moving a ticket to another team, and merging a duplicate into another ticket.

Move: the ticket takes the next key of the new team; its old key stays an alias (storage keeps it,
so show, links and mail subjects with the old key still find it). The old team's card is edited to
"moved to LOG-7", the new team gets a card, deadlines restart from the move on the new team's
calendar and targets, and the requester is told. Moving into a confidential team hides it at once:
its watchers are dropped and its triage vector deleted. Moving out of a confidential team takes a
supervisor of that team (tickets/permissions.py).

Merge: within one team, by its agents: the first ticket is closed as a duplicate of the second,
its requester and watchers follow the second, the second links its conversation, both
requesters are told.
"""
from __future__ import annotations

from tickets.errors import ConcurrencyConflict, NotFound, ValidationError
from tickets.messages import N_
from tickets.model import AuditEvent, Comment, Status, Ticket, check_transition, parse_key, validate_text
from tickets.permissions import authorize
from tickets.teams import Actor

RETRIES = 8


class TransferActions:
    def move(self, actor: Actor, key: str, team: str, reason: str = "") -> Ticket:
        target = self.directory.team(team)
        reason = validate_text(reason)

        def mutate(uow, ticket, old_team, now):
            if target.key == old_team.key:
                raise ValidationError("move_same_team", key=ticket.key, team=target.key)
            self._require_open(ticket)
            old_key = ticket.key
            moved = {"key": old_key, "new_key": None, "team": target.key, "name": target.name,
                     "actor": actor.user, "reason": reason, "confidential": target.confidential}
            uow.workflows.add_alias(ticket.team, ticket.number, ticket.id, now)
            ticket.team, ticket.number = target.key, uow.tickets.next_number(target.key)
            uow.workflows.moved(ticket.id, target.key)  # sealing at rest follows the new team
            moved["new_key"] = ticket.key
            # the old team's card and thread say where it went (no title when it went confidential)
            # (the old thread hears first; then the old card lets go of the ticket for the new team's card)
            self.fanout.to_team(uow, old_team, "thread", N_("moved_out"), _keyed(ticket, old_key), dict(moved))
            self.fanout.to_team(uow, old_team, "card", N_("card_moved"), _keyed(ticket, old_key), dict(moved))
            if ticket.category not in target.categories:
                ticket.category, ticket.fields = None, {}
            if ticket.assignee and not self.directory.is_agent(Actor(ticket.assignee), target):
                ticket.assignee = None
                if ticket.status in (Status.IN_PROGRESS, Status.WAITING):
                    ticket.status = Status.NEW
            if target.confidential:
                ticket.watchers.clear()
                uow.workflows.drop_embedding(ticket.id)
            moves = list(ticket.workflow.get("moves") or [])
            moves.append({"from": old_key, "to": ticket.key, "by": actor.user, "at": now.isoformat(),
                          "reason": reason})
            ticket.workflow["moves"] = moves
            ticket.workflow["_audit"] = {"key": [old_key, ticket.key], "team": [old_team.key, target.key]}
            if ticket.status != Status.AWAITING_APPROVAL:
                self.sla.on_restart(ticket, target, now)
            params = {**moved, "title": ticket.title}
            self.fanout.card(uow, ticket, target)
            self.fanout.to_team(uow, target, "thread", N_("moved_in"), ticket, params)
            for user in dict.fromkeys([ticket.requester, *ticket.watchers]):
                if user != actor.user:
                    self.fanout.to_user(uow, target, user, N_("moved"), ticket, params)
        return self._change(actor, key, "move", mutate)

    def merge(self, actor: Actor, key: str, into: str) -> Ticket:
        """Close `key` as a duplicate of `into`; returns the ticket merged into."""
        source_key, target_key = parse_key(key), parse_key(into)
        for _ in range(RETRIES):
            try:
                with self.uow_factory() as uow:
                    uow.remember_user(actor.user, actor.locale)
                    source = self._load(uow, actor, key, source_key)
                    target = self._load(uow, actor, into, target_key)
                    if source.id == target.id:
                        raise ValidationError("merge_self", key=source.key)
                    if source.team != target.team:
                        raise ValidationError("merge_other_team", key=source.key, into=target.key)
                    team = self.directory.teams[source.team]
                    if not target.status.is_open:
                        raise ValidationError("ticket_not_open", key=target.key, status=target.status.value)
                    check_transition("merge", source.status)
                    now = self.clock.now()
                    old_status = source.status
                    source.status, source.closed_at, source.updated_at = Status.CLOSED, now, now
                    self.sla.on_status(source, team, old_status, now)
                    source.workflow["merged_into"] = target.key
                    followers = {source.requester, *source.watchers} - {target.requester}
                    before = sorted(target.watchers)
                    target.watchers |= followers
                    target.workflow["merged"] = [*(target.workflow.get("merged") or []), source.key]
                    target.updated_at = now
                    uow.tickets.save(source)
                    uow.tickets.save(target)
                    link = {"into": target.key, "merged_key": source.key, "merged_title": source.title}
                    uow.add_comment(Comment(target.id, actor.user, f"{source.key}: {source.title}", True, now,
                                            kind="merged"))
                    uow.add_event(AuditEvent(source.id, actor.user, "merge", now,
                                             {"status": [old_status.value, "closed"],
                                              "merged_into": [None, target.key]}, team=source.team))
                    uow.add_event(AuditEvent(target.id, actor.user, "merged", now,
                                             {"watchers": [before, sorted(target.watchers)],
                                              "merged": [None, source.key]}, team=target.team))
                    self.fanout.update(uow, source, team, N_("merged_into"), actor.user,
                                       [source.requester, *source.watchers], **link)
                    self.fanout.update(uow, target, team, N_("merged_from"), actor.user, [target.requester],
                                       **link)
                    uow.commit()
                    return target
            except ConcurrencyConflict:
                continue
        raise ConcurrencyConflict("merge")

    def _load(self, uow, actor: Actor, raw: str, key: tuple[str, int]) -> Ticket:
        ticket = uow.tickets.get(*key, for_update=True)
        team = self.directory.teams.get(ticket.team) if ticket is not None else None
        if ticket is None or team is None:
            raise NotFound("not_found", key=raw.upper())
        authorize(self.directory, actor, "merge", ticket, team)
        return ticket


class _keyed:
    """The ticket as its old key: messages to the old team's card and thread address `card:OLD-KEY`."""

    def __init__(self, ticket: Ticket, key: str) -> None:
        self.id, self.key, self.source = ticket.id, key, ticket.source
