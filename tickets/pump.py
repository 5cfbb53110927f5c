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
import time
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
    """Runs `worker` (inbound requests) and `dispatcher` (outgoing messages) until stopped.

    Each has its own thread(s), so a slow delivery (a channel's posting pace, a platform's 429)
    never holds up the work of stored requests, and the other way round.
    """

    def __init__(self, dispatcher: Dispatcher, worker: InboxWorker | None = None, *, interval: float = 5.0,
                 platforms: Iterable[str] | None = None, threads: int = 1, name: str = "tiket-pump",
                 quiet: float = 0.03, max_quiet: float = 0.5) -> None:
        self.dispatcher = dispatcher
        self.worker = worker
        self.interval = interval
        self.platforms = list(platforms) if platforms is not None else None
        self.name = name
        self._threads = max(1, threads)
        # a burst of requests is acknowledged first: the worker starts once wake-ups pause for `quiet`
        # seconds (at most `max_quiet` after the first), so its writes do not delay the acknowledgements
        self.quiet, self.max_quiet = quiet, max_quiet
        self._work_wake = threading.Event()
        self._deliver_wake = threading.Event()
        self._stop = threading.Event()
        self._running: list[threading.Thread] = []

    def wake(self) -> None:
        self._work_wake.set()
        self._deliver_wake.set()

    def work_once(self) -> int:
        if self.worker is None:
            return 0
        try:
            return self.worker.run_once()
        except Exception:
            log.exception("inbox round failed")
            return 0

    def deliver_once(self) -> int:
        try:
            return self.dispatcher.run_once(platforms=self.platforms)
        except Exception:
            log.exception("delivery round failed")
            return 0

    def run_once(self) -> int:
        """One round in the caller's thread: handle due inbox entries, then deliver due messages."""
        return self.work_once() + self.deliver_once()

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
        """Start the loops (a second start while running is a no-op: parts of a process share one pump)."""
        if self._running:
            return self
        self._stop.clear()
        loops = [(f"{self.name}-deliver", self._deliver_wake, self.deliver_once, 0.0)]
        if self.worker is not None:
            loops += [(f"{self.name}-work-{i}", self._work_wake, self.work_once, self.quiet)
                      for i in range(self._threads)]
        for name, event, step, quiet in loops:
            thread = threading.Thread(target=self._loop, args=(event, step, quiet), name=name, daemon=True)
            thread.start()
            self._running.append(thread)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self.wake()
        for thread in self._running:
            thread.join(timeout=timeout)
        self._running = []

    def _loop(self, event: threading.Event, step: Callable[[], int], quiet: float) -> None:
        while not self._stop.is_set():
            woken = event.wait(self.interval)
            event.clear()
            if woken and quiet:
                deadline = time.monotonic() + self.max_quiet
                while event.wait(quiet) and time.monotonic() < deadline and not self._stop.is_set():
                    event.clear()  # more requests are coming in: let them be acknowledged first
            while not self._stop.is_set() and step():
                pass
