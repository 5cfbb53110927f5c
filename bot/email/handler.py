"""The inbox handler for mail: a stored mail -> a service call, answers returned as `Outgoing`.

New mail opens a ticket (idempotent through the inbox key); a reply matched by In-Reply-To /
References, or by its ``[IT-42]`` tag when the sender may speak for that ticket, becomes a
public comment (a waiting ticket resumes, a resolved one reopens, a lone ``1``-``5`` rates it).
Automatic mail and bounces never open tickets; a bounce marks the delivery failed and tells
the ticket's thread. Ticket rules stay in the service; this module only translates.
"""
from __future__ import annotations

import logging
import re
from datetime import timedelta

from bot.email.loops import automatic, bounce, is_report
from bot.email.parse import Mail, read_headers, read_mail
from bot.email.quotes import clean_subject, strip_reply, subject_tags
from bot.email.routing import actor_for, linked, mail_identity, team_for
from bot.i18n import normalise_language, t
from tickets.errors import RateLimited, TicketError
from tickets.messages import N_
from tickets.model import DESCRIPTION_MAX, TEXT_MAX, TITLE_MAX, Status, Ticket
from tickets.places import Place
from tickets.ports import InboxEntry, Outgoing
from tickets.teams import Actor, Team

log = logging.getLogger(__name__)
MAIL_THREAD = Place("email", "origin")  # the requester's own mail thread: they read everything said there
RATING_RE = re.compile(r"^\s*([1-5])(?:\s*/\s*5)?(?:\s*$|\s*[.!,:)\-–]|\s*\n)(.*)$", re.DOTALL)


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def size_label(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{max(1, size // 1000)} kB"


class MailHandler:
    def __init__(self, container, store=None) -> None:
        self.container = container
        self.service = container.service
        self.directory = container.directory
        self.clock = container.clock
        self.settings = container.settings.email
        self.store = store or container.email_store()

    @property
    def own_domain(self) -> str | None:
        from bot.email.compose import message_id_domain

        return message_id_domain(self.settings)

    # -- the inbox entry -------------------------------------------------------------------
    def __call__(self, entry: InboxEntry) -> list[Outgoing]:
        row = self.store.raw(entry.key)
        if row is None:
            log.info("mail %s is no longer stored (processed before)", entry.key)
            return []
        if row.raw is None:
            return self.refuse(read_headers(row.headers or b""), row.size)
        mail = read_mail(row.raw, max_attachment=self.settings.max_attachment_bytes)
        if self.store.mail(mail.message_id) is not None:
            return []  # this very mail was handled before (a retry after a crash)
        if is_report(mail):
            return self.on_report(mail)
        why = automatic(mail, self.own_domain)
        if why:
            log.info("mail %s from %s is automatic (%s): no ticket, no answer", mail.message_id, mail.sender, why)
            self.store.record(mail.message_id, direction="in", address=mail.sender, kind="ignored",
                              subject=mail.subject[:500], now=self.clock.now())
            return []
        ticket = self.match(mail)
        if ticket is not None:
            return self.on_reply(mail, ticket)
        return self.on_new(mail, entry)

    # -- new tickets -------------------------------------------------------------------------
    def language(self, mail: Mail, team: Team | None) -> str:
        spoken = mail.headers.get("content-language")
        if spoken:
            return normalise_language(spoken, team.language if team and team.language else "en")
        return (team.language if team else None) or self.directory.default_language

    def ack_allowed(self, address: str) -> bool:
        limit = self.settings.acks_per_hour
        since = self.clock.now() - timedelta(hours=1)
        return limit > 0 and self.store.acks_since(address, since) < limit

    def on_new(self, mail: Mail, entry: InboxEntry) -> list[Outgoing]:
        team = team_for(mail, self.directory)
        if team is None:
            raise LookupError(f"no team takes mail to {', '.join(mail.recipients) or '(nobody)'}; "
                              "list the address in a team's email or set email_default_team")
        lang = self.language(mail, team)
        title = clip(clean_subject(mail.subject) or t("email.no_subject", lang), TITLE_MAX)
        who = f"{mail.sender_name} <{mail.sender}>" if mail.sender_name else mail.sender
        body = [t("email.description.from", lang, sender=who), "", mail.text]
        if mail.attachments:
            body += ["", t("email.description.attachments", lang)]
            body += [f"- {a.name} ({a.content_type}, {size_label(a.size)})" for a in mail.attachments]
        actor = actor_for(self.directory, mail.sender, mail.headers.get("content-language"))
        now = self.clock.now()
        try:
            result = self.service.open(actor, team.key, title, clip("\n".join(body).strip(), DESCRIPTION_MAX),
                                       requester=mail_identity(mail.sender), source="email",
                                       idempotency_key=entry.key)
        except RateLimited as exc:
            acked = self.ack_allowed(mail.sender)
            self.store.record(mail.message_id, direction="in", address=mail.sender, kind="limited",
                              subject=mail.subject[:500], acked=acked, now=now, team=team.key)
            if not acked:
                return []
            return [self.answer(mail, "email_rate_limited", lang, limit=exc.params.get("limit", ""))]
        ticket = result.ticket
        acked = self.ack_allowed(mail.sender)
        self.store.record(mail.message_id, direction="in", address=mail.sender, ticket_id=ticket.id,
                          participants=[a for a in mail.to + mail.cc if a != mail.sender],
                          subject=mail.subject[:2000], kind="new", acked=acked, now=now, team=ticket.team)
        self.store.add_attachments(ticket.id, mail.message_id, mail.attachments, now, team=ticket.team)
        if not acked:
            return []
        return [Outgoing(platform="email", target=f"user:{mail_identity(mail.sender)}", template=N_("email_ack"),
                         params={"key": ticket.key, "title": ticket.title, "team": team.name}, lang=lang,
                         ticket_id=ticket.id)]

    def answer(self, mail: Mail, template: str, lang: str, **params) -> Outgoing:
        """A reply to a mail that made no ticket (refused, limited): threaded on its own Message-ID."""
        return Outgoing(platform="email", target=f"user:{mail_identity(mail.sender)}", template=template,
                        params={"subject": clip(mail.subject, 200), "in_reply_to": mail.message_id, **params},
                        lang=lang)

    def refuse(self, mail: Mail, size: int) -> list[Outgoing]:
        """A mail above the size limit: one polite answer to a person, nothing for machines."""
        if automatic(mail, self.own_domain) or is_report(mail) or not mail.sender:
            return []
        known = self.store.mail(mail.message_id)
        acked = known is None and self.ack_allowed(mail.sender)
        self.store.record(mail.message_id, direction="in", address=mail.sender, kind="refused",
                          subject=mail.subject[:500], acked=acked, now=self.clock.now())
        if not acked:
            return []
        team = team_for(mail, self.directory)
        return [self.answer(mail, N_("email_too_large"), self.language(mail, team), size=size_label(size),
                            limit=size_label(self.settings.max_mail_bytes))]

    # -- replies -----------------------------------------------------------------------------------
    def may_speak_for(self, mail: Mail, ticket: Ticket) -> bool:
        """The requester, someone copied on the ticket's mail, or the team's staff."""
        team = self.directory.teams.get(ticket.team)
        ids = {mail_identity(mail.sender), linked(self.directory, mail.sender)} - {None}
        if ids & {ticket.requester, ticket.reporter, ticket.assignee}:
            return True
        if team is not None and self.directory.is_agent(actor_for(self.directory, mail.sender), team):
            return True
        return mail.sender in self.store.copied(ticket.id)

    def load(self, ticket_id: int | None = None, key: str | None = None) -> Ticket | None:
        refs = self.container.refs("email")  # the platform-references port also finds tickets
        if ticket_id is None:
            ticket_id = refs.ticket_id(key)
        return refs.ticket(ticket_id) if ticket_id is not None else None

    def match(self, mail: Mail) -> Ticket | None:
        ticket_id = self.store.ticket_for(mail.in_reply_to + mail.references)
        if ticket_id is not None:
            ticket = self.load(ticket_id=ticket_id)
            if ticket is not None and self.may_speak_for(mail, ticket):
                return ticket
        for key in subject_tags(mail.subject):
            ticket = self.load(key=key)
            if ticket is not None and self.may_speak_for(mail, ticket):
                return ticket
        return None

    def on_reply(self, mail: Mail, ticket: Ticket) -> list[Outgoing]:
        now = self.clock.now()
        actor = actor_for(self.directory, mail.sender, mail.headers.get("content-language"))
        text = strip_reply(mail.text)
        if actor.user not in (ticket.requester, ticket.reporter) and not self.is_staff(actor, ticket):
            who = f"{mail.sender_name} <{mail.sender}>" if mail.sender_name else mail.sender
            actor, text = Actor(ticket.requester), f"{who}:\n{text}"  # copied on the mail: said on the ticket
        if mail.attachments:
            self.store.add_attachments(ticket.id, mail.message_id, mail.attachments, now, team=ticket.team)
            names = ", ".join(a.name for a in mail.attachments)
            text = f"{text}\n\n📎 {names}".strip()
        rating = RATING_RE.match(text)
        requester = actor.user == ticket.requester or actor.user == ticket.reporter
        try:
            if rating and requester and ticket.status in (Status.RESOLVED, Status.CLOSED):
                self.service.rate(Actor(ticket.requester), ticket.key, int(rating.group(1)),
                                  clip(rating.group(2).strip(), TEXT_MAX))
            else:  # the conversation rules: a reply resumes a waiting ticket, reopens a resolved one
                self.service.converse(actor, ticket.key, MAIL_THREAD, clip(text or "…", TEXT_MAX))
        except TicketError as exc:  # e.g. rated already: keep the words as a comment
            log.info("reply to %s as comment (%s)", ticket.key, exc)
            self.service.comment(actor, ticket.key, clip(text or "…", TEXT_MAX))
        self.store.record(mail.message_id, direction="in", address=mail.sender, ticket_id=ticket.id,
                          participants=[a for a in mail.to + mail.cc if a != mail.sender],
                          subject=mail.subject[:2000], kind="reply", now=now, team=ticket.team)
        return []

    def is_staff(self, actor: Actor, ticket: Ticket) -> bool:
        team = self.directory.teams.get(ticket.team)
        return team is not None and self.directory.is_agent(actor, team)

    # -- bounces -------------------------------------------------------------------------------------
    def on_report(self, mail: Mail) -> list[Outgoing]:
        now = self.clock.now()
        self.store.record(mail.message_id, direction="in", address=mail.sender or "", kind="report",
                          subject=mail.subject[:500], now=now)
        failure = bounce(mail)
        if failure is None or not failure.original_id:
            return []
        sent = self.store.bounced(failure.original_id, f"{failure.status} {failure.reason}".strip(), now)
        if sent is None or sent.ticket_id is None:
            return []
        ticket = self.load(ticket_id=sent.ticket_id)
        team = self.directory.teams.get(ticket.team) if ticket else None
        if ticket is None or team is None:
            return []
        lang = team.language or self.directory.default_language
        params = {"key": ticket.key, "address": sent.address, "reason": clip(failure.reason or failure.status, 300)}
        return [Outgoing(platform=p, target=f"thread:{ticket.key}", template=N_("email_bounced"), params=params,
                         lang=lang, ticket_id=ticket.id) for p in self.service.fanout.team_platforms(team)]
