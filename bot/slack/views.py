"""The new-ticket modal's submission: checked and saved before the ack, so a bad field
is marked in the modal (response_action=errors) and nothing typed is lost."""
from __future__ import annotations

import json
import logging

from bot.i18n import t
from bot.slack.modal import CALLBACK, check_fields, field_errors, read_submission
from tickets.errors import ConcurrencyConflict, TicketError

log = logging.getLogger(__name__)


def register(app, deps) -> None:
    def submit(ack, body, client):
        user = body["user"]["id"]
        view = body["view"]
        actor = deps.actor(client, user)
        sub = read_submission(view)
        lang = deps.lang(actor, sub.team)
        errors, due = check_fields(deps.service, deps.directory, sub, deps.container.clock.now(), lang)
        if errors:
            ack(response_action="errors", errors=errors)
            return
        try:
            result = deps.service.open(actor, sub.team, sub.title, sub.description, priority=sub.priority,
                                       category=sub.category, due_at=due, source="slack",
                                       fields=sub.fields_for(sub.team, sub.category),
                                       idempotency_key=f"slack:view:{view.get('id')}")
        except TicketError as err:
            ack(response_action="errors", errors=field_errors(err, lang))
            return
        except ConcurrencyConflict:
            ack(response_action="errors", errors={"title": t("error.busy", lang)})
            return
        ack()
        workspace = deps.workspace(body)
        if workspace and result.created:
            from storage import slack_refs

            slack_refs.set_ref(deps.engine, result.ticket.id, "workspace", workspace)

    def confirm(body, client):
        meta = json.loads(body["view"].get("private_metadata") or "{}")
        user = body["user"]["id"]
        lang = deps.lang(deps.actor(client, user))
        with deps.container.uow() as uow:
            ticket = uow.tickets.by_idempotency_key(f"slack:view:{body['view'].get('id')}")
        if ticket is None:
            return
        text = t("reply.created", lang, key=ticket.key, title=ticket.title)
        channel = meta.get("channel")
        try:
            if channel:
                client.chat_postEphemeral(channel=channel, user=user, text=text)
            else:
                client.chat_postMessage(channel=user, text=text)
        except Exception as exc:
            log.info("could not confirm the new ticket to %s: %s", user, exc)
        deps.wake()

    app.view(CALLBACK)(ack=submit, lazy=[confirm])
