"""The inbox handlers for WhatsApp: a message -> the conversation rule (tickets.chat_intake) ->
the service; a status callback -> recorded on the delivery (a failure shown in the ticket's thread).

Each returns the answers to the person as Outgoing messages; the inbox worker queues them
with the entry's completion, so an answer goes out once.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

from bot.i18n import t
from bot.whatsapp.graph import GraphError
from bot.whatsapp.inbound import MEDIA, parse
from bot.whatsapp.messages import error_text
from tickets.chat_intake import IN_PLAY, ChatMessage, InPlay, Pending, Step, decide, detect_language, page, title_from
from tickets.errors import TicketError
from tickets.messages import N_
from tickets.model import DESCRIPTION_MAX
from tickets.places import Place
from tickets.ports import InboxEntry, Outgoing
from tickets.teams import Actor

log = logging.getLogger(__name__)


def _at(entry: InboxEntry, stamp) -> datetime:
    try:
        return datetime.fromtimestamp(int(stamp), timezone.utc)
    except (TypeError, ValueError, OverflowError):
        return entry.received_at


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


@dataclass
class WhatsAppHandler:
    service: object  # tickets.service.TicketService
    uow: Callable  # unit of work factory (reads the person's tickets)
    store: object  # storage.whatsapp.SqlWhatsApp
    graph: object  # bot.whatsapp.graph.GraphClient (media downloads)
    language: str = "id"

    @property
    def directory(self):
        return self.service.directory

    def teams(self) -> list[tuple[str, str]]:
        return [(team.key, team.name) for team in self.directory.teams.values() if team.whatsapp]

    def in_play(self, user: str) -> list[InPlay]:
        with self.uow() as uow:
            found = uow.tickets.search(party=user, statuses=IN_PLAY, limit=100)
        mine = [x for x in found if x.requester == user and self.directory.teams.get(x.team)]
        return [InPlay(x.key, x.title, x.status.value) for x in sorted(mine, key=lambda x: (x.created_at, x.id or 0))]

    # -- a message from a person ---------------------------------------------------------
    def message(self, entry: InboxEntry) -> list[Outgoing]:
        payload = entry.payload
        message, number, name = payload["message"], payload["number"], payload.get("name")
        user = f"whatsapp:{number}"
        self.store.wrote(number, name, _at(entry, message.get("timestamp")))
        contact = self.store.contact(number)
        parsed = parse(message)
        lang = detect_language(parsed.text, contact.lang or self.language)
        now = self.service.clock.now()

        def say(template: str, ticket_id: int | None = None, lang_: str | None = None, **params) -> Outgoing:
            return Outgoing("whatsapp", f"user:{user}", template, params, lang_ or lang, ticket_id=ticket_id)

        if parsed.kind == "ignored":
            return []
        if parsed.kind == "unsupported":
            self.store.remember(number, now, lang=lang)
            return [say(N_("wa_unsupported"))]
        text, media = parsed.text, []
        if parsed.media_id:
            try:
                data, mime = self.graph.media(parsed.media_id)
            except GraphError as exc:
                log.warning("whatsapp: media %s of %s not fetched: %s", parsed.media_id, entry.key, exc)
                return [say(N_("wa_media_failed"))]
            mime = parsed.mime or mime or "application/octet-stream"
            media_id = self.store.keep_media(number=number, wamid=message["id"], kind=parsed.kind, mime=mime,
                                             filename=parsed.filename, data=data, at=now)
            media = [media_id]
            label = t(f"wa.kind.{parsed.kind}", lang) if parsed.kind in MEDIA else parsed.kind
            line = f"📎 {label}: {parsed.filename or mime} ({_size(len(data))}, {t('wa.media_ref', lang)} #{media_id})"
            text = "\n".join(x for x in (text, line) if x)
        if parsed.location:
            text = "\n".join(x for x in (text, parsed.location) if x)
        step = decide(ChatMessage(text, parsed.choice, media), Pending.from_dict(contact.pending),
                      self.in_play(user), self.teams())
        try:
            answers = self.act(step, user, name, lang, say, entry)
        except TicketError as err:
            answers = [say(N_("wa_text"), text=error_text(err, lang))]
            step.pending = Pending()
        self.store.remember(number, now, pending=step.pending.to_dict(), lang=lang)
        return answers

    def act(self, step: Step, user: str, name: str | None, lang: str, say, entry: InboxEntry) -> list[Outgoing]:
        service = self.service
        if step.action == "open":
            team = self.directory.team(step.team)
            ticket_lang = "en" if "en" in (lang, team.language) else (team.language or self.language)
            actor = Actor(user, locale=ticket_lang)
            title = title_from(step.text, fallback=t("wa.title_fallback", ticket_lang))
            sender = t("wa.from", ticket_lang, name=name or "-", number=user.split(":", 1)[1])
            description = step.text[:DESCRIPTION_MAX - len(sender) - 2] + "\n\n" + sender
            opened = service.open(actor, team.key, title, description, requester=user, source="whatsapp",
                                  idempotency_key=entry.key)
            ticket = opened.ticket
            self.store.attach_media(step.media, ticket.id)
            return [say(N_("wa_opened"), ticket.id, ticket_lang, key=ticket.key, title=ticket.title,
                        team=team.name)]
        if step.action == "reply":
            # the service's conversation rule: the requester's reply resumes a waiting ticket, reopens a resolved one
            ticket = service.converse(Actor(user), step.key, Place("whatsapp", "dm", owner=user), step.text).ticket
            self.store.attach_media(step.media, ticket.id)
            if step.reopen:
                return [say(N_("wa_reopened"), ticket.id, key=ticket.key, title=ticket.title)]
            return []
        if step.action == "rate":
            ticket = service.rate(Actor(user), step.key, step.score)
            return [say(N_("wa_rated"), ticket.id, key=ticket.key, score=step.score)]
        if step.action in ("ask_team", "ask_ticket"):
            return [self.ask(step, say, user)]
        if step.action == "ask_text":
            return [say(N_("wa_ask_text"))]
        return [say(N_("wa_no_team"))]

    def ask(self, step: Step, say, user: str) -> Outgoing:
        options, more = page(step.pending.options, step.pending.offset)
        if step.action == "ask_team":
            names = dict(self.teams())
            rows = [{"id": f"team:{k}", "title": names.get(k, k)} for k in options]
            template = N_("wa_choose_team")
        else:
            titles = {x.key: x.title for x in self.in_play(user)}
            rows = [{"id": f"ticket:{k}", "title": k, "description": titles.get(k, "")} for k in options]
            template = N_("wa_choose_ticket")
        if more is not None:
            rows.append({"id": f"more:{more}", "title": "", "more": True})
        return say(template, rows=rows, count=len(step.pending.options))

    # -- a delivery status ----------------------------------------------------------------
    def status(self, entry: InboxEntry) -> list[Outgoing]:
        status = entry.payload["status"]
        errors = status.get("errors") or []
        reason = "; ".join(f"{e.get('code')} {e.get('title') or e.get('message') or ''}".strip() +
                           (f": {(e.get('error_data') or {}).get('details')}"
                            if (e.get("error_data") or {}).get("details") else "") for e in errors) or None
        change = self.store.status(status["id"], status["status"], _at(entry, status.get("timestamp")), reason)
        if change is None:
            if entry.attempts < 3:  # our record of the send may not be committed yet
                raise LookupError(f"unknown wamid {status['id']}")
            return []
        if not (change.changed and change.status == "failed" and change.ticket_id):
            return []
        with self.uow() as uow:
            ticket = uow.tickets.get_by_id(change.ticket_id)
        team = self.directory.teams.get(ticket.team) if ticket else None
        if team is None:
            return []
        lang = team.language or self.directory.default_language
        params = {"key": ticket.key, "number": change.number, "error": reason or "-"}
        return [Outgoing(p, f"thread:{ticket.key}", N_("wa_delivery_failed"), params, lang, ticket_id=ticket.id)
                for p in self.service.fanout.team_platforms(team)]
