"""Slack on the channel port: every request is stored in the inbox before Slack is acknowledged.

IN: a Bolt ack listener (`SlackIntake.ack(kind)`) writes the request's body to the inbox,
keyed by Slack's own id for it (below), and only then acknowledges. A retry Slack sends
(X-Slack-Retry-Num, same event id) finds the key taken and is acknowledged again, nothing
more. WORK: the pump's inbox worker hands each entry to `SlackIntake.handle`, which runs
the listener registered for its kind with the stored body, a Web API client for the
workspace and a `Responder` in place of Bolt's `respond`: what the listener answers is
returned to the worker and queued in the outbox with the entry's completion (target
``reply:slack:<user>``; the notifier answers through the response URL while it is valid,
30 minutes, and by DM after that). A process killed after the ack loses nothing: the
next process (or another replica) leases the entry when its lease runs out.
"""
from __future__ import annotations

import inspect
import logging
from datetime import datetime, timedelta
from typing import Any, Callable

from bot.slack.guard import command_key
from tickets.ports import InboxEntry, Inbound, Outgoing

log = logging.getLogger(__name__)
PLATFORM = "slack"
RESPONSE_URL_VALID = timedelta(minutes=30)
Listener = Callable[..., Any]


def request_key(kind: str, body: dict[str, Any]) -> str:
    """Slack's idempotency id for a request: the event id of an Events API callback, the view id
    of a modal submission, else the interaction's trigger id."""
    if body.get("event_id"):
        return f"slack:event:{body['event_id']}"
    if kind == "view":
        return f"slack:view:{(body.get('view') or {}).get('id')}"
    if kind == "command":
        return command_key(body)  # the trigger id (or, without one, the user and the request)
    return f"slack:{kind}:{body.get('trigger_id') or body.get('action_ts') or body.get('message_ts')}"


def user_of(body: dict[str, Any]) -> str | None:
    user = body.get("user") or (body.get("event") or {}).get("user")
    return body.get("user_id") or (user.get("id") if isinstance(user, dict) else user)


def workspace_of(body: dict[str, Any]) -> str | None:
    team = body.get("team")
    return body.get("team_id") or (team.get("id") if isinstance(team, dict) else team)


class Responder:
    """Bolt's `respond` for a listener run by the inbox worker: collects the answers as outbox messages."""

    def __init__(self, entry: InboxEntry, lang: str = "en") -> None:
        self.entry = entry
        self.lang = lang
        self.answers: list[Outgoing] = []

    def __call__(self, text: str = "", *, blocks: list | None = None, response_type: str | None = None,
                 replace_original: bool | None = None, delete_original: bool | None = None, **_: Any) -> None:
        reply = self.entry.reply
        params = {"text": text, "response_url": reply.get("response_url"), "until": reply.get("until"),
                  "response_type": response_type or "ephemeral"}
        for name, value in (("blocks", blocks), ("replace_original", replace_original),
                            ("delete_original", delete_original)):
            if value is not None:
                params[name] = value
        self.answers.append(Outgoing(platform=PLATFORM, target=f"reply:slack:{reply.get('user')}",
                                     template="slack.reply", params=params, lang=self.lang))


class SlackIntake:
    def __init__(self, deps) -> None:
        self.deps = deps
        self.listeners: dict[str, Listener] = {}

    def on(self, kind: str, listener: Listener) -> None:
        """The work for requests of `kind`: ``listener(deps=, body=, client=, respond=)`` (the names it lists)."""
        self.listeners[kind] = listener

    def listen(self, register: Callable, kind: str, listener: Listener) -> None:
        """``intake.listen(app.action("card_claim"), "action:claim", claim)``: store then ack there,
        run `listener` in the inbox worker."""
        self.on(kind, listener)
        register(self.ack(kind))

    def store(self, kind: str, body: dict[str, Any]) -> bool:
        """Write the request to the inbox (False: Slack sent it before, already stored)."""
        now: datetime = self.deps.clock.now()
        reply = {"user": user_of(body), "until": (now + RESPONSE_URL_VALID).isoformat()}
        if body.get("response_url"):
            reply["response_url"] = body["response_url"]
        stored = self.deps.inbox.put(Inbound(key=request_key(kind, body), platform=PLATFORM, kind=kind,
                                             payload={"body": body}, reply=reply), now)
        if not stored:
            log.info("slack %s %s already stored (a retry)", kind, request_key(kind, body))
        return stored

    def ack(self, kind: str) -> Callable:
        """A Bolt listener that stores the request, then acknowledges it (storing first: a request
        that could not be stored is not acknowledged, so Slack reports the failure)."""
        def store_then_ack(ack, body):
            self.store(kind, body)
            ack()
        store_then_ack.__name__ = f"store_{kind.replace(':', '_')}"
        return store_then_ack

    def handle(self, entry: InboxEntry) -> list[Outgoing]:
        """The inbox worker's handler for platform "slack"."""
        listener = self.listeners.get(entry.kind)
        if listener is None:
            raise LookupError(f"no Slack listener for {entry.kind}")
        body = entry.payload["body"]
        respond = Responder(entry)
        available = {"deps": self.deps, "body": body, "respond": respond,
                     "client": self.deps.client_for(workspace_of(body))}
        wanted = inspect.signature(listener).parameters
        listener(**{name: value for name, value in available.items() if name in wanted})
        return respond.answers
