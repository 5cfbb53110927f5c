"""Shortcuts: the message shortcut "Create ticket" (same as a 🎫 reaction) and the
global shortcut "New ticket" (opens the modal right after the ack)."""
from __future__ import annotations

import logging

from bot.slack import intake
from bot.slack.modal import new_ticket_modal

log = logging.getLogger(__name__)


def _ack(ack):
    ack()


def register(app, deps) -> None:
    def create_from_message(body, client):
        channel = body["channel"]["id"]
        message = dict(body["message"])
        intake.from_message(deps, client, workspace=deps.workspace(body), channel=channel, message=message,
                            reactor=body["user"]["id"])
        deps.wake()

    def open_modal(ack, body, client):
        ack()
        lang = deps.lang(deps.actor(client, body["user"]["id"]))
        try:
            client.views_open(trigger_id=body["trigger_id"], view=new_ticket_modal(deps.directory, lang))
        except Exception as exc:
            log.warning("views.open failed: %s", exc)

    app.shortcut("create_ticket")(ack=_ack, lazy=[create_from_message])
    app.shortcut("new_ticket")(open_modal)
