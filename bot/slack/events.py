"""Events API callbacks: 🎫 reactions become tickets, thread messages become notes or
replies, App Home opens. Each event is stored in the inbox under its event id before
the ack, so a retry Slack sends (X-Slack-Retry-Num) is recognised there and taken once
across replicas; the inbox worker runs it (and retries it if it fails)."""
from __future__ import annotations

import logging

from bot.render import render_failure
from bot.slack import intake
from tickets.errors import ConcurrencyConflict, TicketError
from tickets.places import Place

log = logging.getLogger(__name__)
IGNORED_SUBTYPES = {"bot_message", "message_changed", "message_deleted", "channel_join", "channel_leave",
                    "message_replied", "thread_broadcast_deleted"}


def reaction(deps, body, client) -> None:
    event = body["event"]
    item = event.get("item") or {}
    if event.get("reaction") != deps.settings.slack.ticket_emoji or item.get("type") != "message":
        return
    message = intake.fetch_message(client, item["channel"], item["ts"])
    if message is None:
        return
    intake.from_message(deps, client, workspace=deps.workspace(body), channel=item["channel"],
                        message=message, reactor=event["user"])


def thread_message(deps, body, client) -> None:
    event = body["event"]
    thread_ts, ts, channel = event.get("thread_ts"), event.get("ts"), event.get("channel")
    text = (event.get("text") or "").strip()
    card_ticket = deps.refs.ticket_for("card", f"{channel}:{thread_ts}")
    if card_ticket is not None:
        note_from_card_thread(deps, client, card_ticket, event, text)
        return
    origin_ticket = deps.refs.ticket_for("origin", f"{channel}:{thread_ts}")
    if origin_ticket is not None:
        reply_from_origin_thread(deps, client, origin_ticket, event, text)


def wanted_message(event: dict) -> bool:
    """A person's message in a thread (not the thread's top message): worth storing."""
    if event.get("bot_id") or event.get("subtype") in IGNORED_SUBTYPES or not event.get("user"):
        return False
    thread_ts = event.get("thread_ts")
    return bool(thread_ts and thread_ts != event.get("ts") and (event.get("text") or "").strip())


def register(app, deps, intake_) -> None:
    store_reaction, store_message = intake_.ack("reaction"), intake_.ack("message")

    def on_message(ack, body):
        if wanted_message(body["event"]):
            store_message(ack, body)
        else:
            ack()  # channel chatter: nothing to keep

    intake_.on("reaction", reaction)
    intake_.on("message", thread_message)
    app.event("reaction_added")(store_reaction)
    app.event("message")(on_message)


def _refuse(deps, client, event, actor, key, err) -> None:
    lang = deps.lang(actor, key)
    text = render_failure(err, lang)
    intake.ephemeral(client, event["channel"], event["user"], text)


def note_from_card_thread(deps, client, ticket_id: int, event: dict, text: str) -> None:
    """A message in the card's thread: the service's conversation rules say what it is
    (a note from the team, a public reply from the requester)."""
    key = deps.refs.ticket_key(ticket_id)
    actor = deps.actor(client, event["user"])
    deps.refs.remember_echo(ticket_id, actor.user, text)
    try:
        said = deps.service.converse(actor, key, Place("slack", "thread"), text)
    except (TicketError, ConcurrencyConflict) as err:
        deps.refs.take_echo(ticket_id, actor.user, text)
        _refuse(deps, client, event, actor, key, err)
        return
    if said.ticket is None:
        deps.refs.take_echo(ticket_id, actor.user, text)


def reply_from_origin_thread(deps, client, ticket_id: int, event: dict, text: str) -> None:
    """A message in the origin thread (the requester reads it): the requester's answer or the
    team's public reply; other people talking there is their own conversation (ignored)."""
    key = deps.refs.ticket_key(ticket_id)
    actor = deps.actor(client, event["user"])
    try:
        deps.service.converse(actor, key, Place("slack", "origin"), text)
    except (TicketError, ConcurrencyConflict) as err:
        _refuse(deps, client, event, actor, key, err)
