"""A direct message to the bot that is not a command starts a request.

The adapter asks which team it is for (one button per team, the triage suggestion first and
named), shows possible duplicates the person may see, and on the person's pick creates the
ticket from the message: its first line is the title, the rest the description.
Standard library only.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from tickets.model import TITLE_MAX
from tickets.teams import Actor, Directory
from tickets.triage import Suggestion

MAX_TEAM_BUTTONS = 20


@dataclass
class DmOffer:
    teams: list[tuple[str, str]] = field(default_factory=list)  # (key, name), the suggested team first
    suggestion: Suggestion | None = None


def offer(directory: Directory, triage, actor: Actor, text: str) -> DmOffer:
    """The teams to pick from and what triage suggests (`triage`: a TriageService or None when off)."""
    suggestion = triage.suggest(actor, text) if triage is not None and text.strip() else None
    teams = [(t.key, t.name) for t in directory.teams.values()]
    if suggestion is not None and suggestion.team:
        teams.sort(key=lambda pair: pair[0] != suggestion.team)
    return DmOffer(teams[:MAX_TEAM_BUTTONS], suggestion)


def title_and_description(text: str) -> tuple[str, str]:
    """The first line (clipped to a title's length) is the title; everything is kept in the description."""
    text = (text or "").strip()
    first, _, rest = text.partition("\n")
    first = first.strip()
    if len(first) <= TITLE_MAX:
        return first, rest.strip()
    cut = first[:TITLE_MAX - 1].rsplit(" ", 1)[0] or first[:TITLE_MAX - 1]
    return cut + "…", text
