"""The inbox worker: turns stored inbound requests into work, once, with retries.

Adapters store each platform request as an `Inbound` before acknowledging it; the worker
leases due entries and hands each to the handler registered for its platform and kind
(the adapter's translation: payload -> command -> service). A handler returns the
answers to send (`Outgoing`, delivered through the outbox); they are queued in the same
transaction that marks the entry done, so an answer goes out once even when a process
dies halfway and another one finishes the entry after its lease runs out.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Callable, Iterable

from tickets.logcontext import bound
from tickets.ports import Clock, Inbox, InboxEntry, Outgoing

log = logging.getLogger(__name__)

Handler = Callable[[InboxEntry], Iterable[Outgoing] | None]


def answer_key(entry: InboxEntry, index: int = 0) -> str:
    """The outbox dedup key of an entry's answer: the same entry never answers twice."""
    return f"inbox:{entry.key}:{index}"


@dataclass
class InboxWorker:
    inbox: Inbox
    clock: Clock
    handlers: dict[str, Handler] = field(default_factory=dict)  # "platform:kind" or "platform"
    max_attempts: int = 5
    base_backoff: float = 2.0
    max_backoff: float = 600.0
    lease_seconds: float = 60.0

    def register(self, platform: str, handler: Handler, kind: str | None = None) -> None:
        self.handlers[f"{platform}:{kind}" if kind else platform] = handler

    @property
    def platforms(self) -> list[str]:
        return sorted({name.split(":", 1)[0] for name in self.handlers})

    def handler_for(self, entry: InboxEntry) -> Handler | None:
        return self.handlers.get(f"{entry.platform}:{entry.kind}") or self.handlers.get(entry.platform)

    def backoff(self, attempts: int) -> timedelta:
        return timedelta(seconds=min(self.max_backoff, self.base_backoff * 2 ** max(0, attempts - 1)))

    def run_once(self, limit: int = 20, *, key: str | None = None) -> int:
        """Handle what is due now (only the entry `key`, when given); returns how many entries were handled."""
        if not self.handlers:
            return 0
        batch = self.inbox.lease(self.clock.now(), platforms=self.platforms, limit=limit,
                                 seconds=self.lease_seconds, **({"key": key} if key is not None else {}))
        handled = 0
        for entry in batch:
            handler = self.handler_for(entry)
            try:
                if handler is None:
                    raise LookupError(f"no handler for {entry.platform}:{entry.kind}")
                with bound(request_id=entry.key, platform=entry.platform):
                    answers = list(handler(entry) or ())
            except Exception as exc:  # retried with backoff, never lost
                now = self.clock.now()
                dead = entry.attempts >= self.max_attempts
                log.warning("inbox %s (%s) failed, attempt %s: %s", entry.id, entry.key, entry.attempts, exc)
                self.inbox.failed(entry.id, now, f"{type(exc).__name__}: {exc}",
                                  retry_at=None if dead else now + self.backoff(entry.attempts))
                continue
            for index, answer in enumerate(answers):
                answer.dedup_key = answer.dedup_key or answer_key(entry, index)
            self.inbox.done(entry.id, self.clock.now(), answers=answers)
            handled += 1
        return handled

    def drain(self, limit: int = 20, rounds: int = 100) -> int:
        """Handle until nothing due is left (tests and the console use this)."""
        total = 0
        for _ in range(rounds):
            n = self.run_once(limit)
            total += n
            if n == 0:
                break
        return total
