"""What a stored web request asks for, as service calls: open a ticket, reply, reopen, rate.

Payloads (JSON in the inbox): {"actor", "lang", ...} plus, per kind,
  open:    team, title, description, priority, category, requester, source, external_reference, notify
  comment: ticket, text          reopen: ticket, text          rate: ticket, score, text
A handler returns the ticket and the answers to queue (the status link mailed to a form's requester).
"""
from __future__ import annotations

from tickets.ports import InboxEntry, Outgoing
from tickets.teams import Actor


class Actions:
    def __init__(self, container, store) -> None:
        self.container = container
        self.store = store

    def run(self, entry: InboxEntry):
        p = entry.payload
        actor = Actor(p["actor"], locale=p.get("lang"))
        service = self.container.service
        if entry.kind == "open":
            result = service.open(actor, p["team"], p.get("title", ""), p.get("description", ""),
                                  priority=p.get("priority"), category=p.get("category"),
                                  requester=p.get("requester"), source=p.get("source", "web"),
                                  source_ref=p.get("external_reference"), idempotency_key=entry.key)
            ticket = result.ticket
            if p.get("name"):
                self.store.remember_name(ticket.requester, p["name"])
            if p.get("attachments"):
                self.store.claim_attachments(entry.key, ticket.id)
            return ticket, self.status_mail(ticket, p) if result.created else []
        if entry.kind == "comment":
            return service.comment(actor, p["ticket"], p.get("text", "")), []
        if entry.kind == "reopen":
            return service.reopen(actor, p["ticket"], p.get("text", "")), []
        if entry.kind == "rate":
            return service.rate(actor, p["ticket"], int(p.get("score", 0)), p.get("text", "")), []
        raise LookupError(f"no web action {entry.kind}")

    def status_mail(self, ticket, payload: dict) -> list[Outgoing]:
        """The requester's status link by mail, when the form asked and email is configured here."""
        from bot.web.links import Links

        if not payload.get("notify") or "email" not in self.container.notifiers:
            return []
        links = Links.from_container(self.container, self.store)
        url = links.status_url(ticket.id, ticket.requester)
        return [Outgoing(platform="email", target=f"user:{ticket.requester}", template="web_status_link",
                         params={"key": ticket.key, "title": ticket.title, "link": url},
                         lang=payload.get("lang") or "en", ticket_id=ticket.id)]
