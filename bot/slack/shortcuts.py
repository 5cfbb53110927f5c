"""Shortcuts: the message shortcut "Create ticket" (same as a 🎫 reaction) and the
global shortcut "New ticket" (opens the modal right after the ack). "Create ticket" is
stored in the inbox before the ack and run by the inbox worker."""
from __future__ import annotations

import logging

from bot.slack import intake
from bot.slack.modal import new_ticket_modal

log = logging.getLogger(__name__)


def create_from_message(deps, body, client) -> None:
    """The work of a stored "Create ticket" shortcut (run by the inbox worker)."""
    channel = body["channel"]["id"]
    message = dict(body["message"])
    intake.from_message(deps, client, workspace=deps.workspace(body), channel=channel, message=message,
                        reactor=body["user"]["id"])


def register(app, deps, intake_) -> None:
    def open_modal(ack, body, client):
        ack()
        lang = deps.lang(deps.actor(client, body["user"]["id"]))
        try:
            client.views_open(trigger_id=body["trigger_id"], view=new_ticket_modal(deps.directory, lang))
        except Exception as exc:
            log.warning("views.open failed: %s", exc)

    intake_.listen(app.shortcut("create_ticket"), "shortcut", create_from_message)
    app.shortcut("new_ticket")(open_modal)
