"""Writing mail: text and HTML alternatives in the requester's language, threaded on the ticket's mail.

Every mail has its own Message-ID on Tiket's domain (the outbox row's id in it, so a retried
delivery carries the same id), ``Auto-Submitted: auto-replied`` for answers to a mail
(acknowledgement, refusal) and ``auto-generated`` for notifications, In-Reply-To/References
to the ticket's mail and the subject ``[IT-42] original subject``.
"""
from __future__ import annotations

from dataclasses import dataclass
from email.utils import formatdate, parseaddr
from html import escape

from bot.email.parse import new_message
from bot.email.quotes import clean_subject
from bot.i18n import catalog, t

REPLIES = frozenset({"email_ack", "email_too_large", "email_rate_limited"})  # auto-replied
NOTICES = frozenset({"comment_added", "waiting", "resolved", "closed", "reopened", "claimed", "assigned",
                     "cancelled", "web_status_link", "web_sign_in"})  # auto-generated (web_*: bot/web)
SENT = REPLIES | NOTICES
MAX_REFERENCES = 20


def message_id_domain(settings) -> str:
    if settings.message_id_domain:
        return settings.message_id_domain.lower()
    _, address = parseaddr(settings.from_address or "")
    return address.rpartition("@")[2].lower() or "tiket.invalid"


def from_address(settings) -> str:
    return settings.from_address or f"Tiket <tiket@{message_id_domain(settings)}>"


@dataclass
class Thread:
    subject: str  # the original subject (prefixes and tags removed)
    in_reply_to: str | None
    references: list[str]


def thread_of(rows, address: str, fallback_subject: str) -> Thread:
    """Threading headers from the mail known for a ticket (oldest first)."""
    ids = [r.message_id for r in rows]
    first_in = next((r for r in rows if r.direction == "in" and r.subject), None)
    theirs = [r for r in rows if r.direction == "in" and r.address == address] or [r for r in rows if r.direction == "in"]
    reply_to = theirs[-1].message_id if theirs else (ids[-1] if ids else None)
    refs = ids if len(ids) <= MAX_REFERENCES else ids[:1] + ids[-(MAX_REFERENCES - 1):]
    subject = clean_subject(first_in.subject) if first_in else ""
    return Thread(subject=subject or fallback_subject, in_reply_to=reply_to, references=refs)


def body_text(template: str, params: dict, lang: str) -> str:
    key = f"email.body.{template}"
    text = t(key, lang, **params) if key in catalog("en") else ""
    extras = []
    for name in ("text", "note", "reason"):
        value = str(params.get(name) or "").strip()
        if value and "{" + name + "}" not in (catalog(lang).get(key) or catalog("en").get(key, "")):
            extras.append(value)
    parts = [t("email.greeting", lang), text, *extras]
    if template == "resolved":
        parts.append(t("email.rate_request", lang))
    parts.append(t("email.footer", lang, **params))
    return "\n\n".join(p for p in parts if p)


def body_html(text: str) -> str:
    paragraphs = []
    for block in text.split("\n\n"):
        inner = "<br>\n".join(escape(line) for line in block.splitlines())
        paragraphs.append(f"<p>{inner}</p>")
    return ('<!DOCTYPE html><html><body style="font-family:sans-serif;line-height:1.4">\n'
            + "\n".join(paragraphs) + "\n</body></html>")


def build(*, settings, template: str, params: dict, lang: str, to: str, message_id: str, key: str | None,
          thread: Thread | None, now) -> "EmailMessage":  # noqa: F821
    msg = new_message()
    if key and thread:
        subject = f"[{key}] {thread.subject}"
    else:
        subject = t("email.subject.reply", lang, subject=clean_subject(str(params.get("subject") or "")) or
                    t("email.no_subject", lang))
    msg["Subject"] = subject.replace("\n", " ")[:900]
    msg["From"] = from_address(settings)
    msg["To"] = to
    msg["Date"] = formatdate(now.timestamp(), localtime=False)
    msg["Message-ID"] = f"<{message_id}>"
    reply_to = thread.in_reply_to if thread else params.get("in_reply_to")
    refs = thread.references if thread else ([reply_to] if reply_to else [])
    if reply_to:
        msg["In-Reply-To"] = f"<{reply_to}>"
    if refs:
        msg["References"] = " ".join(f"<{r}>" for r in refs)
    msg["Auto-Submitted"] = "auto-replied" if template in REPLIES else "auto-generated"
    msg["X-Auto-Response-Suppress"] = "All"
    msg["Content-Language"] = lang
    if key:
        msg["X-Tiket-Ticket"] = key
    text = body_text(template, params, lang)
    msg.set_content(text)
    msg.add_alternative(body_html(text), subtype="html")
    return msg
