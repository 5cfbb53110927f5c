"""Events API callbacks: 🎫 reactions become tickets, thread messages become notes or
replies. Each event is taken once across replicas (inbound_events, keyed by event id);
a retry of an attempt that failed is processed again."""
from __future__ import annotations

import logging
from functools import wraps

from bot.render import render_failure
from bot.slack import intake, workflow_actions
from storage import slack_refs
from tickets.errors import ConcurrencyConflict, TicketError
from tickets.places import Place

log = logging.getLogger(__name__)
IGNORED_SUBTYPES = {"bot_message", "message_changed", "message_deleted", "channel_join", "channel_leave",
                    "message_replied", "thread_broadcast_deleted"}


def _ack(ack):
    ack()


def once(deps):
    """Run an event handler at most once per Slack event id (unless an attempt failed)."""
    def wrap(handler):
        @wraps(handler)
        def run(body, client):
            event_id = body.get("event_id")
            now = deps.container.clock.now()
            if event_id and not slack_refs.claim_event(deps.engine, event_id, now):
                log.info("event %s already taken", event_id)
                return
            ok = False
            try:
                handler(body, client)
                ok = True
            finally:
                if event_id:
                    slack_refs.finish_event(deps.engine, event_id, deps.container.clock.now(), ok=ok)
                deps.wake()
        return run
    return wrap


def register(app, deps) -> None:
    @once(deps)
    def reaction(body, client):
        event = body["event"]
        item = event.get("item") or {}
        if event.get("reaction") != deps.settings.slack.ticket_emoji or item.get("type") != "message":
            return
        message = intake.fetch_message(client, item["channel"], item["ts"])
        if message is None:
            return
        intake.from_message(deps, client, workspace=deps.workspace(body), channel=item["channel"],
                            message=message, reactor=event["user"])

    @once(deps)
    def message(body, client):
        event = body["event"]
        if event.get("bot_id") or event.get("subtype") in IGNORED_SUBTYPES or not event.get("user"):
            return
        thread_ts, ts, channel = event.get("thread_ts"), event.get("ts"), event.get("channel")
        text = (event.get("text") or "").strip()
        if event.get("channel_type") == "im" and not thread_ts and text:  # DM intake (issue 15)
            workflow_actions.dm_request(deps, client, event)
            return
        files = event.get("files") or []
        if not thread_ts or thread_ts == ts or not (text or files):
            return
        card_ticket = slack_refs.ticket_by_card_thread(deps.engine, channel, thread_ts)
        origin_ticket = None if card_ticket else slack_refs.ticket_by_origin(deps.engine, channel, thread_ts)
        if files and (card_ticket or origin_ticket):  # files shared in a ticket's thread are kept with it
            workflow_actions.attach_files(deps, client, card_ticket or origin_ticket, event, files)
        if card_ticket is not None and text:
            note_from_card_thread(deps, client, card_ticket, event, text)
        elif origin_ticket is not None and text:
            reply_from_origin_thread(deps, client, origin_ticket, event, text)

    app.event("reaction_added")(ack=_ack, lazy=[reaction])
    app.event("message")(ack=_ack, lazy=[message])


def _refuse(deps, client, event, actor, key, err) -> None:
    lang = deps.lang(actor, key)
    text = render_failure(err, lang)
    intake.ephemeral(client, event["channel"], event["user"], text)


def note_from_card_thread(deps, client, ticket_id: int, event: dict, text: str) -> None:
    """A message in the card's thread: the service's conversation rules say what it is
    (a note from the team, a public reply from the requester)."""
    key = slack_refs.key_for_ticket(deps.engine, ticket_id)
    actor = deps.actor(client, event["user"])
    slack_refs.remember_echo(deps.engine, ticket_id, actor.user, text)
    try:
        said = deps.service.converse(actor, key, Place("slack", "thread"), text)
    except (TicketError, ConcurrencyConflict) as err:
        slack_refs.take_echo(deps.engine, ticket_id, actor.user, text)
        _refuse(deps, client, event, actor, key, err)
        return
    if said.ticket is None:
        slack_refs.take_echo(deps.engine, ticket_id, actor.user, text)


def reply_from_origin_thread(deps, client, ticket_id: int, event: dict, text: str) -> None:
    """A message in the origin thread (the requester reads it): the requester's answer or the
    team's public reply; other people talking there is their own conversation (ignored)."""
    key = slack_refs.key_for_ticket(deps.engine, ticket_id)
    actor = deps.actor(client, event["user"])
    try:
        deps.service.converse(actor, key, Place("slack", "origin"), text)
    except (TicketError, ConcurrencyConflict) as err:
        _refuse(deps, client, event, actor, key, err)
