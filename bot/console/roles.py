"""Who is who in the console: the names the teams file gives roles, and what one name may do."""
from __future__ import annotations

from bot.i18n import t
from tickets.teams import Actor, Directory

PREFIX = "console:"


def _names(members) -> list[str]:
    return sorted(m[len(PREFIX):] for m in members if m.startswith(PREFIX))


def roster(directory: Directory, lang: str) -> str:
    """"Agents: andi, rina (IT); dewi (HR) · Supervisors: sari (IT, HR) · Admins: admin"."""
    agents: dict[str, list[str]] = {}
    supervisors: dict[str, list[str]] = {}
    for team in directory.teams.values():
        for name in _names(team.agents):
            agents.setdefault(name, []).append(team.key)
        for name in _names(team.supervisors):
            supervisors.setdefault(name, []).append(team.key)

    def listing(found: dict[str, list[str]]) -> str:
        return ", ".join(f"{name} ({', '.join(keys)})" for name, keys in sorted(found.items())) or "-"

    return t("console.roster", lang, agents=listing(agents), supervisors=listing(supervisors),
             admins=", ".join(_names(directory.admins)) or "-")


def whoami(directory: Directory, user: str, lang: str) -> str:
    """"You are andi: agent of IT." / "You are budi: a requester (no team role)"."""
    actor = Actor(f"{PREFIX}{user}")
    if directory.is_admin(actor):
        return t("console.whoami_admin", lang, user=user)
    supervises = [k for k, team in directory.teams.items() if f"{PREFIX}{user}" in team.supervisors]
    agent_of = [k for k, team in directory.teams.items()
                if f"{PREFIX}{user}" in team.agents and k not in supervises]
    if not (supervises or agent_of):
        return t("console.whoami_requester", lang, user=user)
    parts = []
    if agent_of:
        parts.append(t("console.role_agent", lang, teams=", ".join(agent_of)))
    if supervises:
        parts.append(t("console.role_supervisor", lang, teams=", ".join(supervises)))
    return t("console.whoami_staff", lang, user=user, roles="; ".join(parts))
