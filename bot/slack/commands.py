"""The /ticket slash command: the whole shared grammar, answered ephemerally.

Acknowledged at once; `/ticket` alone or `/ticket new [TEAM]` opens the modal right
after the ack (the trigger id is fresh); everything else runs after the ack and the
answer goes back through the response URL. Files (stats, export) are uploaded to a
DM with the user.
"""
from __future__ import annotations

import logging

from bot.slack.blocks import MESSAGE_TEXT, clip
from bot.slack.guard import command_key
from bot.slack.modal import new_ticket_modal
from storage import slack_refs
from tickets.errors import TicketError
from tickets.grammar import parse

log = logging.getLogger(__name__)


def wants_form(text: str):
    try:
        command = parse(text or "")
    except TicketError:
        return None
    return command if command.action == "form" else None


def register(app, deps) -> None:
    def ack_command(ack, body, client):
        form = wants_form(body.get("text", ""))
        ack()
        if form is None:
            return
        user = body["user_id"]
        lang = deps.lang(deps.actor(client, user), form.team)
        meta = {"channel": body.get("channel_id")}
        try:
            client.views_open(trigger_id=body["trigger_id"],
                              view=new_ticket_modal(deps.directory, lang, form.team, meta))
        except Exception as exc:  # an expired trigger: the user just runs /ticket again
            log.warning("views.open failed: %s", exc)

    def run_command(body, client, respond):
        text = body.get("text", "")
        if wants_form(text) is not None:
            return
        actor = deps.actor(client, body["user_id"])
        reply = deps.runner.run(actor, text, lang=deps.lang(actor), source="slack",
                                idempotency_key=command_key(body),
                                resolve_user=deps.resolve_user)
        if reply.created and reply.ticket is not None and body.get("team_id"):
            slack_refs.set_ref(deps.engine, reply.ticket.id, "workspace", body["team_id"])
        respond(text=clip(reply.text, MESSAGE_TEXT), response_type="ephemeral")
        if reply.attachments:
            upload(client, body["user_id"], reply.attachments)
        deps.wake()

    app.command("/ticket")(ack=ack_command, lazy=[run_command])


def upload(client, user_id: str, attachments: list[tuple[str, bytes]]) -> None:
    channel = client.conversations_open(users=user_id)["channel"]["id"]
    client.files_upload_v2(channel=channel,
                           file_uploads=[{"content": content, "filename": name, "title": name}
                                         for name, content in attachments])
