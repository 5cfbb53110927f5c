"""The /ticket slash command: the whole shared grammar, answered ephemerally.

`/ticket` alone or `/ticket new [TEAM]` opens the modal before the ack (the trigger id
is fresh; nothing to store). Everything else is stored in the inbox, then acknowledged
(bot.slack.durable); the inbox worker runs it and the answer goes back through the
response URL (by DM once that has expired). Files (stats, export) are uploaded to a DM.
"""
from __future__ import annotations

import logging

from bot.slack.blocks import MESSAGE_TEXT, clip
from bot.slack.guard import command_key
from bot.slack.modal import new_ticket_modal
from tickets.errors import TicketError
from tickets.grammar import parse

log = logging.getLogger(__name__)


def wants_form(text: str):
    try:
        command = parse(text or "")
    except TicketError:
        return None
    return command if command.action == "form" else None


def run_command(deps, body, client, respond) -> None:
    """The work of one stored slash command (run by the inbox worker)."""
    actor = deps.actor(client, body["user_id"])
    refs = {"slack:workspace": body["team_id"]} if body.get("team_id") else None
    reply = deps.runner.run(actor, body.get("text", ""), lang=deps.lang(actor), source="slack",
                            idempotency_key=command_key(body),
                            resolve_user=deps.resolve_user, refs=refs)
    respond(text=clip(reply.text, MESSAGE_TEXT), response_type="ephemeral")
    if reply.attachments:
        upload(client, body["user_id"], reply.attachments)


def register(app, deps, intake) -> None:
    store = intake.ack("command")

    def ack_command(ack, body, client):
        form = wants_form(body.get("text", ""))
        if form is None:
            store(ack, body)
            return
        ack()
        user = body["user_id"]
        lang = deps.lang(deps.actor(client, user), form.team)
        meta = {"channel": body.get("channel_id")}
        try:
            client.views_open(trigger_id=body["trigger_id"],
                              view=new_ticket_modal(deps.directory, lang, form.team, meta))
        except Exception as exc:  # an expired trigger: the user just runs /ticket again
            log.warning("views.open failed: %s", exc)

    intake.on("command", run_command)
    app.command("/ticket")(ack_command)


def upload(client, user_id: str, attachments: list[tuple[str, bytes]]) -> None:
    channel = client.conversations_open(users=user_id)["channel"]["id"]
    client.files_upload_v2(channel=channel,
                           file_uploads=[{"content": content, "filename": name, "title": name}
                                         for name, content in attachments])
