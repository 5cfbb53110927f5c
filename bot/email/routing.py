"""Which team a mail is for, and who its sender is in Tiket.

Teams are matched on To, Cc and Delivered-To: ``helpdesk+it@corp.example`` selects the team
whose key follows the ``+``, an address listed in a team's ``email`` selects that team, and the
top-level ``email_default_team`` takes the rest. A sender is ``email:<address>``, or the chat
identity the teams file's ``[people]`` table links that address to.
"""
from __future__ import annotations

from bot.email.parse import Mail
from tickets.teams import Actor, Directory, Team


def team_for(mail: Mail, directory: Directory) -> Team | None:
    recipients = mail.recipients
    for address in recipients:
        local, _, domain = address.partition("@")
        if "+" in local:
            tag = local.split("+", 1)[1].upper()
            if tag in directory.teams:
                return directory.teams[tag]
    for address in recipients:
        for team in directory.teams.values():
            if address in team.emails:
                return team
    if directory.email_default_team:
        return directory.teams.get(directory.email_default_team)
    return None


def mail_identity(address: str) -> str:
    return f"email:{address.lower()}"


def linked(directory: Directory, address: str) -> str | None:
    """The chat identity an address is linked to in the teams file's [people] table."""
    return directory.people.get(mail_identity(address))


def actor_for(directory: Directory, address: str, locale: str | None = None) -> Actor:
    return Actor(linked(directory, address) or mail_identity(address), locale=locale)


def own_addresses(directory: Directory) -> set[str]:
    return {a for team in directory.teams.values() for a in team.emails}
