"""Triage as the rest of the system calls it: suggest for a person, and index tickets in the background.

The `EmbeddingStore` port (storage implements it) keeps one vector per ticket; `index` is the
background job (the scheduler runs it): it embeds tickets that have none yet, never those of
confidential teams, and drops any vector a ticket has while its team is confidential.
"""
from __future__ import annotations

from typing import Iterable, Protocol, Sequence

from tickets.model import Ticket
from tickets.permissions import can_view
from tickets.teams import Actor, Directory
from tickets.triage import Embedder, Known, Suggestion, Triage, TriageRules, Vector, ticket_text


class EmbeddingStore(Protocol):
    def missing(self, teams: Sequence[str], model: str, limit: int) -> list[Ticket]:
        """Tickets of these teams without a vector of this model (oldest first)."""

    def put(self, ticket_id: int, model: str, vector: Vector) -> None: ...

    def known(self, teams: Sequence[str], model: str, limit: int) -> list[Known]:
        """Tickets of these teams with their vectors (newest first)."""

    def drop_teams(self, teams: Sequence[str]) -> int:
        """Remove the vectors of these teams' tickets; how many went."""


class TriageService:
    def __init__(self, embedder: Embedder, store: EmbeddingStore, directory: Directory,
                 rules: TriageRules | None = None, *, window: int = 5000) -> None:
        self.triage = Triage(embedder, directory, rules)
        self.embedder = embedder
        self.store = store
        self.directory = directory
        self.window = window

    def _open_teams(self) -> list[str]:
        return [t.key for t in self.directory.teams.values() if not t.confidential]

    def suggest(self, actor: Actor, text: str) -> Suggestion:
        """Team, category and up to three open tickets `actor` may see that look the same."""
        text = (text or "").strip()
        if not text:
            return Suggestion()
        known = self.store.known(self._open_teams(), self.embedder.name, self.window)

        def may_see(ticket: Ticket) -> bool:
            team = self.directory.teams.get(ticket.team)
            return team is not None and not team.confidential and can_view(self.directory, actor, ticket, team)

        return self.triage.suggest(text, known, may_see)

    def index(self, limit: int = 64) -> int:
        """Embed up to `limit` tickets that have no vector yet; returns how many were embedded."""
        closed = [t.key for t in self.directory.teams.values() if t.confidential]
        if closed:
            self.store.drop_teams(closed)
        tickets: Iterable[Ticket] = self.store.missing(self._open_teams(), self.embedder.name, limit)
        tickets = list(tickets)
        if not tickets:
            return 0
        vectors = self.embedder.embed([ticket_text(t) for t in tickets])
        for ticket, vector in zip(tickets, vectors):
            self.store.put(ticket.id, self.embedder.name, vector)
        return len(tickets)
