"""Talking about a ticket: public replies, internal notes, ratings and watching, and
the conversation rules: what a message written in one of a ticket's places means.

A mixin of TicketService: each action goes through the service's `_change`, so it
is checked, audited and its messages queued like every other change.

The rules (`converse`), the same on every platform:
- the requester writing in any of the ticket's places is a public reply from the
  requester: it resumes a waiting ticket and reopens a resolved one;
- the team's staff writing in a place the requester can read (the origin thread, a
  private thread that holds the requester, the requester's DM) is a public reply;
  anywhere else (the team's card thread) it is an internal note;
- anyone else who may take part (the reporter) writes public replies; bystanders
  are not recorded.
Internal notes are only ever sent to places no requester can read (see places.py).
"""
from __future__ import annotations

from dataclasses import dataclass

from tickets.errors import NotFound, ValidationError
from tickets.messages import N_
from tickets.model import Comment, Rating, Status, Ticket, parse_key, validate_text
from tickets.places import Place, requester_reads
from tickets.teams import Actor

PUBLIC, NOTE, REQUESTER, IGNORED = "reply", "note", "requester_reply", "ignored"


@dataclass(frozen=True)
class Said:
    """What a message in a ticket's place turned out to be."""

    meaning: str  # reply | note | requester_reply | ignored
    ticket: Ticket | None
    internal: bool = False


class ConversationActions:
    def converse(self, actor: Actor, key: str, place: Place, text: str) -> Said:
        """A message `actor` wrote in one of the ticket's places: decide what it is, then record it."""
        meaning = self.meaning(actor, key, place)
        if meaning == IGNORED:
            return Said(IGNORED, None)
        ticket = self._talk(actor, key, text, internal=meaning == NOTE, reopen=meaning == REQUESTER)
        return Said(meaning, ticket, internal=meaning == NOTE)

    def meaning(self, actor: Actor, key: str, place: Place) -> str:
        team_key, number = parse_key(key)
        with self.uow_factory() as uow:
            ticket = uow.tickets.get(team_key, number)
        team = self.directory.teams.get(team_key)
        if ticket is None or team is None:
            raise NotFound("not_found", key=key.upper())
        if actor.user == ticket.requester:
            return REQUESTER
        if self.directory.is_agent(actor, team):
            return PUBLIC if requester_reads(place, ticket, team) else NOTE
        if actor.user == ticket.reporter:
            return PUBLIC
        return IGNORED

    def comment(self, actor: Actor, key: str, text: str) -> Ticket:
        return self._talk(actor, key, text, internal=False)

    def note(self, actor: Actor, key: str, text: str) -> Ticket:
        return self._talk(actor, key, text, internal=True)

    def _talk(self, actor: Actor, key: str, text: str, *, internal: bool, reopen: bool = False) -> Ticket:
        """Record a comment; `reopen`: the requester answering in the conversation reopens a resolved
        ticket (an explicit `/ticket comment` on a resolved one only restarts its auto-close wait)."""
        text = validate_text(text, required=True)

        def mutate(uow, ticket, team, now):
            staff = self.directory.is_agent(actor, team) and actor.user != ticket.requester
            if not internal and not staff and ticket.status in (Status.CLOSED, Status.CANCELLED):
                raise ValidationError("closed_follow_up", key=ticket.key, team=team.key)  # nothing is stored
            uow.add_comment(Comment(ticket.id, actor.user, text, internal, now, kind="note" if internal else "comment"))
            params = {"key": ticket.key, "title": ticket.title, "actor": actor.user, "text": text}
            if internal:  # only where no requester can read it
                self.fanout.to_staff(uow, team, N_("note_added"), ticket, params, actor.user)
                return
            self.fanout.to_team(uow, team, "thread", N_("comment_added"), ticket, params)
            agent = self.directory.is_agent(actor, team) and actor.user != ticket.requester
            if agent:
                answered = ticket.first_response_at is not None
                self.sla.on_first_response(ticket, team, now)
                if not answered:  # the card's first-response deadline is met: it leaves the card
                    self.fanout.card(uow, ticket, team)
                if ticket.source_ref and not team.confidential:
                    self.fanout.to_team(uow, team, "origin", N_("comment_added"), ticket, params)
                recipients = [ticket.requester, *ticket.watchers]
            else:
                if ticket.status == Status.WAITING:
                    self._move(ticket, team, "resume", now)
                    self.fanout.card(uow, ticket, team)  # the card says "in progress" now, not "waiting"
                elif reopen and ticket.status == Status.RESOLVED:
                    self.reopen_now(uow, ticket, team, now, actor)  # the requester's answer: not solved after all
                self.sla.on_requester_reply(ticket, team, now)
                recipients = [ticket.assignee, *ticket.watchers]
            for user in dict.fromkeys(recipients):
                if user and user != actor.user:
                    self.fanout.to_user(uow, team, user, N_("comment_added"), ticket, params)
        return self._change(actor, key, "note" if internal else "comment", mutate)

    def reopen_now(self, uow, ticket: Ticket, team, now, actor: Actor, reason: str = "") -> None:
        """Reopen inside a change: back to work (in progress when someone holds it)."""
        self._move(ticket, team, "reopen", now)
        if ticket.assignee:
            ticket.status = Status.IN_PROGRESS
        ticket.resolved_at = ticket.closed_at = None
        self.sla.on_reopen(ticket, team, now)
        self.fanout.update(uow, ticket, team, N_("reopened"), actor.user,
                           [ticket.assignee, ticket.requester, *ticket.watchers], reason=reason)

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
