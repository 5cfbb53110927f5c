"""The outbox and its dispatcher: nothing lost, nothing sent twice, failures retried then parked."""
from __future__ import annotations

from datetime import timedelta

from tickets.delivery import Dispatcher
from tickets.ports import RetryLater
from tickets.teams import Actor

BUDI, ANDI = Actor("console:budi"), Actor("console:andi")


class Recorder:
    """A Notifier that records deliveries and fails on demand."""

    platform = "console"

    def __init__(self, fail: int = 0, slow: float | None = None):
        self.sent: list[tuple[str, str]] = []
        self.fail = fail
        self.slow = slow

    def deliver(self, delivery):
        if self.slow is not None:
            seconds, self.slow = self.slow, None
            raise RetryLater(seconds)
        if self.fail:
            self.fail -= 1
            raise ConnectionError("platform unreachable")
        self.sent.append((delivery.target, delivery.template))


def make(container, notifier, **kw):
    return Dispatcher(container.outbox, {"console": notifier}, container.clock, **kw)


def test_every_message_goes_out_once_in_order(container):
    container.service.open(BUDI, "IT", "Printer")
    container.service.claim(ANDI, "IT-1")
    rec = Recorder()
    d = make(container, rec)
    assert d.drain() == 5
    assert rec.sent == [("card:IT-1", "card"), ("thread:IT-1", "thread_opened"), ("card:IT-1", "card"),
                        ("thread:IT-1", "claimed"), ("user:console:budi", "claimed")]
    assert d.drain() == 0 and len(rec.sent) == 5


def test_failures_are_retried_with_backoff_then_parked_as_dead(container, clock):
    container.service.open(BUDI, "IT", "Printer")
    rec = Recorder(fail=100)
    d = make(container, rec, max_attempts=3, base_backoff=10)
    assert d.run_once() == 0
    rows = {r.template: r for r in container.outbox.rows()}
    assert rows["card"].attempts == 1 and rows["card"].status == "pending"
    assert rows["card"].next_attempt_at == clock.now() + timedelta(seconds=10)
    assert d.run_once() == 0  # not due yet: nothing is tried
    assert {r.attempts for r in container.outbox.rows()} == {1}
    clock.advance(seconds=10)
    d.run_once()
    clock.advance(seconds=20)
    d.run_once()
    assert {r.status for r in container.outbox.rows()} == {"dead"}
    assert all("platform unreachable" in r.last_error for r in container.outbox.rows())
    # an operator puts them back (tiket outbox retry); the platform is back
    rec.fail = 0
    assert container.outbox.retry(None, clock.now()) == 2
    assert d.drain() == 2 and [t for _, t in rec.sent] == ["card", "thread_opened"]


def test_rate_limit_waits_retry_after_without_spending_an_attempt(container, clock):
    container.service.open(BUDI, "IT", "Printer")
    rec = Recorder(slow=30)
    d = make(container, rec)
    assert d.run_once() == 0
    assert all(r.attempts == 0 for r in container.outbox.rows())
    assert d.run_once() == 1  # the second message was released, not held by the lease
    clock.advance(seconds=30)
    assert d.run_once() == 1
    assert sorted(t for _, t in rec.sent) == ["card", "thread_opened"]


def test_a_deliverer_that_dies_mid_batch_loses_nothing(container, clock):
    container.service.open(BUDI, "IT", "Printer")
    leased = container.outbox.lease("console", clock.now())  # ... and then the process is killed
    assert len(leased) == 2
    rec = Recorder()
    d = make(container, rec)
    assert d.run_once() == 0  # still leased by the dead process
    clock.advance(seconds=61)
    assert d.run_once() == 2
    assert len(rec.sent) == 2


def test_two_deliverers_never_take_the_same_message(container, clock):
    for i in range(10):
        container.service.open(Actor(f"console:u{i}"), "IT", f"t{i}")
    first = container.outbox.lease("console", clock.now(), limit=12)
    second = container.outbox.lease("console", clock.now(), limit=100)
    assert len(first) == 12 and len(second) == 8
    assert not {d.id for d in first} & {d.id for d in second}
