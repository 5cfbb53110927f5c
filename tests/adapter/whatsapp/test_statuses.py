"""Delivery statuses from the webhook are recorded on the outbox delivery; a failure shows in the thread."""
from __future__ import annotations

from tickets.teams import Actor

BUDI = "+6281234567890"


def test_sent_delivered_read_are_recorded_once_and_never_go_back(wa):
    wa.meta.text(BUDI, "Printer rusak")
    wa.meta.pick(BUDI, "team:IT")
    wa.run()
    confirmation = wa.graph.sent(BUDI)[-1]["wamid"]
    [record] = wa.store.messages()[-1:]
    assert record.wamid == confirmation and record.status == "accepted"
    outbox = wa.outbox("whatsapp", template="wa_opened")[0]
    assert record.outbox_id == outbox.id
    for status in ("sent", "read"):
        assert wa.meta.status(confirmation, status, BUDI).status_code == 200
    assert wa.meta.retry().status_code == 200  # Meta retries the "read" callback: stored once
    wa.meta.status(confirmation, "delivered", BUDI)  # late, out of order
    wa.run()
    assert wa.parts.deps.inbox.counts("whatsapp")["done"] == 2 + 3
    assert [m.status for m in wa.store.messages(outbox.id)] == ["read"]


def test_a_failed_delivery_shows_in_the_tickets_thread_with_its_reason(wa):
    wa.meta.text(BUDI, "Printer rusak")
    wa.meta.pick(BUDI, "team:IT")
    wa.run()
    wa.container.service.comment(Actor("console:andi"), "IT-1", "Sudah dicek")
    wa.run()
    wamid = wa.graph.sent(BUDI)[-1]["wamid"]
    wa.meta.status(wamid, "failed", BUDI, errors=[{
        "code": 131026, "title": "Message undeliverable",
        "error_data": {"details": "Recipient is not a valid WhatsApp user"}}])
    wa.run()
    [note] = wa.outbox("console", template="wa_delivery_failed")
    assert note.target == "thread:IT-1"
    assert note.params["error"] == "131026 Message undeliverable: Recipient is not a valid WhatsApp user"
    [delivery] = wa.outbox("whatsapp", template="comment_added")
    assert "131026" in delivery.last_error
    assert [m.status for m in wa.store.messages(delivery.id)] == ["failed"]


def test_a_status_for_a_message_tiket_did_not_send_is_dropped_after_a_few_tries(wa, clock):
    wa.meta.status("wamid.not-ours", "delivered", BUDI)
    for _ in range(4):
        wa.run()
        clock.advance(minutes=5)
    assert wa.parts.deps.inbox.counts("whatsapp") == {"done": 1}
