"""Discord on the channel port: every interaction and event is stored in the inbox before it is acknowledged.

IN (on the event loop): the handler turns the interaction or event into a JSON payload (who, in
which language, what they asked), writes it to the inbox in a worker thread (the database never
blocks the loop), and only then defers the interaction (Discord's acknowledgement). Keys are
Discord's own ids: ``discord:<interaction id>``, ``discord:message:<message id>`` (a thread
message), ``discord:reaction:<message id>:<user id>`` (🎫).
WORK (the inbox worker, a plain thread): `DiscordIntake.handle` runs the payload through the
command runner and the service and returns the answer as an outbox message (target
``reply:discord:<user>``): the notifier follows the interaction up while its token is valid
(15 minutes) and sends a DM after that. The bot process works the entry right away; if it dies
first, the next process (or another replica) does it when the entry's lease runs out.
"""
from __future__ import annotations

import asyncio
import base64
import logging
from datetime import timedelta
from typing import Any, Callable

from bot.discord.people import mention
from bot.i18n import t
from bot.render import render_error
from tickets.errors import ConcurrencyConflict, TicketError
from tickets.model import TITLE_MAX
from tickets.places import Place
from tickets.ports import InboxEntry, Inbound, Outgoing
from tickets.teams import Actor

log = logging.getLogger(__name__)
PLATFORM = "discord"
FOLLOW_UP_VALID = timedelta(minutes=15)


# -- payloads ------------------------------------------------------------------------------------
def actor_json(actor: Actor) -> dict:
    return {"user": actor.user, "groups": sorted(actor.groups), "locale": actor.locale}


def actor_of(data: dict) -> Actor:
    return Actor(data["user"], frozenset(data.get("groups") or ()), data.get("locale"))


def message_json(message: Any) -> dict:
    """What a ticket made from a Discord message needs of it."""
    channel = message.channel
    author = message.author
    return {"id": message.id, "channel_id": channel.id, "parent_id": getattr(channel, "parent_id", None),
            "guild_id": message.guild.id if message.guild else 0, "author_id": author.id,
            "author_name": getattr(author, "display_name", None) or str(author), "content": message.content or ""}


# -- the intake ----------------------------------------------------------------------------------
class DiscordIntake:
    def __init__(self, ctx) -> None:
        self.ctx = ctx  # DiscordContext: directory, service, runner, refs, inbox, worker, clock
        self.work: dict[str, Callable[[dict], tuple[str | None, list]]] = {
            "command": self._command, "modal": self._modal, "menu": self._menu,
            "reaction": self._reaction, "thread": self._thread}

    # -- IN, on the event loop --------------------------------------------------------------------
    async def take(self, key: str, kind: str, payload: dict, interaction: Any = None) -> None:
        """Store the request, then acknowledge it (defer the interaction), then work it right away."""
        now = self.ctx.clock.now()
        reply: dict[str, Any] = {}
        if interaction is not None:
            reply = {"user": interaction.user.id, "application_id": interaction.application_id,
                     "token": interaction.token, "until": (now + FOLLOW_UP_VALID).isoformat()}
        item = Inbound(key=key, platform=PLATFORM, kind=kind, payload=payload, reply=reply)
        await asyncio.to_thread(self.ctx.inbox.put, item, now)
        if interaction is not None and not interaction.response.is_done():
            await interaction.response.defer(ephemeral=True, thinking=True)
        await asyncio.to_thread(self.ctx.work_now, key)

    # -- WORK, in the inbox worker's thread -----------------------------------------------------------
    def handle(self, entry: InboxEntry) -> list[Outgoing]:
        text, files = self.work[entry.kind](entry.payload)
        user = entry.reply.get("user")
        if text is None or user is None:
            return []
        params: dict[str, Any] = {"text": text[:2000], "application_id": entry.reply.get("application_id"),
                                  "token": entry.reply.get("token"), "until": entry.reply.get("until")}
        if files:
            params["files"] = [[name, base64.b64encode(data).decode()] for name, data in files]
        return [Outgoing(platform=PLATFORM, target=f"reply:discord:{user}", template="discord.reply",
                         params=params, lang=entry.payload.get("lang") or "en")]

    def _attempt(self, refusal_lang: str, fn: Callable, /, *args, **kwargs) -> tuple[Any, str | None]:
        """(result, None) or (None, the translated refusal); anything else raises (retried)."""
        try:
            return fn(*args, **kwargs), None
        except TicketError as err:
            return None, render_error(err, refusal_lang)
        except ConcurrencyConflict:
            return None, t("error.busy", refusal_lang)

    def _command(self, p: dict) -> tuple[str | None, list]:
        """A subcommand or a card control: the command table's entry, on the shared runner."""
        lang, actor = p["lang"], actor_of(p["actor"])
        names = self.ctx.names(p.get("guild_id")) if p["name"] == "list" else mention
        reply = self.ctx.runner.press(actor, p["name"], p["values"], lang=lang, names=names, source="discord",
                                      **({"idempotency_key": p["idempotency_key"]} if p.get("idempotency_key")
                                         else {}))
        return reply.text, reply.attachments

    def _modal(self, p: dict) -> tuple[str | None, list]:
        lang, actor = p["lang"], actor_of(p["actor"])
        result, refusal = self._attempt(lang, self.ctx.service.open, actor, p["team"], p["title"],
                                        p["description"], source="discord", idempotency_key=p["idempotency_key"])
        if refusal is not None:
            return refusal, []
        return t("reply.created", lang, key=result.ticket.key, title=result.ticket.title), []

    def _menu(self, p: dict) -> tuple[str | None, list]:
        ticket, created, refusal, lang = self.from_message(p)
        if refusal is not None:
            return refusal, []
        key = "reply.created" if created else "reply.duplicate"
        return t(key, lang, key=ticket.key, title=ticket.title), []

    def _reaction(self, p: dict) -> tuple[str | None, list]:
        _ticket, _created, refusal, _lang = self.from_message(p)
        if refusal is not None:
            log.info("discord: 🎫 by %s refused: %s", p["actor"]["user"], refusal)
        return None, []

    def from_message(self, p: dict):
        """Open (once) a ticket from a message on behalf of its author; (ticket, created, refusal, lang)."""
        ctx, message, actor = self.ctx, p["message"], actor_of(p["actor"])
        team = None
        for channel in (message["channel_id"], message.get("parent_id")):
            if channel is not None and team is None:
                team = ctx.directory.team_for_channel("discord", str(channel))
        if team is None:
            mine = ctx.directory.teams_of(actor)
            team = mine[0] if len(mine) == 1 else None
        lang = p.get("lang") or (team.language if team and team.language else None) or ctx.directory.default_language
        if team is None:
            return None, False, t("discord.intake.no_team", lang), lang
        text = message["content"].strip()
        title = text.splitlines()[0].strip() if text else ""
        if not title:
            title = t("discord.intake.untitled", lang, author=message["author_name"])
        if len(title) > TITLE_MAX:
            title = title[: TITLE_MAX - 1] + "…"
        source_ref = f"{message['guild_id']}:{message['channel_id']}:{message['id']}"
        result, refusal = self._attempt(lang, ctx.service.open, actor, team.key, title, text[:4000],
                                        requester=f"discord:{message['author_id']}", source="discord",
                                        source_ref=source_ref, idempotency_key=f"discord:message:{message['id']}")
        if refusal is not None:
            return None, False, refusal, lang
        return result.ticket, result.created, None, lang

    def _thread(self, p: dict) -> tuple[str | None, list]:
        """A message in a ticket's thread: the service's conversation rules say what it is."""
        ctx, refs, actor, text = self.ctx, self.ctx.refs, actor_of(p["actor"]), p["text"]
        key = refs.ticket_key(p["ticket_id"])
        if key is None:
            return None, []
        refs.remember_echo(p["ticket_id"], actor.user, text)
        said, refusal = self._attempt(ctx.directory.default_language, ctx.service.converse, actor, key,
                                      Place("discord", "thread"), text)
        if refusal is not None or said.ticket is None:
            refs.take_echo(p["ticket_id"], actor.user, text)
        if refusal is not None:
            log.info("discord: thread message by %s not stored: %s", actor.user, refusal)
        return None, []
