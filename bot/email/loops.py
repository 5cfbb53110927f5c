"""No loops, no noise (RFC 3834): automatic mail gets no ticket and no answer; bounces are read.

`automatic(mail, own_domain)` names why a mail was sent by a machine (or None for a person);
`bounce(mail)` reads a delivery status notification (multipart/report) into the Message-ID of
the mail that bounced, the recipient and the reason.
"""
from __future__ import annotations

from dataclasses import dataclass
from email.message import Message

from bot.email.parse import Mail, header, message_ids, part_text

MACHINE_SENDERS = ("mailer-daemon", "postmaster", "noreply", "no-reply", "no_reply", "donotreply",
                   "do-not-reply", "bounce", "bounces")


@dataclass
class Bounce:
    original_id: str | None
    recipient: str
    status: str
    reason: str


def machine_sender(address: str) -> bool:
    local = address.split("@", 1)[0].lower()
    return not address or local in MACHINE_SENDERS or local.startswith(("mailer-daemon", "noreply", "no-reply"))


def automatic(mail: Mail, own_domain: str | None = None) -> str | None:
    """Why this mail must not get a ticket or an answer; None for a mail a person wrote."""
    h = mail.headers
    auto = h.get("auto-submitted", "").split(";")[0].strip().lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    if h.get("precedence", "").strip().lower() in ("bulk", "list", "junk"):
        return f"Precedence: {h['precedence'].strip().lower()}"
    if "x-auto-response-suppress" in h:
        return "X-Auto-Response-Suppress"
    if "list-id" in h or "list-unsubscribe" in h:
        return "List-Id"
    if machine_sender(mail.sender):
        return f"sender {mail.sender or '(none)'}"
    if own_domain and mail.message_id.lower().endswith("@" + own_domain.lower()):
        return "Tiket's own mail"
    if h.get("return-path", "").strip() == "<>":
        return "empty Return-Path"
    return None


def is_report(mail: Mail) -> bool:
    return mail.content_type == "multipart/report"


def _status_blocks(part: Message) -> list[Message]:
    payload = part.get_payload()
    if isinstance(payload, list):
        return [p for p in payload if isinstance(p, Message)]
    from email import message_from_string, policy

    text = part_text(part)
    return [message_from_string(block.strip() + "\n", policy=policy.default)
            for block in text.replace("\r\n", "\n").split("\n\n") if block.strip()]


def bounce(mail: Mail) -> Bounce | None:
    """The delivery failure a DSN reports; None when this is no failure report."""
    msg = mail.message
    if msg is None or not is_report(mail):
        return None
    original, recipient, status, reason = None, "", "", ""
    for part in msg.walk():
        ctype = part.get_content_type()
        if ctype == "message/delivery-status":
            for block in _status_blocks(part):
                action = header(block, "Action").lower()
                if action and action not in ("failed", "delayed"):
                    continue
                recipient = recipient or header(block, "Final-Recipient").split(";")[-1].strip().lower()
                status = status or header(block, "Status")
                reason = reason or header(block, "Diagnostic-Code").split(";", 1)[-1].strip()
                if action == "delayed":
                    return None  # only a delay: nothing failed yet
        elif ctype == "message/rfc822" and original is None:
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) and inner else inner
            if isinstance(inner, Message):
                found = message_ids(header(inner, "Message-ID"))
                original = found[0] if found else None
        elif ctype == "text/rfc822-headers" and original is None:
            for line in part_text(part).splitlines():
                if line.lower().startswith("message-id:"):
                    found = message_ids(line.split(":", 1)[1])
                    original = found[0] if found else None
    if not status.startswith("5") and not reason and not status:
        return None
    if original is None:
        refs = mail.in_reply_to + mail.references
        original = refs[-1] if refs else None
    return Bounce(original_id=original, recipient=recipient, status=status or "5.0.0",
                  reason=reason or f"status {status or 'unknown'}")
