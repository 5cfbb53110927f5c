"""Prints what the bot would post, prefixed by where it would go."""
from __future__ import annotations

from typing import Callable

from bot.render import render_message, who
from tickets.ports import Clock, Delivery


def place(target: str) -> str:
    kind, _, rest = target.partition(":")
    if kind == "team":
        return f"#{rest.lower()}"
    if kind == "user":
        return f"DM {who(rest)}"
    return f"{kind} {rest}"


class ConsoleNotifier:
    platform = "console"

    def __init__(self, write: Callable[[str], None], clock: Clock, calendars: dict | None = None) -> None:
        self.write = write
        self.clock = clock
        self.calendars = calendars or {}  # team key -> calendar, for time left in business time

    def deliver(self, delivery: Delivery) -> None:
        team = (delivery.ticket_key or "").rpartition("-")[0]
        text = render_message(delivery.template, delivery.params, delivery.lang, self.clock.now(),
                              self.calendars.get(team))
        target = delivery.target
        if delivery.template == "card":
            team = (delivery.ticket_key or "").split("-")[0].lower()
            target, text = f"team:{team}", f"🎫 {text}"
        prefix = f"[{place(target)}] "
        self.write(prefix + text.replace("\n", "\n" + " " * len(prefix)))
