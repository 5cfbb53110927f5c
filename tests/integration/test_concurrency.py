"""Races on the real database: claims, ticket numbers and duplicate deliveries."""
from __future__ import annotations

import threading
from collections import Counter

from sqlalchemy import func, select

from storage.models import TicketRow
from tickets.errors import AlreadyClaimed
from tickets.teams import Actor

THREADS = 20


def race(worker, n=THREADS):
    """Start n threads at the same moment; collect what each returned or raised."""
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i):
        barrier.wait()
        try:
            results[i] = worker(i)
        except Exception as exc:  # collected and asserted on by the caller
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=120)
    assert not any(th.is_alive() for th in threads)
    return results


def agents(container, n):
    """n distinct IT agents (by role membership, so the teams file stays small)."""
    from dataclasses import replace

    team = container.directory.teams["IT"]
    names = frozenset(f"console:agent{i}" for i in range(n))
    container.service.directory.teams["IT"] = replace(team, agents=team.agents | names)
    return [Actor(f"console:agent{i}") for i in range(n)]


def test_twenty_concurrent_claims_one_winner(container):
    container.service.open(Actor("console:budi"), "IT", "Server down")
    people = agents(container, THREADS)
    results = race(lambda i: container.service.claim(people[i], "IT-1"))
    winners = [r for r in results if not isinstance(r, Exception)]
    losers = [r for r in results if isinstance(r, Exception)]
    assert len(winners) == 1, results
    assert all(isinstance(r, AlreadyClaimed) and r.key == "already_claimed" for r in losers), losers
    assert {r.params["assignee"] for r in losers} == {winners[0].assignee}
    assert container.queries.show(people[0], "IT-1").ticket.assignee == winners[0].assignee


def test_twenty_concurrent_creates_get_keys_one_to_twenty(container):
    results = race(lambda i: container.service.open(Actor(f"console:user{i}"), "IT", f"request {i}").ticket.key)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(results, key=lambda k: int(k.split("-")[1])) == [f"IT-{i}" for i in range(1, THREADS + 1)]
    with container.engine.connect() as conn:
        numbers = conn.execute(select(TicketRow.number).where(TicketRow.team == "IT")).scalars().all()
    assert sorted(numbers) == list(range(1, THREADS + 1))


def test_same_request_delivered_concurrently_makes_one_ticket(container):
    results = race(lambda i: container.service.open(Actor("console:budi"), "IT", "Printer",
                                                    idempotency_key="discord:message:42"), n=10)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert Counter(r.created for r in results) == Counter({True: 1, False: 9})
    assert {r.ticket.key for r in results} == {"IT-1"}
    with container.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(TicketRow)).scalar_one() == 1
