"""The 24-hour window: agent replies inside it go out as they are; outside it the template goes
out (once per ticket) and the rest waits in the outbox until the person writes. Rate limits."""
from __future__ import annotations

from tickets.teams import Actor

BUDI = "+6281234567890"
ANDI = Actor("console:andi")


def opened(wa):
    wa.meta.text(BUDI, "Printer rusak")
    wa.meta.pick(BUDI, "team:IT")
    wa.run()
    return wa.container.service


def test_an_agent_reply_inside_the_window_goes_out_as_it_is(wa, clock):
    s = opened(wa)
    clock.advance(hours=23, minutes=50)
    s.comment(ANDI, "IT-1", "Sudah saya perbaiki, silakan dicoba")
    wa.run()
    last = wa.graph.sent(BUDI)[-1]
    assert last["type"] == "text" and last["text"]["body"].endswith("Sudah saya perbaiki, silakan dicoba")
    assert wa.graph.sent(BUDI, type="template") == []


def test_outside_the_window_the_template_goes_out_and_the_rest_waits_for_the_person(wa, clock):
    s = opened(wa)
    before = len(wa.graph.sent(BUDI))
    clock.advance(hours=30)
    s.claim(ANDI, "IT-1")
    s.comment(ANDI, "IT-1", "Bisa saya datang jam 3?")
    s.comment(ANDI, "IT-1", "Atau besok pagi?")
    wa.run()
    new = wa.texts(BUDI)[before:]
    assert new == ["template:tiket_update:IT-1|sedang ditangani"]  # one template for the ticket
    held = [r for r in wa.outbox("whatsapp") if r.status == "pending"]
    assert len(held) == 3 and all((r.last_error or "").startswith("held") for r in held)
    assert all(r.attempts == 0 for r in held)  # waiting costs no attempt
    clock.advance(hours=5)
    wa.run()
    assert len(wa.graph.sent(BUDI)) == before + 1  # still waiting, no second template
    wa.meta.text(BUDI, "Jam 3 bisa")  # they answer: the window opens, the held messages go out in order
    wa.run()
    after = wa.texts(BUDI)[before + 1:]
    assert [x for x in after if "IT-1" in x][:3] == [after[0], after[1], after[2]]
    assert "andi" in after[0] and "Bisa saya datang jam 3?" in after[1] and "Atau besok pagi?" in after[2]
    assert [r for r in wa.outbox("whatsapp") if r.status == "pending"] == []
    assert wa.comments("IT-1")[-1].body == "Jam 3 bisa"


def test_meta_refusing_a_free_form_message_falls_back_to_the_template(wa, clock):
    """Our record says the window is open but Meta disagrees (131047): the template goes, the message waits."""
    s = opened(wa)
    wa.graph.last_inbound.clear()
    wa.expect_refusals = True
    s.comment(ANDI, "IT-1", "Halo?")
    wa.run()
    assert [c.answer["error"]["code"] for c in wa.graph.refused()] == [131047]
    assert wa.texts(BUDI)[-1] == "template:tiket_update:IT-1|ada balasan baru"
    assert wa.outbox("whatsapp", template="comment_added")[0].status == "pending"


def test_429_and_the_per_number_limit_make_messages_wait_not_fail(wa, clock):
    s = opened(wa)
    before = len(wa.graph.sent(BUDI))
    wa.graph.throttle(1)
    s.comment(ANDI, "IT-1", "satu")
    wa.run()
    assert len(wa.graph.sent(BUDI)) == before  # Meta said slow down: nothing lost, nothing dead
    [row] = wa.outbox("whatsapp", template="comment_added")
    assert (row.status, row.attempts) == ("pending", 0)
    clock.advance(seconds=61)
    wa.run()
    assert wa.texts(BUDI)[-1].endswith("satu")
    for n in range(12):
        s.comment(ANDI, "IT-1", f"pesan {n}")
    wa.run()
    sent = len(wa.graph.sent(BUDI)) - before - 1
    assert sent < 12  # the pair limit holds the burst back ...
    for _ in range(12):
        clock.advance(seconds=10)
        wa.run()
    bodies = wa.texts(BUDI)
    assert [b.rsplit(": ", 1)[-1] for b in bodies[-12:]] == [f"pesan {n}" for n in range(12)]  # ... in order
    assert [r for r in wa.outbox("whatsapp") if r.status != "sent"] == []
