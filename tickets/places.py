"""Where a ticket is talked about, and who can read each place.

A ticket has places on each platform: the team's card thread (``thread``), the
thread of the message it came from (``origin``), a person's direct messages with
the bot (``dm``). On Discord a confidential team's ticket thread is a private
thread that holds the requester and the team (the notifier builds it that way);
everywhere else the ticket thread sits under the card in the team's channel,
where the requester is not invited. The conversation rules and the fan-out both
read this module, so a note can never be sent where a requester reads.
Standard library only.
"""
from __future__ import annotations

from dataclasses import dataclass

from tickets.model import Ticket
from tickets.teams import Team

# platforms whose confidential tickets get a private thread shared with the requester
SHARED_PRIVATE_THREADS = frozenset({"discord"})
KINDS = ("thread", "origin", "dm")


@dataclass(frozen=True)
class Place:
    platform: str
    kind: str  # thread | origin | dm
    owner: str | None = None  # a DM's person

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown place kind {self.kind!r}")


def requester_in_thread(team: Team, platform: str) -> bool:
    """Does the ticket thread on `platform` hold the requester?"""
    return team.confidential and platform in SHARED_PRIVATE_THREADS


def requester_reads(place: Place, ticket: Ticket, team: Team) -> bool:
    if place.kind == "origin":
        return True  # the requester's own message, in a channel they are in
    if place.kind == "dm":
        return place.owner == ticket.requester
    return requester_in_thread(team, place.platform)
