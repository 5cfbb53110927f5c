"""Talking about a ticket: public replies, internal notes, ratings and watching.

A mixin of TicketService: each action goes through the service's `_change`, so it
is checked, audited and its messages queued like every other change.
"""
from __future__ import annotations

from tickets.errors import ValidationError
from tickets.messages import N_
from tickets.model import Comment, Rating, Status, Ticket, validate_text
from tickets.teams import Actor


class ConversationActions:
    def comment(self, actor: Actor, key: str, text: str) -> Ticket:
        return self._talk(actor, key, text, internal=False)

    def note(self, actor: Actor, key: str, text: str) -> Ticket:
        return self._talk(actor, key, text, internal=True)

    def _talk(self, actor: Actor, key: str, text: str, *, internal: bool) -> Ticket:
        text = validate_text(text, required=True)

        def mutate(uow, ticket, team, now):
            agent = self.directory.is_agent(actor, team) and actor.user != ticket.requester
            if not internal and not agent and ticket.status in (Status.CLOSED, Status.CANCELLED):
                raise ValidationError("closed_follow_up", key=ticket.key, team=team.key)  # nothing is stored
            uow.add_comment(Comment(ticket.id, actor.user, text, internal, now, kind="note" if internal else "comment"))
            params = {"key": ticket.key, "title": ticket.title, "actor": actor.user, "text": text}
            self.fanout.to_team(uow, team, "thread", N_("note_added") if internal else N_("comment_added"), ticket, params)
            if internal:
                return
            if agent:
                self.sla.on_first_response(ticket, team, now)
                if ticket.source_ref and not team.confidential:
                    self.fanout.to_team(uow, team, "origin", N_("comment_added"), ticket, params)
                recipients = [ticket.requester, *ticket.watchers]
            else:
                before = ticket.status
                if ticket.status == Status.RESOLVED:  # "still broken": the reply reopens the ticket
                    self._reopen_by_reply(uow, ticket, team, actor, now, text)
                    return
                if ticket.status == Status.WAITING:
                    self._move(ticket, team, "resume", now)
                self.sla.on_requester_reply(ticket, team, now)
                if ticket.status != before:  # the card says "in progress" now, not "waiting"
                    self.fanout.card(uow, ticket, team)
                recipients = [ticket.assignee, *ticket.watchers]
            for user in dict.fromkeys(recipients):
                if user and user != actor.user:
                    self.fanout.to_user(uow, team, user, N_("comment_added"), ticket, params)
        return self._change(actor, key, "note" if internal else "comment", mutate)

    def _reopen_by_reply(self, uow, ticket: Ticket, team, actor: Actor, now, text: str) -> None:
        """A requester's reply to a resolved ticket (before it closes): reopened, and the team told."""
        self._move(ticket, team, "reopen", now)
        if ticket.assignee:
            ticket.status = Status.IN_PROGRESS
        ticket.resolved_at = None
        self.sla.on_reopen(ticket, team, now)
        self.fanout.update(uow, ticket, team, N_("reopened_by_reply"), actor.user, [ticket.assignee, *ticket.watchers],
                           text=text)
        self.fanout.to_team(uow, team, "team", N_("reopened_by_reply"), ticket,
                            {"key": ticket.key, "title": ticket.title, "actor": actor.user, "text": text})

    def rate(self, actor: Actor, key: str, score: int, comment: str = "") -> Ticket:
        comment = validate_text(comment)
        if not isinstance(score, int) or not 1 <= score <= 5:
            raise ValidationError("bad_rating", value=score)

        def mutate(uow, ticket, team, now):
            resolution = ticket.sla_state.get("resolutions", 0)
            if ticket.status not in (Status.RESOLVED, Status.CLOSED) or resolution == 0:
                raise ValidationError("rate_not_resolved", key=ticket.key)
            if uow.has_rating(ticket.id, resolution):
                raise ValidationError("already_rated", key=ticket.key)
            uow.add_rating(Rating(ticket.id, resolution, score, comment, actor.user, now))
            params = {"key": ticket.key, "title": ticket.title, "actor": actor.user, "score": score,
                      "comment": comment}
            self.fanout.to_team(uow, team, "thread", N_("rated"), ticket, params)
            self.fanout.to_user(uow, team, ticket.assignee, N_("rated"), ticket, params)
        return self._change(actor, key, "rate", mutate)

    def watch(self, actor: Actor, key: str) -> Ticket:
        def mutate(uow, ticket, team, now):
            ticket.watchers.add(actor.user)
        return self._change(actor, key, "watch", mutate)
