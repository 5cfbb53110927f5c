"""Building test mail the way mail clients write it."""
from __future__ import annotations

from email import policy
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from bot.email.parse import Mail, read_mail
from bot.email.quotes import strip_reply  # noqa: F401  (re-exported for tests)


def mail(sender: str = "Budi Santoso <budi@corp.example>", to: str = "it@corp.example", subject: str = "Printer",
         body: str = "The printer on floor 3 is jammed.", *, cc: str | None = None, html: str | None = None,
         headers: dict[str, str] | None = None, message_id: str | None = None) -> EmailMessage:
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"] = sender
    msg["To"] = to
    if cc:
        msg["Cc"] = cc
    if subject is not None:
        msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = message_id or make_msgid(domain="mail.example")
    for name, value in (headers or {}).items():
        msg[name] = value
    if html is not None and body is None:
        msg.set_content(html, subtype="html")
    else:
        msg.set_content(body)
        if html is not None:
            msg.add_alternative(html, subtype="html")
    return msg


def reply_to(received: EmailMessage, body: str, sender: str = "Budi Santoso <budi@corp.example>",
             quote: bool = True, to: str = "helpdesk@corp.example") -> EmailMessage:
    """A reply as a mail client builds it from a received mail: Re: subject, threading, quoted text."""
    original = received.get_body(preferencelist=("plain",)).get_content()
    text = body
    if quote:
        quoted = "\n".join(f"> {line}" for line in original.splitlines())
        text += f"\n\nOn Mon, 23 Nov 2026 at 09:15, {received['From']} wrote:\n{quoted}\n"
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = "Re: " + str(received["Subject"])
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain="mail.example")
    msg["In-Reply-To"] = received["Message-ID"]
    msg["References"] = " ".join(filter(None, [str(received.get("References") or ""), received["Message-ID"]]))
    msg.set_content(text)
    return msg


def parsed(msg: EmailMessage | bytes) -> Mail:
    return read_mail(msg.as_bytes() if isinstance(msg, EmailMessage) else msg)


def text_of(msg: EmailMessage) -> str:
    return msg.get_body(preferencelist=("plain",)).get_content()
