"""Reading what Meta sends: the webhook envelope into inbox entries, one message into
text / a picked list row / media to fetch / a location link."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tickets.ports import Inbound

MEDIA = ("image", "document", "audio", "video", "sticker")
IGNORED = ("reaction", "system")  # nothing to answer


def inbound_items(data: Any, phone_number_id: str | None = None) -> list[Inbound]:
    """Every message and status callback in one webhook call (other numbers' changes skipped)."""
    items: list[Inbound] = []
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    for entry in data.get("entry") or []:
        for change in (entry or {}).get("changes") or []:
            value = (change or {}).get("value") or {}
            if change.get("field") != "messages" or not isinstance(value, dict):
                continue
            number_id = str((value.get("metadata") or {}).get("phone_number_id") or "")
            if phone_number_id and number_id and number_id != phone_number_id:
                continue
            names = {c.get("wa_id"): (c.get("profile") or {}).get("name") for c in value.get("contacts") or []}
            for message in value.get("messages") or []:
                sender = str(message["from"])
                items.append(Inbound(key=f"whatsapp:{message['id']}", platform="whatsapp", kind="message",
                                     payload={"message": message, "name": names.get(sender),
                                              "number": f"+{sender}"},
                                     reply={"to": f"+{sender}"}))
            for status in value.get("statuses") or []:
                items.append(Inbound(key=f"whatsapp:status:{status['id']}:{status['status']}",
                                     platform="whatsapp", kind="status", payload={"status": status}))
    return items


@dataclass
class Parsed:
    kind: str
    text: str = ""
    choice: str | None = None
    media_id: str | None = None
    filename: str | None = None
    mime: str | None = None
    location: str | None = None
    extra: dict = field(default_factory=dict)


def map_link(location: dict) -> str:
    lat, lng = location.get("latitude"), location.get("longitude")
    label = " · ".join(str(x) for x in (location.get("name"), location.get("address")) if x)
    link = f"https://www.google.com/maps/search/?api=1&query={lat},{lng}"
    return f"📍 {label} {link}" if label else f"📍 {link}"


def parse(message: dict) -> Parsed:
    kind = message.get("type") or "unknown"
    if kind == "text":
        return Parsed(kind, text=(message.get("text") or {}).get("body") or "")
    if kind == "interactive":
        reply = message.get("interactive") or {}
        picked = reply.get("list_reply") or reply.get("button_reply") or {}
        return Parsed(kind, choice=picked.get("id"), extra={"title": picked.get("title")})
    if kind == "button":  # a template's quick-reply button
        button = message.get("button") or {}
        return Parsed(kind, text=button.get("text") or "", choice=button.get("payload"))
    if kind in MEDIA:
        media = message.get(kind) or {}
        return Parsed(kind, text=media.get("caption") or "", media_id=media.get("id"),
                      filename=media.get("filename"), mime=media.get("mime_type"))
    if kind == "location":
        return Parsed(kind, location=map_link(message.get("location") or {}))
    return Parsed("ignored" if kind in IGNORED else "unsupported")
