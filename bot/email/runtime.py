"""The mail process: fetch -> inbox -> handler -> move, then deliver mail; IDLE (or poll) in between.

`MailWorker.cycle()` is one round (tests call it with the test clock); `run_email` loops it
until stopped, and a failing round (server away, one broken mail) is logged and retried:
the loop never stops because of one mail.
"""
from __future__ import annotations

import logging
import threading

from bot.email.fetch import MailFetcher
from bot.email.handler import MailHandler
from tickets.intake import InboxWorker

log = logging.getLogger(__name__)


class MailWorker:
    def __init__(self, container) -> None:
        self.container = container
        settings = container.settings.email
        self.settings = settings
        self.store = container.email_store()
        self.inbox = container.inbox
        self.fetcher = MailFetcher(settings, self.inbox, self.store, container.clock)
        self.handler = MailHandler(container, self.store)
        self.worker = InboxWorker(self.inbox, container.clock, max_attempts=settings.max_failures)
        self.worker.register("email", self.handler)

    def cycle(self) -> dict[str, int]:
        """One round: new mail stored, stored mail handled, finished mail moved, mail delivered."""
        fetched = self.fetcher.sync()
        handled = self.worker.drain()
        if handled or self.inbox.counts("email").get("dead"):
            self.fetcher.sync()  # move what was just finished (or gave up on)
        sent = self.deliver()
        return {"fetched": fetched, "handled": handled, "sent": sent}

    def deliver(self) -> int:
        if "email" not in self.container.notifiers:
            return 0
        dispatcher = self.container.dispatcher()
        return dispatcher.run_once(platforms=["email"])

    def run(self, stop: threading.Event) -> None:
        pause = 1.0
        while not stop.is_set():
            try:
                self.cycle()
                pause = 1.0
                self.fetcher.wait(self.settings.poll_seconds)
            except Exception as exc:  # the server went away, a mail broke a round: try again
                log.warning("mail round failed: %s", exc)
                self.fetcher.close()
                stop.wait(pause)
                pause = min(pause * 2, max(1.0, self.settings.poll_seconds))
        self.fetcher.close()


def run_email(container) -> None:
    """`tiket run email`: the mail worker alone (blocks until interrupted)."""
    stop = threading.Event()
    try:
        MailWorker(container).run(stop)
    except KeyboardInterrupt:
        stop.set()


def start_email_background(container):
    """The mail worker in a thread next to the other processes; returns its stopper."""
    stop = threading.Event()
    worker = MailWorker(container)
    thread = threading.Thread(target=worker.run, args=(stop,), name="tiket-mail", daemon=True)
    thread.start()

    def stopper() -> None:
        stop.set()
        thread.join(timeout=max(5.0, worker.settings.poll_seconds + 5))
    return stopper
