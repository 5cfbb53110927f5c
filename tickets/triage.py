"""Smart triage: suggest a team, a category and possible duplicates for a new request.

Standard library only. The sentence-embedding model sits behind the small `Embedder`
protocol (the adapter lives in `ai/`); the rules are here:
- suggestions only: nothing is moved or filled in automatically;
- tickets of confidential teams are never embedded, never offered as duplicates, and a
  confidential team is never suggested (its people use the team picker);
- a duplicate is an *open* ticket the asker may see (`can_view`) whose similarity reaches
  `duplicate_threshold`, at most `max_duplicates`, most similar first;
- the team is the weighted vote of the nearest known tickets plus each category's label,
  suggested only when its share of the vote reaches `min_confidence`.
"""
from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field
from typing import Callable, Iterable, Protocol, Sequence

from tickets.model import Ticket
from tickets.teams import Directory, Team

Vector = Sequence[float]


class Embedder(Protocol):
    """A sentence-embedding model: unit-length vectors, the same model for texts and queries."""

    name: str  # stored with each vector; vectors of another model are recomputed

    def embed(self, texts: Sequence[str]) -> list[Vector]: ...


@dataclass(frozen=True)
class TriageRules:
    neighbours: int = 7  # nearest known tickets that vote
    label_weight: float = 0.5  # weight of a category label's own similarity in the vote
    sharpness: float = 20.0  # votes weigh exp(sharpness * similarity): near ones count much more
    min_confidence: float = 0.45  # the winning team's share of the vote before it is suggested
    duplicate_threshold: float = 0.93
    max_duplicates: int = 3


@dataclass
class Known:
    """A ticket with its stored vector, as the triage index sees it."""

    ticket: Ticket
    vector: Vector


@dataclass
class Duplicate:
    key: str
    title: str
    score: float


@dataclass
class Suggestion:
    team: str | None = None
    category: str | None = None
    confidence: float = 0.0
    duplicates: list[Duplicate] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return self.team is None and not self.duplicates


def dot(a: Vector, b: Vector) -> float:
    return math.fsum(x * y for x, y in zip(a, b))


def normalise(vector: Vector) -> list[float]:
    norm = math.sqrt(math.fsum(x * x for x in vector)) or 1.0
    return [x / norm for x in vector]


def ticket_text(ticket: Ticket) -> str:
    """What is embedded of a ticket: its title and the start of its description."""
    return f"{ticket.title}\n{(ticket.description or '')[:500]}".strip()


def embeddable(directory: Directory, ticket: Ticket) -> bool:
    team = directory.teams.get(ticket.team)
    return team is not None and not team.confidential


def label_text(team: Team, category: str | None) -> str:
    return f"{team.name}: {category}" if category else team.name


class Triage:
    """Suggestions from an embedder and the tickets already embedded."""

    def __init__(self, embedder: Embedder, directory: Directory, rules: TriageRules | None = None) -> None:
        self.embedder = embedder
        self.directory = directory
        self.rules = rules or TriageRules()
        self._labels: list[tuple[str, str | None, Vector]] | None = None

    def teams(self) -> list[Team]:
        return [t for t in self.directory.teams.values() if not t.confidential]

    def labels(self) -> list[tuple[str, str | None, Vector]]:
        """(team, category, vector) of every category of the open teams, embedded once."""
        if self._labels is None:
            pairs = [(t, c) for t in self.teams() for c in (t.categories or (None,))]
            vectors = self.embedder.embed([label_text(t, c) for t, c in pairs]) if pairs else []
            self._labels = [(t.key, c, v) for (t, c), v in zip(pairs, vectors)]
        return self._labels

    def vector_of(self, text: str) -> Vector:
        return self.embedder.embed([text])[0]

    def suggest(self, text: str, known: Iterable[Known], may_see: Callable[[Ticket], bool],
                *, vector: Vector | None = None) -> Suggestion:
        vector = vector if vector is not None else self.vector_of(text)
        open_teams = {t.key for t in self.teams()}
        scored = [(dot(vector, k.vector), k) for k in known if k.ticket.team in open_teams]
        suggestion = self._classify(vector, scored)
        suggestion.duplicates = self._duplicates(scored, may_see)
        return suggestion

    def _classify(self, vector: Vector, scored: list[tuple[float, Known]]) -> Suggestion:
        rules = self.rules
        votes: dict[tuple[str, str | None], float] = {}
        for score, k in heapq.nlargest(rules.neighbours, scored, key=lambda pair: pair[0]):
            label = (k.ticket.team, k.ticket.category)
            votes[label] = votes.get(label, 0.0) + math.exp(rules.sharpness * (score - 1.0))
        for team, category, label_vector in self.labels():
            score = dot(vector, label_vector)
            weight = rules.label_weight * math.exp(rules.sharpness * (score - 1.0))
            votes[(team, category)] = votes.get((team, category), 0.0) + weight
        if not votes:
            return Suggestion()
        per_team: dict[str, float] = {}
        for (team, _), weight in votes.items():
            per_team[team] = per_team.get(team, 0.0) + weight
        team, best = max(per_team.items(), key=lambda item: item[1])
        confidence = best / (sum(per_team.values()) or 1.0)
        if confidence < rules.min_confidence:
            return Suggestion(confidence=confidence)
        categories = {c: w for (t, c), w in votes.items() if t == team and c is not None}
        category = max(categories, key=categories.get) if categories else None
        return Suggestion(team=team, category=category, confidence=confidence)

    def _duplicates(self, scored: list[tuple[float, Known]], may_see: Callable[[Ticket], bool]) -> list[Duplicate]:
        rules = self.rules
        near = [(s, k) for s, k in scored if s >= rules.duplicate_threshold and k.ticket.status.is_open]
        out = []
        for score, k in sorted(near, key=lambda pair: pair[0], reverse=True):
            if may_see(k.ticket):
                out.append(Duplicate(k.ticket.key, k.ticket.title, round(score, 3)))
                if len(out) == rules.max_duplicates:
                    break
        return out


def keyword_team(directory: Directory, text: str) -> tuple[str | None, str | None]:
    """The baseline a rules-only router gives: the first category (or team name) named in the text."""
    words = set(_words(text))
    best: tuple[int, str | None, str | None] = (0, None, None)
    for team in directory.teams.values():
        if team.confidential:
            continue
        for category in team.categories:
            hits = len(set(_words(category)) & words)
            if hits > best[0]:
                best = (hits, team.key, category)
        hits = len(set(_words(team.name)) & words)
        if hits > best[0]:
            best = (hits, team.key, None)
    return best[1], best[2]


def _words(text: str) -> list[str]:
    return [w for w in "".join(c.lower() if c.isalnum() else " " for c in text).split() if len(w) > 1]
