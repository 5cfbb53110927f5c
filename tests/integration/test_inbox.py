"""The inbox on each backend: stored once per key, leased by one worker at a time, a dead
worker's entries come back, answers are queued once with the entry's completion."""
from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.inbox import SqlInbox
from storage.models import OutboxRow
from tickets.intake import InboxWorker
from tickets.ports import Inbound, Outgoing


def item(n: int, platform: str = "slack") -> Inbound:
    return Inbound(key=f"{platform}:cmd:{n}", platform=platform, kind="command",
                   payload={"text": f"new IT request {n}"}, reply={"response_url": f"https://hooks/{n}"})


def outbox_rows(engine) -> list[OutboxRow]:
    with Session(engine) as session:
        return list(session.scalars(select(OutboxRow).order_by(OutboxRow.id)))


def test_put_stores_each_key_once(engine, clock):
    inbox = SqlInbox(engine)
    assert inbox.put(item(1), clock.now()) is True
    assert inbox.put(item(1), clock.now()) is False  # the platform's retry
    assert inbox.put(item(2), clock.now()) is True
    assert inbox.counts() == {"pending": 2}


def test_worker_hands_entries_to_their_handler_and_queues_answers_once(engine, clock):
    inbox, seen = SqlInbox(engine), []
    for n in (1, 2):
        inbox.put(item(n), clock.now())
    inbox.put(item(3, "email"), clock.now())  # no handler in this process: left for the mail worker

    def handle(entry):
        seen.append((entry.key, entry.payload["text"], entry.reply["response_url"]))
        return [Outgoing("slack", f"response:{entry.key}", "reply.text", {"text": "ok"})]

    worker = InboxWorker(inbox, clock)
    worker.register("slack", handle, kind="command")
    assert worker.drain() == 2
    assert [s[0] for s in seen] == ["slack:cmd:1", "slack:cmd:2"]
    assert inbox.status("slack:cmd:1") == "done" and inbox.status("email:cmd:3") == "pending"
    rows = outbox_rows(engine)
    assert [(r.target, r.dedup_key) for r in rows] == [("response:slack:cmd:1", "inbox:slack:cmd:1:0"),
                                                       ("response:slack:cmd:2", "inbox:slack:cmd:2:0")]
    assert worker.drain() == 0


def test_a_dead_workers_lease_runs_out_and_another_finishes_once(engine, clock):
    inbox = SqlInbox(engine)
    inbox.put(item(1), clock.now())
    taken = inbox.lease(clock.now(), platforms=["slack"], seconds=60)  # this worker then dies
    assert len(taken) == 1
    assert inbox.lease(clock.now(), platforms=["slack"]) == []  # hidden while leased
    clock.advance(seconds=61)
    answers = [Outgoing("slack", "response:x", "reply.text", {"text": "ok"}, dedup_key="inbox:slack:cmd:1:0")]
    again = inbox.lease(clock.now(), platforms=["slack"])
    assert [e.key for e in again] == ["slack:cmd:1"] and again[0].attempts == 2
    inbox.done(again[0].id, clock.now(), answers=answers)
    inbox.done(taken[0].id, clock.now(), answers=answers)  # the first worker wakes up late: no second answer
    assert len(outbox_rows(engine)) == 1


def test_failures_back_off_then_the_entry_is_dead_and_can_be_retried(engine, clock):
    inbox = SqlInbox(engine)
    inbox.put(item(1), clock.now())
    calls = []

    def broken(entry):
        calls.append(entry.attempts)
        raise RuntimeError("platform down")

    worker = InboxWorker(inbox, clock, max_attempts=3, base_backoff=10)
    worker.register("slack", broken)
    assert worker.run_once() == 0 and calls == [1]
    assert worker.run_once() == 0 and calls == [1]  # backing off
    for _ in range(2):
        clock.advance(seconds=3600)
        worker.run_once()
    assert calls == [1, 2, 3] and inbox.status("slack:cmd:1") == "dead"
    assert "platform down" in inbox.rows(status="dead")[0].last_error
    assert inbox.retry(None, clock.now()) == 1 and inbox.status("slack:cmd:1") == "pending"


def test_concurrent_workers_never_take_the_same_entry(engine, clock):
    inbox = SqlInbox(engine)
    for n in range(60):
        inbox.put(item(n), clock.now())
    taken: list[str] = []
    lock = threading.Lock()

    def work():
        while True:
            batch = inbox.lease(clock.now(), platforms=["slack"], limit=5)
            if not batch:
                return
            with lock:
                taken.extend(e.key for e in batch)
            for entry in batch:
                inbox.done(entry.id, clock.now())

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(taken) == sorted(f"slack:cmd:{n}" for n in range(60))
    assert inbox.counts() == {"done": 60}


def test_one_batch_stores_each_request_once_even_twice_in_the_same_batch(engine, clock):
    from storage.inbox import SqlInbox
    from tickets.ports import Inbound

    inbox = SqlInbox(engine)
    now = clock.now()
    first = [(Inbound(key="slack:cmd:a", platform="slack", kind="command"), now),
             (Inbound(key="slack:cmd:b", platform="slack", kind="command"), now),
             (Inbound(key="slack:cmd:a", platform="slack", kind="command"), now)]  # a retry, same batch
    assert inbox._put_batch(first) == [True, True, False]
    assert inbox._put_batch([(Inbound(key="slack:cmd:b", platform="slack", kind="command"), now)]) == [False]
    assert inbox.counts("slack") == {"pending": 2}
