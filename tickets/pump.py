"""The one pump: a background loop that runs the inbox worker and the outbox dispatcher.

Every process that delivers (Slack web, Discord, the scheduler, the console) runs one.
It is woken right after each commit that wrote work for it (an inbox entry stored, a
ticket change that queued messages: `Wakeup` is the unit of work's and the inbox's
after-commit hook) and otherwise polls every `interval` seconds, so work another
replica or a dead process left behind is picked up too.
"""
from __future__ import annotations

import logging
import threading
from typing import Callable, Iterable

from tickets.delivery import Dispatcher
from tickets.intake import InboxWorker

log = logging.getLogger(__name__)


class Wakeup:
    """An after-commit signal: callables subscribed here run after each commit (cheap, never raising)."""

    def __init__(self) -> None:
        self._listeners: list[Callable[[], None]] = []

    def subscribe(self, listener: Callable[[], None]) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def __call__(self) -> None:
        for listener in list(self._listeners):
            try:
                listener()
            except Exception:  # a wake-up is a hint; the pump's poll covers a lost one
                log.exception("after-commit listener failed")


class Pump:
    """Runs `worker` (inbound requests) and `dispatcher` (outgoing messages) until stopped."""

    def __init__(self, dispatcher: Dispatcher, worker: InboxWorker | None = None, *, interval: float = 5.0,
                 platforms: Iterable[str] | None = None, threads: int = 1, name: str = "tiket-pump") -> None:
        self.dispatcher = dispatcher
        self.worker = worker
        self.interval = interval
        self.platforms = list(platforms) if platforms is not None else None
        self.name = name
        self._threads = max(1, threads)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._running: list[threading.Thread] = []

    def wake(self) -> None:
        self._wake.set()

    def run_once(self) -> int:
        """One round: handle due inbox entries, then deliver due messages; how much was done."""
        done = 0
        if self.worker is not None:
            try:
                done += self.worker.run_once()
            except Exception:
                log.exception("inbox round failed")
        try:
            done += self.dispatcher.run_once(platforms=self.platforms)
        except Exception:
            log.exception("delivery round failed")
        return done

    def drain(self, rounds: int = 100) -> int:
        """Work until nothing due is left (tests and the console call this in the foreground)."""
        total = 0
        for _ in range(rounds):
            n = self.run_once()
            total += n
            if n == 0:
                break
        return total

    def start(self) -> "Pump":
        """Start the loop (a second start while running is a no-op: parts of a process share one pump)."""
        if self._running:
            return self
        self._stop.clear()
        for i in range(self._threads):
            thread = threading.Thread(target=self._loop, name=f"{self.name}-{i}", daemon=True)
            thread.start()
            self._running.append(thread)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        for thread in self._running:
            thread.join(timeout=timeout)
        self._running = []

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.interval)
            self._wake.clear()
            while not self._stop.is_set() and self.run_once():
                pass
