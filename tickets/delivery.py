"""Drain the outbox through each platform's Notifier, with retries and backoff.

Standard library only: the outbox store (storage.outbox.SqlOutbox) and the Notifiers
(bot.<platform>.notifier) are handed in by the composition root (config.wiring).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Iterable

from tickets.ports import Clock, Delivery, Held, Notifier, RetryLater

log = logging.getLogger(__name__)
__all__ = ["Dispatcher", "Held", "OutboxStore", "RetryLater"]


class OutboxStore:  # the part of storage.outbox.SqlOutbox the dispatcher needs
    def lease(self, platform, now, *, limit=50, lease=timedelta(seconds=60), ticket_ids=None,
              dedup_prefix=None) -> list[Delivery]: ...
    def sent(self, ids, now) -> None: ...
    def failed(self, delivery_id, now, error, *, retry_at, count_attempt=True) -> None: ...
    def release(self, ids) -> None: ...


@dataclass
class Dispatcher:
    outbox: OutboxStore
    notifiers: dict[str, Notifier]
    clock: Clock
    max_attempts: int = 8
    base_backoff: float = 2.0
    max_backoff: float = 900.0
    lease_seconds: float = 60.0  # a batch leased by a process that died is delivered by another after this

    def backoff(self, attempts: int) -> timedelta:
        return timedelta(seconds=min(self.max_backoff, self.base_backoff * 2 ** max(0, attempts - 1)))

    def run_once(self, limit: int = 100, platforms: Iterable[str] | None = None,
                 dedup_prefix: str | None = None) -> int:
        """Deliver what is due now (only messages whose dedup key starts with `dedup_prefix`, when given);
        returns how many messages went out."""
        done = 0
        for platform in platforms or list(self.notifiers):
            notifier = self.notifiers.get(platform)
            if notifier is None:
                continue
            batch = self.outbox.lease(platform, self.clock.now(), limit=limit,
                                      lease=timedelta(seconds=self.lease_seconds), dedup_prefix=dedup_prefix)
            sent: list[int] = []
            for index, delivery in enumerate(batch):
                try:
                    notifier.deliver(delivery)
                except Held as held:  # the rest of the batch goes on
                    self.outbox.failed(delivery.id, self.clock.now(), f"held: {held}", retry_at=held.until,
                                       count_attempt=False)
                except RetryLater as slow:
                    retry_at = self.clock.now() + timedelta(seconds=slow.seconds)
                    self.outbox.failed(delivery.id, self.clock.now(), str(slow), retry_at=retry_at,
                                       count_attempt=False)
                    # the rest of this platform's batch waits for the next round
                    self.outbox.release([d.id for d in batch[index + 1:]])
                    break
                except Exception as exc:  # a failed delivery is retried, never lost
                    now = self.clock.now()
                    dead = delivery.attempts >= self.max_attempts
                    log.warning("delivery %s to %s failed (attempt %s): %s", delivery.id, delivery.target,
                                delivery.attempts, exc)
                    self.outbox.failed(delivery.id, now, f"{type(exc).__name__}: {exc}",
                                       retry_at=None if dead else now + self.backoff(delivery.attempts))
                else:
                    sent.append(delivery.id)
                    # mark as we go, so a crash re-sends at most the one in flight
                    self.outbox.sent([delivery.id], self.clock.now())
            done += len(sent)
        return done

    def drain(self, limit: int = 100, rounds: int = 100) -> int:
        """Deliver until nothing due is left (tests and the console use this)."""
        total = 0
        for _ in range(rounds):
            n = self.run_once(limit)
            total += n
            if n == 0:
                break
        return total
