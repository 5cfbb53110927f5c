"""Web requests through the inbox: stored first, then the worker is run inline until the request's own
entry is handled, so the person sees the ticket key at once. Another process (or the pump, after a
failure) may finish the entry instead; the result is then read back by the entry's key."""
from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass
from threading import Lock

from tickets.errors import TicketError
from tickets.intake import InboxWorker
from tickets.model import Ticket
from tickets.ports import Inbound

KEEP_RESULTS = 20_000


@dataclass
class Outcome:
    ticket: Ticket | None = None
    error: TicketError | None = None
    pending: bool = False  # not handled within the wait (the pump finishes it later)
    payload: dict | None = None  # the stored payload of an entry that was already there


class WebIntake:
    def __init__(self, container, worker: InboxWorker | None = None) -> None:
        from bot.web.actions import Actions
        from storage.inbox import SqlInbox
        from storage.uow import uow_factory
        from storage.web import WebStore

        self.container = container
        self.inbox = worker.inbox if worker is not None else SqlInbox(container.engine)
        self.worker = worker or InboxWorker(self.inbox, container.clock)
        self.store = WebStore(container.engine)
        self.actions = Actions(container, self.store)
        self.read = uow_factory(container.engine, container.clock, readonly=True)  # the read side
        self.results: OrderedDict[str, Outcome] = OrderedDict()
        self.lock = Lock()
        self.worker.register("web", self.handle)

    # -- the worker's side ------------------------------------------------------------
    def handle(self, entry):
        try:
            ticket, answers = self.actions.run(entry)
        except TicketError as exc:  # a refusal is an answer, not a failure to retry
            self._remember(entry.key, Outcome(error=exc))
            return []
        self._remember(entry.key, Outcome(ticket=ticket))
        return answers

    def _remember(self, key: str, outcome: Outcome) -> None:
        with self.lock:
            self.results[key] = outcome
            while len(self.results) > KEEP_RESULTS:
                self.results.popitem(last=False)

    def _result(self, key: str) -> Outcome | None:
        with self.lock:
            return self.results.get(key)

    # -- the request's side (runs in a worker thread) ---------------------------------
    def submit(self, item: Inbound, *, wait: float = 10.0) -> Outcome:
        """Store the request and see it handled. A duplicate key returns the first outcome, with the
        payload stored the first time (the caller compares bodies)."""
        fresh = self.inbox.put(item, self.container.clock.now())
        outcome = self.wait(item.key, wait)
        if not fresh:
            outcome.payload = self.store.inbox_payload(item.key)
        return outcome

    def wait(self, key: str, seconds: float) -> Outcome:
        deadline = time.monotonic() + seconds
        while True:
            found = self._result(key)
            if found is not None:
                return Outcome(found.ticket, found.error)
            if self.worker.run_once(limit=1) and time.monotonic() < deadline:
                continue  # handled one (ours, most often): look again
            if self.store.inbox_status(key) != "pending":  # handled elsewhere (another process, earlier)
                return Outcome(ticket=self._ticket(key, self.store.inbox_payload(key) or {}))
            if time.monotonic() >= deadline:
                return Outcome(pending=True)
            time.sleep(0.005)  # another worker holds our entry (or it waits for a retry): it is finishing it

    def _ticket(self, key: str, payload: dict) -> Ticket | None:
        """An entry another process handled: its ticket (opened under the entry's key, or named)."""
        from tickets.model import parse_key

        with self.read() as uow:
            if "ticket" not in payload:
                return uow.tickets.by_idempotency_key(key)
            return uow.tickets.get(*parse_key(payload["ticket"]))
