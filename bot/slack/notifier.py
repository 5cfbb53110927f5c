"""SlackNotifier: delivers outbox messages to Slack (platform "slack").

Targets: ``card:KEY`` posts the card in the team channel once, then edits it in
place (chat.update); ``thread:KEY`` replies in the card's thread; ``origin:KEY``
replies in the thread of the message the ticket came from; ``team:TEAM`` posts in
the team channel; ``user:slack:U…`` is a DM (conversations.open + postMessage);
``reply:slack:U…`` answers a request from the inbox: through its response URL while
that is valid (30 minutes), else ephemerally in its channel, else by DM.
Card and thread timestamps live in the platform references (tickets.ports.PlatformRefs).
A 429 that outlasts one short retry becomes RetryLater, so the dispatcher waits and
nothing is lost.
"""
from __future__ import annotations

import logging
import threading
import time
from datetime import datetime
from typing import Any, Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.slack.blocks import card_blocks, card_text, clip, message_text, rating_blocks
from bot.i18n import t
from bot.slack.intake import parse_source_ref
from tickets.ports import Clock, Delivery, PlatformRefs, RetryLater

log = logging.getLogger(__name__)
ECHOED = ("note_added", "comment_added")


class ShortRateLimitRetry(RateLimitErrorRetryHandler):
    """slack_sdk's 429 handler, but only for short waits: a long Retry-After is handed
    back (as RetryLater) instead of blocking a delivery thread."""

    def __init__(self, max_wait: float = 2.0) -> None:
        super().__init__(max_retry_count=1)
        self.max_wait = max_wait

    def _can_retry(self, *, state, request, response=None, error=None) -> bool:
        if not super()._can_retry(state=state, request=request, response=response, error=error):
            return False
        return retry_after(response.headers) <= self.max_wait


def retry_after(headers) -> float:
    for name, value in (headers or {}).items():
        if name.lower() == "retry-after":
            value = value[0] if isinstance(value, (list, tuple)) else value
            try:
                return float(value)
            except (TypeError, ValueError):
                return 1.0
    return 1.0


def make_client(token: str | None, api_url: str) -> WebClient:
    base = api_url if api_url.endswith("/") else api_url + "/"  # slack_sdk appends the method name
    client = WebClient(token=token, base_url=base, timeout=15)
    client.retry_handlers.append(ShortRateLimitRetry())
    return client


class SlackNotifier:
    platform = "slack"

    def __init__(self, refs: PlatformRefs, directory, clock: Clock, *,
                 token_for: Callable[[str | None], str | None], api_url: str, pace_seconds: float = 1.0,
                 max_sleep: float = 1.0) -> None:
        self.refs = refs
        self.directory = directory
        self.clock = clock
        self.token_for = token_for
        self.api_url = api_url
        self.pace_seconds = pace_seconds
        self.max_sleep = max_sleep
        self._clients: dict[str | None, WebClient] = {}
        self._dm: dict[str, str] = {}
        self._last_post: dict[str, float] = {}
        self._lock = threading.Lock()

    def client(self, workspace: str | None) -> WebClient:
        token = self.token_for(workspace)
        with self._lock:
            if token not in self._clients:
                self._clients[token] = make_client(token, self.api_url)
            return self._clients[token]

    def _pace(self, channel: str) -> None:
        """About one message a second per channel (Slack's posting limit). A short wait is
        slept here; a longer one (a burst to one channel) goes back to the dispatcher as
        RetryLater, so a leased batch never outlives its lease."""
        if self.pace_seconds <= 0:
            return
        with self._lock:
            now = time.monotonic()
            wait = max(0.0, self._last_post.get(channel, 0.0) + self.pace_seconds - now)
            if wait > self.max_sleep:
                raise RetryLater(wait)
            self._last_post[channel] = now + wait
        if wait:
            time.sleep(wait)

    # -- delivery ------------------------------------------------------------------------
    def deliver(self, delivery: Delivery) -> None:
        kind, _, rest = delivery.target.partition(":")
        ticket_id = self.refs.ticket_id(delivery.ticket_key) if delivery.ticket_key else None
        refs = self.refs.get(ticket_id) if ticket_id else {}
        client = self.client(refs.get("workspace"))
        try:
            if kind == "card":
                self._card(client, delivery, ticket_id, refs)
            elif kind == "thread":
                self._thread(client, delivery, ticket_id, refs)
            elif kind == "origin":
                self._origin(client, delivery, ticket_id, refs)
            elif kind == "team":
                self._team(client, delivery, rest)
            elif kind == "user":
                self._user(client, delivery, rest)
            elif kind == "reply":
                self._reply(client, delivery, rest)
            else:
                log.warning("unknown target %s", delivery.target)
        except SlackApiError as err:
            if err.response is not None and err.response.status_code == 429:
                raise RetryLater(retry_after(err.response.headers)) from err
            raise

    def _team_channel(self, delivery: Delivery, team_key: str | None = None) -> str | None:
        team_key = team_key or (delivery.ticket_key or "").rpartition("-")[0]
        team = self.directory.teams.get(team_key.upper())
        return team.channels.get("slack") if team else None

    def _post(self, client: WebClient, channel: str, **kwargs):
        self._pace(channel)
        return client.chat_postMessage(channel=channel, unfurl_links=False, **kwargs)

    def _card(self, client, delivery: Delivery, ticket_id: int | None, refs: dict[str, str]) -> None:
        now = self.clock.now()
        team = self.directory.teams.get((delivery.ticket_key or "").rpartition("-")[0])
        calendar = team.calendar if team else None  # time left in the team's business time
        text = card_text(delivery.params, delivery.lang, now, calendar)
        blocks = card_blocks(delivery.params, delivery.lang, now, calendar)
        if "card" in refs:
            channel, ts = refs["card"].split(":", 1)
            client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
            return
        channel = self._team_channel(delivery)
        if not channel or ticket_id is None:
            return  # the team has no Slack channel: nothing to show
        sent = self._post(client, channel, text=text, blocks=blocks)
        ref = f"{sent['channel']}:{sent['ts']}"
        self.refs.set(ticket_id, "card", ref)
        self.refs.set(ticket_id, "thread", ref)  # the card's thread carries every update

    def _thread(self, client, delivery: Delivery, ticket_id: int | None, refs: dict[str, str]) -> None:
        if ticket_id is None or not self._team_channel(delivery):
            return
        if "card" not in refs:
            raise RuntimeError(f"the card of {delivery.ticket_key} is not posted yet")
        params = delivery.params
        if delivery.template in ECHOED and self.refs.take_echo(ticket_id, str(params.get("actor")),
                                                           str(params.get("text", ""))):
            return  # written in this very thread; already there
        channel, ts = refs["card"].split(":", 1)
        self._post(client, channel, thread_ts=ts, text=message_text(delivery.template, params, delivery.lang,
                                                                    self.clock.now()))

    def _origin(self, client, delivery: Delivery, ticket_id: int | None, refs: dict[str, str]) -> None:
        if ticket_id is None:
            return
        if "origin" in refs:
            channel, thread_ts = refs["origin"].split(":", 1)
        else:
            ticket = self.refs.ticket(ticket_id)
            origin = parse_source_ref(ticket.source_ref if ticket else None)
            if origin is None:
                return
            channel, thread_ts = origin.channel, origin.thread_ts
        text = message_text(delivery.template, delivery.params, delivery.lang, self.clock.now())
        if not delivery.params.get("confidential") and "card" in refs and delivery.template == "origin_created":
            card_channel, card_ts = refs["card"].split(":", 1)
            try:
                link = client.chat_getPermalink(channel=card_channel, message_ts=card_ts)["permalink"]
                text += "\n" + t("slack.origin.link", delivery.lang, link=link)
            except SlackApiError as exc:
                log.info("no card permalink: %s", exc)
        self._post(client, channel, thread_ts=thread_ts, text=text)

    def _team(self, client, delivery: Delivery, team_key: str) -> None:
        channel = self._team_channel(delivery, team_key)
        if channel:
            self._post(client, channel, text=message_text(delivery.template, delivery.params, delivery.lang,
                                                          self.clock.now()))

    def _dm_channel(self, client, user_id: str) -> str:
        channel = self._dm.get(user_id)
        if channel is None:
            channel = client.conversations_open(users=user_id)["channel"]["id"]
            self._dm[user_id] = channel
        return channel

    def _reply(self, client, delivery: Delivery, user: str) -> None:
        """An answer to a stored request: its response URL while valid, else its channel, else a DM."""
        params: dict[str, Any] = delivery.params
        url, until = params.get("response_url"), params.get("until")
        if url and until and self.clock.now() < datetime.fromisoformat(until):
            if respond(url, params):
                return
        if params.get("delete_original"):
            return  # removing an ephemeral message nobody can see any more: nothing to say
        text, blocks = clip(params.get("text") or "", 3000), params.get("blocks")
        platform, _, user_id = user.partition(":")
        if platform != "slack" or not user_id:
            return
        if params.get("channel"):
            try:
                client.chat_postEphemeral(channel=params["channel"], user=user_id, text=text, blocks=blocks)
                return
            except SlackApiError as exc:  # not in that channel (any more): a DM instead
                log.info("postEphemeral failed (%s); sending a DM", exc)
        self._post(client, self._dm_channel(client, user_id), text=text, blocks=blocks)

    def _user(self, client, delivery: Delivery, user: str) -> None:
        platform, _, user_id = user.partition(":")
        if platform != "slack" or not user_id:
            return
        channel = self._dm_channel(client, user_id)
        text = message_text(delivery.template, delivery.params, delivery.lang, self.clock.now())
        blocks = None
        if delivery.params.get("rate") and delivery.ticket_key:
            blocks = rating_blocks(text, delivery.ticket_key, delivery.lang)
        self._post(client, channel, text=text, blocks=blocks)


def respond(url: str, params: dict[str, Any]) -> bool:
    """POST an answer to a response URL: True when Slack took it, False when the URL is no longer
    valid (answer another way); a 429 is RetryLater and other failures raise (retried)."""
    from slack_sdk.webhook import WebhookClient

    body = {name: params[name] for name in ("text", "blocks", "response_type", "replace_original",
                                             "delete_original") if params.get(name) is not None}
    body["text"] = clip(body.get("text") or "", 3000)
    sent = WebhookClient(url, timeout=15).send_dict(body)
    if sent.status_code == 429:
        raise RetryLater(retry_after(sent.headers))
    if sent.status_code in (404, 410) or sent.body in ("expired_url", "used_url"):
        return False
    if sent.status_code >= 300:
        raise RuntimeError(f"response_url answered {sent.status_code}: {sent.body[:200]}")
    return True


def make_notifier(container, *, pace_seconds: float = 1.0) -> SlackNotifier | None:
    """The hook config.wiring.attach_notifiers calls, so any process (the scheduler too) can
    deliver Slack's outbox; None when Slack is not configured."""
    settings = container.settings
    if not settings.slack.configured:
        return None
    from bot.slack.oauth import token_lookup

    return SlackNotifier(container.refs("slack"), container.directory, container.clock,
                         token_for=token_lookup(settings, container.slack_installed_token()),
                         api_url=settings.slack.api_url, pace_seconds=pace_seconds)
