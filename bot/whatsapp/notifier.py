"""WhatsAppNotifier: delivers outbox messages to people on WhatsApp (platform "whatsapp").

Only ``user:whatsapp:+<number>`` targets exist on WhatsApp (fanout sends cards and threads to
the team's Slack/Discord). Within 24 hours of the person's last message a message goes out as
it is; outside that window Meta refuses free-form messages (131047), so the configured
template (ticket key + short status) goes out once per ticket and the message is held in the
outbox until the person writes again (storage.whatsapp releases it). Each sent message's wamid
is recorded with its outbox id, for the delivery statuses the webhook reports. Meta's rate
limits: a token bucket per number (pair rate limit) and one for the business number.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.whatsapp.graph import GraphClient, OutsideWindow
from bot.whatsapp.messages import render, short_status, template_message
from tickets.ports import Held, RetryLater
from tickets.ports import Clock, Delivery

log = logging.getLogger(__name__)
WINDOW = timedelta(hours=24)
HOLD = timedelta(days=1)  # a held message is looked at again after this, or when the person writes


@dataclass
class Bucket:
    capacity: float
    per_second: float
    tokens: float = -1.0
    at: datetime | None = None

    def take(self, now: datetime) -> float:
        """0 when a message may go now, else the seconds to wait."""
        if self.at is None or self.tokens < 0:
            self.tokens, self.at = self.capacity, now
        self.tokens = min(self.capacity, self.tokens + (now - self.at).total_seconds() * self.per_second)
        self.at = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.per_second if self.per_second > 0 else 60.0


@dataclass
class WhatsAppNotifier:
    graph: GraphClient
    store: object  # storage.whatsapp.SqlWhatsApp
    clock: Clock
    template: str | None = None
    template_language: str = "id"
    pair_burst: int = 10
    pair_per_minute: float = 10.0
    per_second: float = 80.0
    platform: str = "whatsapp"
    _buckets: dict[str, Bucket] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _pace(self, number: str, now: datetime) -> None:
        with self._lock:
            pair = self._buckets.setdefault(number, Bucket(self.pair_burst, self.pair_per_minute / 60))
            total = self._buckets.setdefault("*", Bucket(self.per_second, self.per_second))
            wait = max(pair.take(now), total.take(now))
        if wait:
            raise RetryLater(wait)

    def deliver(self, delivery: Delivery) -> None:
        kind, _, user = delivery.target.partition(":")
        if kind != "user" or not user.startswith("whatsapp:"):
            log.info("whatsapp: nothing to deliver for %s (%s)", delivery.target, delivery.template)
            return
        number = user.split(":", 1)[1]
        now = self.clock.now()
        contact = self.store.contact(number)
        if contact.last_inbound_at is None or now - contact.last_inbound_at >= WINDOW:
            self._hold(delivery, number, contact, now)
        self._pace(number, now)
        message = render(number, delivery.template, delivery.params, delivery.lang, now)
        try:
            wamid = self.graph.send(message)
        except OutsideWindow:
            self._hold(delivery, number, self.store.contact(number), now)
        self.store.sent(wamid, delivery.id, number, "message", now)

    def _hold(self, delivery: Delivery, number: str, contact, now: datetime) -> None:
        """Outside the window: announce the ticket by template (once), keep the message until they write."""
        key = delivery.ticket_key
        if key and self.template and key not in contact.templated:
            status = short_status(delivery.template, self.template_language)
            self._pace(number, now)
            wamid = self.graph.send(template_message(number, self.template, self.template_language, key, status))
            self.store.sent(wamid, delivery.id, number, "template", now)
            self.store.templated(number, key, now)
        elif key and not self.template:
            log.warning("whatsapp: %s is outside the 24-hour window and no template is set "
                        "(TIKET_WHATSAPP__TEMPLATE); the message waits until they write", number)
        raise Held(now + HOLD, "outside the 24-hour window")


def make_notifier(container) -> WhatsAppNotifier | None:
    """The WhatsApp notifier from settings; None without a token and phone number id."""
    from storage.whatsapp import SqlWhatsApp

    settings = container.settings.whatsapp
    if not settings.configured:
        return None
    graph = GraphClient(settings.api_url, settings.token.get_secret_value(), settings.phone_number_id)
    return WhatsAppNotifier(graph, SqlWhatsApp(container.engine), container.clock, template=settings.template,
                            template_language=settings.template_language, pair_burst=settings.pair_burst,
                            pair_per_minute=settings.pair_per_minute, per_second=settings.per_second)
