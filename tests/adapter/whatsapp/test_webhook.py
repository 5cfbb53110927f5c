"""The webhook door: Meta's handshake, signatures, retries stored once, unreadable calls."""
from __future__ import annotations

import json

import httpx

from tests.adapter.whatsapp.conftest import VERIFY
from tests.adapter.whatsapp.meta import sign


def test_handshake_answers_the_challenge_only_with_the_verify_token(wa):
    url = wa.base + "/whatsapp/webhook"
    ok = httpx.get(url, params={"hub.mode": "subscribe", "hub.verify_token": VERIFY, "hub.challenge": "1158201444"})
    assert (ok.status_code, ok.text) == (200, "1158201444")
    for params in ({"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1"},
                   {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY, "hub.challenge": "1"},
                   {"hub.challenge": "1"}):
        assert httpx.get(url, params=params).status_code == 403


def test_a_forged_signature_is_refused_and_nothing_is_stored(wa):
    from tests.adapter.whatsapp.conftest import SECRET

    body = json.dumps(wa.meta.envelope({"messages": [{"from": "6281200000001", "id": "wamid.forged",
                                                      "timestamp": "1", "type": "text",
                                                      "text": {"body": "printer rusak"}}]})).encode()
    assert wa.meta.post(body, signature=sign("not-the-secret", body)).status_code == 401
    assert wa.meta.post(body, signature="").status_code == 401
    assert wa.meta.post(body, signature=sign(SECRET, body + b" ")).status_code == 401  # not over the raw body
    assert wa.meta.post(body, signature=sign(SECRET, body).replace("sha256=", "sha1=")).status_code == 401
    assert wa.parts.deps.inbox.counts("whatsapp") == {}
    wa.run()
    with wa.container.uow() as uow:
        assert uow.tickets.search() == []


def test_a_retried_delivery_is_stored_once_and_makes_one_ticket(wa):
    assert wa.meta.text("+6281200000001", "Printer lantai 3 rusak\nTidak bisa cetak sama sekali").status_code == 200
    assert wa.meta.retry().status_code == 200
    assert wa.meta.retry().status_code == 200
    assert wa.parts.deps.inbox.counts("whatsapp") == {"pending": 1}
    wa.meta.pick("+6281200000001", "team:IT", "IT Helpdesk")
    wa.meta.retry()
    wa.run()
    with wa.container.uow() as uow:
        tickets = uow.tickets.search()
    assert [t.key for t in tickets] == ["IT-1"]
    opened = [m for m in wa.graph.sent("+6281200000001") if "IT-1" in json.dumps(m)]
    assert len(opened) == 1


def test_unreadable_calls_get_a_clear_answer(wa):
    assert wa.meta.post(b"not json").status_code == 400
    assert wa.meta.post(b"[1, 2]").status_code == 400
    body = json.dumps({"object": "whatsapp_business_account", "entry": [{"changes": [
        {"field": "messages", "value": {"messages": [{"id": "x"}]}}]}]}).encode()  # no sender
    assert wa.meta.post(body).status_code == 400
    assert wa.parts.deps.inbox.counts("whatsapp") == {}
    other = json.dumps(wa.meta.envelope({})).encode()  # nothing for us in it: acknowledged
    assert wa.meta.post(other).status_code == 200


def test_a_burst_with_retries_among_it_is_stored_once_per_message(wa):
    """Concurrent calls are committed together; Meta's retries inside the same burst still count once."""
    from concurrent.futures import ThreadPoolExecutor

    bodies = []
    for n in range(8):
        wa.meta.text(f"+62812000000{n:02d}", f"pesan {n}")
        bodies.append(wa.meta.last_body)
    burst = bodies * 3  # each message three times, all at once
    with ThreadPoolExecutor(12) as pool:
        answers = list(pool.map(lambda body: wa.meta.post(body).status_code, burst))
    assert answers == [200] * len(burst)
    assert wa.parts.deps.inbox.counts("whatsapp") == {"pending": 8}


def test_put_many_marks_only_the_first_of_a_key_as_new(engine, clock):
    from storage.inbox_batch import InboxBatch
    from tickets.ports import Inbound

    batch = InboxBatch(engine)
    item = lambda key: Inbound(key=key, platform="whatsapp", kind="message")  # noqa: E731
    assert batch.put_many([item("whatsapp:a"), item("whatsapp:b"), item("whatsapp:a")], clock.now()) == [
        True, True, False]
    assert batch.put_many([item("whatsapp:b"), item("whatsapp:c")], clock.now()) == [False, True]
    assert batch.put_many([], clock.now()) == []
