"""The new-ticket modal's submission: its fields are checked before the ack, so a bad field
is marked in the modal (response_action=errors); a good submission is stored in the inbox,
then acknowledged, and the inbox worker opens the ticket and confirms it (ephemerally in
the channel the modal came from, else by DM), through the outbox."""
from __future__ import annotations

import json
import logging

from bot.i18n import t
from bot.render import render_error
from bot.slack.modal import CALLBACK, check_fields, read_submission
from tickets.errors import ConcurrencyConflict, TicketError
from tickets.ports import Outgoing

log = logging.getLogger(__name__)


def open_from_modal(deps, body, client, respond) -> None:
    """The work of a stored submission (run by the inbox worker)."""
    user = body["user"]["id"]
    view = body["view"]
    actor = deps.actor(client, user)
    sub = read_submission(view)
    lang = deps.lang(actor, sub.team)
    _, due = check_fields(deps.service, deps.directory, sub, deps.clock.now(), lang)
    workspace = deps.workspace(body)
    try:
        result = deps.service.open(actor, sub.team, sub.title, sub.description, priority=sub.priority,
                                   category=sub.category, due_at=due, source="slack",
                                   idempotency_key=f"slack:view:{view.get('id')}",
                                   refs={"slack:workspace": workspace} if workspace else None)
        text = t("reply.created", lang, key=result.ticket.key, title=result.ticket.title)
    except TicketError as err:
        text = render_error(err, lang)
    except ConcurrencyConflict:
        text = t("error.busy", lang)
    channel = json.loads(view.get("private_metadata") or "{}").get("channel")
    respond.answers.append(Outgoing(platform="slack", target=f"reply:slack:{user}", template="slack.reply",
                                    params={"text": text, "channel": channel}, lang=lang))


def register(app, deps, intake) -> None:
    store = intake.ack("view")

    def submit(ack, body, client):
        actor = deps.actor(client, body["user"]["id"])
        sub = read_submission(body["view"])
        lang = deps.lang(actor, sub.team)
        errors, _ = check_fields(deps.service, deps.directory, sub, deps.clock.now(), lang)
        if errors:
            ack(response_action="errors", errors=errors)
            return
        store(ack, body)

    intake.on("view", open_from_modal)
    app.view(CALLBACK)(submit)
