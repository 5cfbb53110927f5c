"""DiscordNotifier: delivers outbox rows (platform "discord") through the REST API.

Database work happens in the caller's (worker) thread; only the HTTP calls run on
the transport's event loop. Card and thread ids live in platform_refs, so a card
or thread someone deleted is posted again on the next change.
"""
from __future__ import annotations

import base64
import io
import logging
from datetime import datetime
from typing import Any, Callable

import discord
from discord.http import handle_message_parameters

from bot.discord.cards import card_embed, mention, thread_name, with_mentions
from bot.discord.people import display_name
from bot.discord.transport import BotTransport, RestTransport
from bot.discord.views import card_view, rating_view
from bot.render import render_message
from tickets.ports import RetryLater
from tickets.fanout import card_params
from tickets.model import Ticket, parse_key
from tickets.ports import Clock, Delivery, PlatformRefs
from tickets.teams import Directory
from tickets.teams import Team

log = logging.getLogger(__name__)
PUBLIC_THREAD, PRIVATE_THREAD = 11, 12
ARCHIVE_MINUTES = 10080
CANNOT_DM = 50007
NO_MENTIONS = discord.AllowedMentions.none()


class DiscordNotifier:
    platform = "discord"

    def __init__(self, refs: PlatformRefs, directory: Directory, clock: Clock, transport) -> None:
        self.refs = refs  # Discord's platform references (card, thread, echo)
        self.directory = directory
        self.clock = clock
        self.transport = transport

    # -- plumbing ---------------------------------------------------------------
    def _rest(self, call: Callable[[discord.http.HTTPClient], Any]) -> Any:
        http = self.transport.http
        try:
            return self.transport.run(lambda: call(http))
        except discord.RateLimited as slow:
            raise RetryLater(slow.retry_after) from None
        except discord.HTTPException as exc:
            if exc.status == 429:
                retry = exc.response.headers.get("Retry-After") if exc.response is not None else None
                raise RetryLater(float(retry or 5.0)) from None
            raise

    def _rest_call(self, make: Callable[[], Any]) -> Any:
        """Run a coroutine on the transport's loop; 429s become RetryLater."""
        try:
            return self.transport.run(make)
        except discord.RateLimited as slow:
            raise RetryLater(slow.retry_after) from None
        except discord.HTTPException as exc:
            if exc.status == 429:
                raise RetryLater(5.0) from None
            raise

    def _send(self, channel_id: str | int, **kwargs: Any) -> dict:
        kwargs.setdefault("allowed_mentions", NO_MENTIONS)
        with handle_message_parameters(**kwargs) as params:
            return self._rest(lambda http: http.send_message(int(channel_id), params=params))

    def _ticket(self, key: str | None) -> tuple[Ticket, Team] | None:
        if not key:
            return None
        team_key, number = parse_key(key)
        team = self.directory.teams.get(team_key)
        ticket_id = self.refs.ticket_id(f"{team_key}-{number}")
        ticket = self.refs.ticket(ticket_id) if ticket_id is not None else None
        if ticket is None or team is None:
            return None
        return ticket, team

    # -- entry point ------------------------------------------------------------
    def deliver(self, delivery: Delivery) -> None:
        kind, _, rest = delivery.target.partition(":")
        if kind == "user":
            return self._direct(delivery, rest)
        if kind == "reply":
            return self._reply(delivery, rest)
        if kind == "team":
            team = self.directory.teams.get(rest)
            channel = team.channels.get("discord") if team else None
            if channel:
                self._send(channel, content=self._text(delivery))
            return None
        found = self._ticket(delivery.ticket_key or rest)
        if found is None or not found[1].channels.get("discord"):
            log.warning("discord: no ticket/channel for %s; dropped", delivery.target)
            return None
        ticket, team = found
        if kind == "card":
            self._card(ticket, team, delivery.params, delivery.lang)
        elif kind == "thread":
            if delivery.template in ("comment_added", "note_added") and self.refs.take_echo(
                    ticket.id, str(delivery.params.get("actor")), str(delivery.params.get("text", ""))):
                return None  # it came from this thread; do not post it back
            self._thread_post(ticket, team, delivery.lang, content=self._text(delivery))
        elif kind == "origin":
            self._origin(ticket, self._text(delivery))
        return None

    def _text(self, delivery: Delivery) -> str:
        now = self.clock.now()
        return render_message(delivery.template, with_mentions(delivery.params), delivery.lang, now)[:2000]

    # -- the card and its thread ------------------------------------------------
    def _card(self, ticket: Ticket, team: Team, params: dict, lang: str) -> tuple[str, str]:
        now = self.clock.now()
        embed = card_embed(params, lang, now, team.calendar, self._display_name)
        view = card_view(ticket.key, str(params.get("status")), str(params.get("priority")), lang)
        known = self.refs.get(ticket.id)
        if "card" in known:
            channel_id, message_id = known["card"].split(":")
            try:
                with handle_message_parameters(embed=embed, view=view, allowed_mentions=NO_MENTIONS) as body:
                    self._rest(lambda http: http.edit_message(int(channel_id), int(message_id), params=body))
                self._ensure_thread(ticket, team, known)
                return channel_id, message_id
            except discord.NotFound:
                log.info("discord: card of %s was deleted; posting it again", ticket.key)
                self.refs.drop(ticket.id, "card")
        channel_id = team.channels["discord"]
        kwargs: dict[str, Any] = {"embed": embed}
        if view is not None:
            kwargs["view"] = view
        message = self._send(channel_id, **kwargs)
        self.refs.set(ticket.id, "card", f"{channel_id}:{message['id']}")
        known = self.refs.get(ticket.id)
        self._ensure_thread(ticket, team, known)
        return channel_id, str(message["id"])

    def _ensure_thread(self, ticket: Ticket, team: Team, known: dict[str, str]) -> str:
        if "thread" in known:
            return known["thread"]
        channel_id = int(team.channels["discord"])
        name = thread_name(ticket.key, ticket.title)
        if team.confidential:
            thread = self._rest(lambda http: http.start_thread_without_message(
                channel_id, name=name, auto_archive_duration=ARCHIVE_MINUTES, type=PRIVATE_THREAD, invitable=False))
            for user in self._members(ticket, team):
                try:
                    self._rest(lambda http: http.add_user_to_thread(int(thread["id"]), user))
                except discord.HTTPException as exc:  # left the server, etc.
                    log.warning("discord: could not add %s to %s: %s", user, ticket.key, exc)
            roles = sorted(int(g.split(":", 1)[1]) for g in team.agents | team.supervisors
                           if g.startswith("discord-role:") and g.split(":", 1)[1].isascii() and g.split(":", 1)[1].isdigit())
            if roles:  # mentioning a role in a private thread adds that role's members
                self._send(thread["id"], content=" ".join(f"<@&{r}>" for r in roles),
                           allowed_mentions=discord.AllowedMentions(roles=[discord.Object(r) for r in roles]))
        else:
            card = known.get("card")
            if card is None:  # posting the card opens its thread
                self._card(ticket, team, card_params(ticket, team), self._lang(team))
                return self.refs.get(ticket.id)["thread"]
            message_id = int(card.split(":")[1])
            try:
                thread = self._rest(lambda http: http.start_thread_with_message(
                    channel_id, message_id, name=name, auto_archive_duration=ARCHIVE_MINUTES))
            except discord.HTTPException as exc:
                if exc.status == 429:
                    raise
                thread = self._rest(lambda http: http.start_thread_without_message(
                    channel_id, name=name, auto_archive_duration=ARCHIVE_MINUTES, type=PUBLIC_THREAD))
        self.refs.set(ticket.id, "thread", str(thread["id"]))
        return str(thread["id"])

    def _members(self, ticket: Ticket, team: Team) -> list[int]:
        """Who may be in a confidential ticket's private thread: the requester and the team."""
        people = [ticket.requester, *sorted(team.agents | team.supervisors)]
        out: list[int] = []
        for person in people:
            if person.startswith("discord:") and person[8:].isascii() and person[8:].isdigit() and int(person[8:]) not in out:
                out.append(int(person[8:]))
        return out

    def _display_name(self, user: str | None) -> str:
        """A person's Discord name for the card (looked up once per process)."""
        cache = self.__dict__.setdefault("_names", {})
        if user not in cache:
            cache[user] = display_name(lambda uid: self._rest(lambda http: http.get_user(uid)), user)
        return cache[user]

    def _lang(self, team: Team) -> str:
        return team.language or self.directory.default_language

    def _thread_post(self, ticket: Ticket, team: Team, lang: str, **message: Any) -> None:
        for attempt in range(2):
            known = self.refs.get(ticket.id)
            if "card" not in known:
                self._card(ticket, team, card_params(ticket, team), lang)
                known = self.refs.get(ticket.id)
            thread_id = self._ensure_thread(ticket, team, known)
            try:
                self._send(thread_id, **message)
                return
            except discord.NotFound:
                log.info("discord: thread of %s was deleted; opening a new one", ticket.key)
                self.refs.drop(ticket.id, "thread")
                if attempt:
                    raise

    def _origin(self, ticket: Ticket, text: str) -> None:
        if ticket.source != "discord" or not ticket.source_ref or ":" not in ticket.source_ref:
            return
        channel_id, message_id = ticket.source_ref.split(":")[-2:]
        reference = {"message_id": int(message_id), "channel_id": int(channel_id), "fail_if_not_exists": False}
        try:
            self._send(channel_id, content=text, message_reference=reference)
        except discord.NotFound:
            log.info("discord: origin channel of %s is gone", ticket.key)

    # -- answers to stored requests ----------------------------------------------
    def _reply(self, delivery: Delivery, user: str) -> None:
        """The interaction's follow-up while its token is valid (15 minutes), else a DM."""
        params = delivery.params
        files = [(name, base64.b64decode(data)) for name, data in params.get("files") or ()]
        until = params.get("until")
        if params.get("token") and until and self.clock.now() < datetime.fromisoformat(until):
            try:
                self._rest_call(lambda: self.transport.follow_up(int(params["application_id"]), params["token"],
                                                                 params.get("text") or "\u200b", files))
                return
            except discord.NotFound:  # the token expired early, or the interaction is gone: a DM instead
                log.info("discord: follow-up of %s expired; sending a DM", delivery.id)
        if not user.startswith("discord:"):
            return
        channel = self._rest(lambda http: http.start_private_message(int(user.split(":", 1)[1])))
        extra = {"files": [discord.File(io.BytesIO(data), filename=name) for name, data in files]} if files else {}
        self._send(channel["id"], content=(params.get("text") or "")[:2000], **extra)

    # -- direct messages --------------------------------------------------------
    def _direct(self, delivery: Delivery, user: str) -> None:
        if not user.startswith("discord:"):
            return
        user_id = int(user.split(":", 1)[1])
        text = self._text(delivery)
        extra: dict[str, Any] = {}
        if delivery.params.get("rate") and delivery.ticket_key:
            extra["view"] = rating_view(delivery.ticket_key)
        try:
            channel = self._rest(lambda http: http.start_private_message(user_id))
            self._send(channel["id"], content=text, **extra)
            return
        except discord.Forbidden as exc:
            if exc.code != CANNOT_DM:
                raise
        found = self._ticket(delivery.ticket_key)
        if found is None:
            log.info("discord: %s does not accept DMs and there is no ticket thread", user)
            return
        ticket, team = found
        self._thread_post(ticket, team, delivery.lang, content=f"{mention(user)} {text}"[:2000],
                          allowed_mentions=discord.AllowedMentions(users=[discord.Object(user_id)]), **extra)


def make_notifier(container) -> DiscordNotifier | None:
    """The REST-only notifier for processes without a gateway (the scheduler)."""
    settings = container.settings.discord
    if settings.token is None:
        return None
    return DiscordNotifier(container.refs("discord"), container.directory, container.clock,
                           RestTransport(settings.token.get_secret_value(), settings.api_url))


def bot_notifier(container, bot) -> DiscordNotifier:
    return DiscordNotifier(container.refs("discord"), container.directory, container.clock, BotTransport(bot))
