"""Teams and who plays which role in them, as the domain sees them.

The config package builds these from the teams file; the domain only reads them.
Members are identities such as ``slack:U123``, ``discord:42``, ``console:budi``
or groups such as ``slack-group:S1`` and ``discord-role:7``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tickets.fields import CategoryRules, Macro
from tickets.model import Priority

if TYPE_CHECKING:  # pragma: no cover
    from tickets.calendar import BusinessCalendar
    from tickets.dates import Duration


@dataclass(frozen=True)
class SlaTarget:
    """Targets in business time: working days of the team's calendar, then business hours."""

    first_response: "Duration | None" = None
    resolution: "Duration | None" = None


@dataclass(frozen=True)
class Team:
    key: str
    name: str
    confidential: bool = False
    language: str | None = None
    channels: dict[str, str] = field(default_factory=dict)  # platform -> channel id/name
    intake_channels: dict[str, tuple[str, ...]] = field(default_factory=dict)
    agents: frozenset[str] = frozenset()
    supervisors: frozenset[str] = frozenset()
    escalation: tuple[str, ...] = ()  # supervisor, then manager, ...
    categories: tuple[str, ...] = ()
    sla: dict[Priority, SlaTarget] = field(default_factory=dict)
    calendar: "BusinessCalendar | None" = None
    category_rules: dict[str, CategoryRules] = field(default_factory=dict)  # category -> fields, approval
    macros: tuple[Macro, ...] = ()
    whatsapp: bool = False  # takes requests sent to the WhatsApp number
    emails: tuple[str, ...] = ()  # mailbox addresses whose mail becomes this team's tickets
    web_form: str = "off"  # off | public | sign-in: the web request form
    requester_priority: bool = False  # requesters may choose a priority (web form)
    require_2fa: bool = False  # staff actions need the platform to confirm two-factor authentication

    def rules_for(self, category: str | None) -> CategoryRules:
        return self.category_rules.get(category or "", CategoryRules())


@dataclass(frozen=True)
class Actor:
    """Who is acting: a user id plus the groups/roles the platform says they hold."""

    user: str
    groups: frozenset[str] = frozenset()
    locale: str | None = None
    mfa: bool | None = None  # two-factor authentication, as the platform confirms it (None: it cannot tell)

    def identities(self) -> frozenset[str]:
        return self.groups | {self.user}


@dataclass(frozen=True)
class Directory:
    teams: dict[str, Team]
    admins: frozenset[str] = frozenset()
    default_language: str = "en"
    rate_limit_per_hour: int = 20
    managers: dict[str, str] = field(default_factory=dict)  # person -> their manager ([people] table)
    email_default_team: str | None = None  # takes mail that matches no team's address
    people: dict[str, str] = field(default_factory=dict)  # "email:budi@corp.example" -> "slack:U123"

    def team(self, key: str) -> Team:
        from tickets.errors import NotFound

        team = self.teams.get(key.upper())
        if team is None:
            raise NotFound("unknown_team", team=key.upper(), teams=", ".join(sorted(self.teams)))
        return team

    def is_admin(self, actor: Actor) -> bool:
        return bool(actor.identities() & self.admins)

    def is_agent(self, actor: Actor, team: Team) -> bool:
        ids = actor.identities()
        return bool(ids & (team.agents | team.supervisors)) or self.is_admin(actor)

    def is_supervisor(self, actor: Actor, team: Team) -> bool:
        return bool(actor.identities() & team.supervisors) or self.is_admin(actor)

    def teams_of(self, actor: Actor) -> list[Team]:
        return [t for t in self.teams.values() if self.is_agent(actor, t)]

    def team_for_channel(self, platform: str, channel: str) -> Team | None:
        for team in self.teams.values():
            if team.channels.get(platform) == channel or channel in team.intake_channels.get(platform, ()):
                return team
        return None
