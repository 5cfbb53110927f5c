"""The App Home tab: my requests, tickets assigned to me and, for agents, their teams' queues."""
from __future__ import annotations

import logging

from bot.i18n import t
from bot.slack.blocks import home_view

log = logging.getLogger(__name__)


def home_sections(deps, actor, lang: str):
    queries = deps.queries
    mine = [tk for tk in queries.list(actor, "mine") if tk.requester == actor.user]
    sections = [(t("slack.home.mine", lang), mine),
                (t("slack.home.assigned", lang), queries.list(actor, "assigned"))]
    for team in deps.directory.teams_of(actor):
        queue = queries.list(actor, "team", team=team.key)
        sections.append((t("slack.home.queue", lang, team=team.name), queue))
    return sections


def publish(deps, body, client) -> None:
    """The App Home of whoever opened it (run by the inbox worker)."""
    event = body["event"]
    if event.get("tab", "home") != "home":
        return
    actor = deps.actor(client, event["user"])
    lang = deps.lang(actor)
    calendars = {key: team.calendar for key, team in deps.directory.teams.items()}
    view = home_view(home_sections(deps, actor, lang), lang, deps.clock.now(), calendars)
    client.views_publish(user_id=event["user"], view=view)


def register(app, deps, intake) -> None:
    intake.listen(app.event("app_home_opened"), "home", publish)
