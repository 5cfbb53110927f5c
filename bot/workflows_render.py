"""Text of the team workflows for chat and console: triage suggestions, tags, fields, attachments."""
from __future__ import annotations

from bot.i18n import t
from tickets.teams import Directory
from tickets.triage import Suggestion


def render_suggestion(suggestion: Suggestion, directory: Directory, lang: str) -> str:
    lines = []
    if suggestion.team:
        team = directory.teams.get(suggestion.team)
        name = team.name if team else suggestion.team
        if suggestion.category:
            lines.append(t("triage.suggest_category", lang, team=suggestion.team, name=name,
                           category=suggestion.category))
        else:
            lines.append(t("triage.suggest_team", lang, team=suggestion.team, name=name))
    for dup in suggestion.duplicates:
        lines.append(t("triage.duplicate", lang, key=dup.key, title=dup.title))
    return "\n".join(lines) if lines else t("triage.nothing", lang)
