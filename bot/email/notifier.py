"""EmailNotifier: delivers outbox messages addressed to ``user:email:<address>`` over SMTP (platform "email").

Requesters who wrote by mail get the acknowledgement, agents' public replies, "waiting for
you", "resolved" (with the rating request) and "closed" in the same mail thread; internal
notes never reach them (the service only queues public events for requesters). A message
the mail side has no words for is dropped, never sent as raw text. SMTP errors raise, so the
dispatcher retries with backoff and gives up after the usual attempts.
"""
from __future__ import annotations

import logging
import smtplib
import ssl
import threading
from dataclasses import dataclass
from email.utils import parseaddr
from urllib.parse import unquote, urlsplit

from bot.email.compose import SENT, build, from_address, message_id_domain, thread_of
from tickets.ports import Clock, Delivery

log = logging.getLogger(__name__)


@dataclass
class SmtpTarget:
    scheme: str
    host: str
    port: int
    user: str
    password: str


def smtp_target(url: str) -> SmtpTarget:
    parts = urlsplit(url)
    defaults = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}
    if parts.scheme not in defaults:
        raise ValueError(f"TIKET_EMAIL__SMTP_URL must start with smtp://, smtp+starttls:// or smtps://, "
                         f"not {parts.scheme or '?'}://")
    if not parts.hostname:
        raise ValueError("TIKET_EMAIL__SMTP_URL names no host")
    return SmtpTarget(parts.scheme, parts.hostname, parts.port or defaults[parts.scheme],
                      unquote(parts.username or ""), unquote(parts.password or ""))


def smtp_connect(url: str, timeout: float = 30.0) -> smtplib.SMTP:
    target = smtp_target(url)
    if target.scheme == "smtps":
        conn: smtplib.SMTP = smtplib.SMTP_SSL(target.host, target.port, timeout=timeout,
                                              context=ssl.create_default_context())
    else:
        conn = smtplib.SMTP(target.host, target.port, timeout=timeout)
        if target.scheme == "smtp+starttls":
            conn.starttls(context=ssl.create_default_context())
    if target.user:
        conn.login(target.user, target.password)
    return conn


class SmtpSender:
    """One SMTP connection, reopened when the server closed it."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.conn: smtplib.SMTP | None = None
        self.lock = threading.Lock()

    def send(self, msg, sender: str, to: str) -> None:
        with self.lock:
            for attempt in (1, 2):
                if self.conn is None:
                    self.conn = smtp_connect(self.url)
                try:
                    self.conn.send_message(msg, from_addr=sender, to_addrs=[to])
                    return
                except (smtplib.SMTPServerDisconnected, ConnectionError) as exc:
                    self.conn = None
                    if attempt == 2:
                        raise exc

    def close(self) -> None:
        with self.lock:
            if self.conn is not None:
                try:
                    self.conn.quit()
                except Exception:
                    pass
                self.conn = None


class EmailNotifier:
    platform = "email"

    def __init__(self, settings, store, directory, clock: Clock, sender: SmtpSender) -> None:
        self.settings = settings  # EmailSettings
        self.store = store
        self.directory = directory
        self.clock = clock
        self.sender = sender

    def deliver(self, delivery: Delivery) -> None:
        kind, _, user = delivery.target.partition(":")
        platform, _, address = user.partition(":")
        if kind != "user" or platform != "email" or "@" not in address:
            return  # threads, cards and channels live in chat
        if delivery.template not in SENT:
            log.debug("no mail for %s to %s", delivery.template, address)
            return
        key = delivery.ticket_key
        params = dict(delivery.params)
        ticket_id = self.store.ticket_id_for_key(key) if key else None
        team = self.directory.teams.get((key or "").rpartition("-")[0])
        params.setdefault("team", team.name if team else "")
        params.setdefault("key", key or "")
        thread = None
        if ticket_id is not None:
            thread = thread_of(self.store.thread(ticket_id), address, str(params.get("title") or key))
        message_id = f"tiket.{delivery.id}.{(key or 'mail').lower()}@{message_id_domain(self.settings)}"
        now = self.clock.now()
        msg = build(settings=self.settings, template=delivery.template, params=params, lang=delivery.lang,
                    to=address, message_id=message_id, key=key if ticket_id else None, thread=thread, now=now)
        self.store.record(message_id, direction="out", address=address, ticket_id=ticket_id, kind=delivery.template,
                          subject=str(msg["Subject"]), outbox_id=delivery.id, now=now, team=team.key if team else None)
        envelope = parseaddr(from_address(self.settings))[1]
        self.sender.send(msg, envelope, address)


def make_notifier(container) -> EmailNotifier | None:
    """The hook config.wiring.attach_notifiers calls; None without an SMTP URL."""
    settings = container.settings.email
    if settings.smtp_url is None:
        return None
    return EmailNotifier(settings, container.email_store(), container.directory, container.clock,
                         SmtpSender(settings.smtp_url.get_secret_value()))
