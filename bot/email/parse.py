"""Read any mail: charsets, RFC 2047 headers, broken MIME, HTML-only and attachment-only mail.

`read_mail(raw)` never raises for a mail's content: whatever cannot be decoded is replaced,
whatever is missing is empty. The result is what the handler needs; the raw bytes are kept
by storage until the mail is processed.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.headerregistry import Address
from email.message import EmailMessage, Message
from email.utils import getaddresses, parseaddr

from bot.email.html import html_to_text

ID_RE = re.compile(r"<([^<>\s]+)>")


@dataclass
class Attachment:
    name: str
    content_type: str
    size: int
    data: bytes | None  # None when larger than the attachment limit (listed, not kept)


@dataclass
class Mail:
    message_id: str
    sender: str  # lower-case address, "" when there is none
    sender_name: str
    to: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    delivered_to: list[str] = field(default_factory=list)
    subject: str = ""
    text: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    in_reply_to: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # lower-case name -> value (the ones loops read)
    content_type: str = "text/plain"
    message: Message | None = None

    @property
    def recipients(self) -> list[str]:
        return list(dict.fromkeys(self.to + self.cc + self.delivered_to))


LOOP_HEADERS = ("auto-submitted", "precedence", "x-auto-response-suppress", "list-id", "list-unsubscribe",
                "return-path", "content-language", "x-loop")


def header(msg: Message, name: str) -> str:
    """A header as text; a header the parser chokes on is decoded by hand."""
    try:
        value = msg.get(name)
    except Exception:
        value = None
        for key, raw in msg.raw_items():
            if key.lower() == name.lower():
                value = raw
                break
    if value is None:
        return ""
    try:
        text = str(value)
    except Exception:
        text = repr(value)
    return re.sub(r"\s+", " ", text).strip()


def message_ids(value: str) -> list[str]:
    found = ID_RE.findall(value or "")
    if not found and value and value.strip() and " " not in value.strip():
        found = [value.strip().strip("<>")]
    return found


def addresses(msg: Message, *names: str) -> list[tuple[str, str]]:
    out = []
    for name in names:
        raw = []
        for key, value in msg.raw_items():
            if key.lower() == name.lower():
                raw.append(str(decoded(value)))
        for display, address in getaddresses(raw):
            if "@" in address:
                out.append((display.strip(), address.strip().lower()))
    return out


def decoded(value: str) -> str:
    """An RFC 2047 header value as text, whatever its charset."""
    from email.header import decode_header

    try:
        parts = decode_header(value)
    except Exception:
        return value
    text = []
    for chunk, charset in parts:
        if isinstance(chunk, bytes):
            text.append(decode_bytes(chunk, charset))
        else:
            text.append(chunk)
    return "".join(text)


def decode_bytes(data: bytes, charset: str | None) -> str:
    for name in (charset, "utf-8", "cp1252"):
        if not name:
            continue
        try:
            return data.decode(name, errors="replace")
        except (LookupError, TypeError):
            continue
    return data.decode("latin-1")


def part_text(part: Message) -> str:
    try:
        content = part.get_content()  # type: ignore[attr-defined]
        if isinstance(content, str):
            return content
    except Exception:
        pass
    payload = part.get_payload(decode=True)
    if payload is None:
        raw = part.get_payload()
        return raw if isinstance(raw, str) else ""
    return decode_bytes(payload, part.get_content_charset())


def is_attachment(part: Message) -> bool:
    disposition = (part.get("Content-Disposition") or "").split(";")[0].strip().lower()
    if disposition == "attachment":
        return True
    if part.get_filename():
        return True
    return part.get_content_maintype() not in ("text", "multipart", "message")


def body_and_attachments(msg: Message, max_attachment: int) -> tuple[str, list[Attachment]]:
    plain: str | None = None
    html: str | None = None
    attachments: list[Attachment] = []
    parts = msg.walk() if msg.is_multipart() else [msg]
    for part in parts:
        if part.is_multipart():
            continue
        ctype = part.get_content_type()
        if ctype in ("message/delivery-status", "message/rfc822", "text/rfc822-headers"):
            continue
        attached = is_attachment(part) if part is not msg else part.get_content_maintype() != "text"
        if attached:
            try:
                data = part.get_payload(decode=True) or b""
            except Exception:
                data = b""
            name = part.get_filename() or f"attachment-{len(attachments) + 1}"
            attachments.append(Attachment(name=decoded(str(name))[:255], content_type=ctype, size=len(data),
                                          data=data if len(data) <= max_attachment else None))
        elif ctype == "text/html" and html is None:
            html = part_text(part)
        elif ctype.startswith("text/") and ctype != "text/html" and plain is None:
            plain = part_text(part)
    if plain is not None and plain.strip():
        return plain.replace("\r\n", "\n").strip(), attachments
    if html:
        return html_to_text(html), attachments
    return (plain or "").strip(), attachments


def synthetic_id(raw: bytes) -> str:
    return f"no-id.{hashlib.sha256(raw).hexdigest()[:32]}@tiket.invalid"


def read_mail(raw: bytes, *, max_attachment: int = 5_000_000) -> Mail:
    msg = message_from_bytes(raw, policy=policy.default)
    ids = message_ids(header(msg, "Message-ID"))
    sender_name, sender = "", ""
    found = addresses(msg, "From") or addresses(msg, "Sender") or addresses(msg, "Return-Path")
    if found:
        sender_name, sender = found[0]
    else:
        sender_name, sender = parseaddr(header(msg, "From"))
        sender = sender.lower() if "@" in sender else ""
    text, attachments = body_and_attachments(msg, max_attachment)
    return Mail(
        message_id=ids[0] if ids else synthetic_id(raw),
        sender=sender, sender_name=sender_name,
        to=[a for _, a in addresses(msg, "To")], cc=[a for _, a in addresses(msg, "Cc")],
        delivered_to=[a for _, a in addresses(msg, "Delivered-To", "X-Original-To")],
        subject=decoded(header(msg, "Subject")), text=text, attachments=attachments,
        in_reply_to=message_ids(header(msg, "In-Reply-To")), references=message_ids(header(msg, "References")),
        headers={name: header(msg, name) for name in LOOP_HEADERS if header(msg, name)},
        content_type=msg.get_content_type(), message=msg)


def read_headers(raw_headers: bytes) -> Mail:
    """Only a mail's header block (a mail too large to fetch whole)."""
    return read_mail(raw_headers.rstrip(b"\r\n") + b"\r\n\r\n", max_attachment=0)


def format_address(name: str, address: str) -> str:
    try:
        return str(Address(display_name=name or "", addr_spec=address))
    except Exception:
        return address


def new_message() -> EmailMessage:
    return EmailMessage(policy=policy.SMTP)
