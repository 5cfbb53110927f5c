"""A person on WhatsApp: first message and team choice, follow-ups, several open tickets, rating."""
from __future__ import annotations

from tickets.teams import Actor

BUDI = "+6281234567890"
AMY = "+6591112222"
ANDI, DEWI = Actor("console:andi"), Actor("console:dewi")


def test_first_message_asks_for_the_team_then_opens_the_ticket(wa):
    assert wa.meta.text(BUDI, "Printer lantai 3 rusak\nSudah saya coba nyalakan ulang, tetap tidak bisa.",
                        name="Budi Santoso").status_code == 200
    wa.run()
    assert wa.texts(BUDI) == ["Permintaan Anda untuk tim mana? Pilih dari daftar."]
    assert wa.rows(BUDI) == ["team:IT", "team:HR"]
    with wa.container.uow() as uow:
        assert uow.tickets.search() == []  # nothing until a team is chosen
    wa.meta.pick(BUDI, "team:IT", "IT Helpdesk")
    wa.run()
    ticket = wa.ticket("IT-1")
    assert (ticket.requester, ticket.reporter, ticket.source) == (f"whatsapp:{BUDI}",) * 2 + ("whatsapp",)
    assert ticket.title == "Printer lantai 3 rusak"
    assert ticket.description.startswith("Printer lantai 3 rusak\nSudah saya coba nyalakan ulang")
    assert "Budi Santoso (+6281234567890)" in ticket.description
    said = wa.texts(BUDI)[-1]
    assert "IT-1" in said and said.startswith("Terima kasih!") and "baru" in said
    # the team sees it in its own channel (console here)
    assert wa.outbox("console", target="thread:IT-1", template="thread_opened")


def test_english_writers_get_english_and_a_single_team_opens_at_once(db_url, engine, clock, graph, directory):
    from tests.adapter.whatsapp.conftest import build_served, whatsapp_settings
    from dataclasses import replace

    only_it = replace(directory, teams={k: replace(t, whatsapp=(k == "IT")) for k, t in directory.teams.items()})
    wa, stop = build_served(whatsapp_settings(db_url, graph), engine, clock, only_it, graph)
    try:
        wa.meta.text(AMY, "Hello, my laptop does not start. Can you help?", name="Amy")
        wa.run()
        assert wa.ticket("IT-1").title == "Hello, my laptop does not start. Can you help?"
        [said] = wa.texts(AMY)
        assert said.startswith("Thank you! Your request is IT-1") and '"new"' in said
    finally:
        stop()
    assert graph.violations == []


def test_english_writer_gets_the_team_list_in_english(wa):
    wa.meta.text(AMY, "Hi, I need help with my password please", name="Amy")
    wa.run()
    assert wa.texts(AMY) == ["Which team is your request for? Choose one from the list."]
    list_msg = wa.graph.sent(AMY, type="interactive")[0]["interactive"]
    assert list_msg["action"]["button"] == "Choose a team"


def test_follow_ups_are_public_replies_and_agents_answers_come_back(wa):
    wa.meta.text(BUDI, "Printer rusak")
    wa.meta.pick(BUDI, "team:IT")
    wa.run()
    wa.meta.text(BUDI, "Modelnya HP LaserJet 400")
    wa.run()
    assert [(c.author, c.body, c.internal) for c in wa.comments("IT-1")] == [
        (f"whatsapp:{BUDI}", "Modelnya HP LaserJet 400", False)]
    s = wa.container.service
    s.claim(ANDI, "IT-1")
    s.note(ANDI, "IT-1", "internal: toner supplier is slow")
    s.comment(ANDI, "IT-1", "Saya cek ke lantai 3 jam 2 siang")
    s.wait(ANDI, "IT-1", "Apakah lampu merah menyala?")
    wa.run()
    seen = wa.texts(BUDI)
    assert any("IT-1" in x and "andi" in x for x in seen)  # claimed
    assert any("Saya cek ke lantai 3 jam 2 siang" in x for x in seen)
    assert any("Apakah lampu merah menyala?" in x for x in seen)
    assert not any("toner" in x for x in seen)  # internal notes never
    wa.meta.text(BUDI, "Ya, lampu merah menyala")
    wa.run()
    assert wa.ticket("IT-1").status.value == "in_progress"  # answered: no longer waiting on them


def test_resolve_asks_for_a_rating_and_a_later_message_reopens(wa):
    wa.meta.text(BUDI, "Printer rusak")
    wa.meta.pick(BUDI, "team:IT")
    wa.run()
    s = wa.container.service
    s.claim(ANDI, "IT-1")
    s.resolve(ANDI, "IT-1", "Toner diganti")
    wa.run()
    assert wa.rows(BUDI) == [f"rate:IT-1:{n}" for n in (5, 4, 3, 2, 1)]
    wa.meta.pick(BUDI, "rate:IT-1:4", "⭐⭐⭐⭐ 4")
    wa.run()
    assert wa.texts(BUDI)[-1] == "Terima kasih atas penilaian Anda untuk IT-1: 4/5."
    with wa.container.uow() as uow:
        assert uow.has_rating(wa.ticket("IT-1").id, 1)
    wa.meta.pick(BUDI, "rate:IT-1:1")  # rated already: a clear answer, nothing changes
    wa.run()
    assert "IT-1" in wa.texts(BUDI)[-1]
    wa.meta.text(BUDI, "Printer mati lagi")
    wa.run()
    assert wa.ticket("IT-1").status.value == "in_progress"
    assert wa.comments("IT-1")[-1].body == "Printer mati lagi"
    assert wa.texts(BUDI)[-1].startswith("IT-1 dibuka kembali")


def test_several_open_tickets_ask_which_one_and_new_starts_another(wa):
    wa.meta.text(BUDI, "Printer rusak")
    wa.meta.pick(BUDI, "team:IT")
    wa.run()
    wa.meta.text(BUDI, "baru")
    wa.run()
    assert wa.texts(BUDI)[-1] == "Silakan tulis permintaan baru Anda."
    wa.meta.text(BUDI, "Saya mau ajukan cuti")
    wa.run()
    assert wa.rows(BUDI) == ["team:IT", "team:HR"]
    wa.meta.pick(BUDI, "team:HR")
    wa.run()
    assert wa.ticket("HR-1").title == "Saya mau ajukan cuti"
    wa.meta.text(BUDI, "Tanggal 3 sampai 5 Desember")
    wa.run()
    assert wa.rows(BUDI) == ["ticket:IT-1", "ticket:HR-1"]
    assert "2 permintaan" in wa.texts(BUDI)[-1]
    assert wa.comments("HR-1") == []
    wa.meta.pick(BUDI, "ticket:HR-1", "HR-1")
    wa.run()
    assert [c.body for c in wa.comments("HR-1")] == ["Tanggal 3 sampai 5 Desember"]
    wa.meta.text(BUDI, "new keyboard juga rusak")  # "new" with the request in the same message
    wa.run()
    wa.meta.pick(BUDI, "team:IT")
    wa.run()
    assert wa.ticket("IT-2").title == "keyboard juga rusak"


def test_more_than_ten_choices_are_paged(wa):
    s = wa.container.service
    for n in range(12):
        s.open(Actor(f"whatsapp:{BUDI}"), "IT", f"ticket {n}", requester=f"whatsapp:{BUDI}", source="whatsapp")
    wa.meta.text(BUDI, "yang mana?")
    wa.run()
    rows = wa.rows(BUDI)
    assert len(rows) == 10 and rows[-1] == "more:9"
    wa.meta.pick(BUDI, "more:9")
    wa.run()
    assert wa.rows(BUDI) == ["ticket:IT-10", "ticket:IT-11", "ticket:IT-12"]
    wa.meta.pick(BUDI, "ticket:IT-11")
    wa.run()
    assert [c.body for c in wa.comments("IT-11")] == ["yang mana?"]


def test_unsupported_messages_get_a_polite_note(wa):
    wa.meta.message(BUDI, {"type": "contacts", "contacts": [{"name": {"formatted_name": "Sari"}}]})
    wa.meta.message(BUDI, {"type": "reaction", "reaction": {"message_id": "wamid.x", "emoji": "👍"}})
    wa.run()
    assert wa.texts(BUDI) == ["Maaf, jenis pesan ini tidak bisa disimpan. Silakan kirim teks, foto, dokumen, "
                              "pesan suara atau lokasi."]


def test_confidential_teams_stay_out_of_public_channels(wa):
    wa.meta.text(BUDI, "Gaji saya belum masuk")
    wa.meta.pick(BUDI, "team:HR")
    wa.run()
    ticket = wa.ticket("HR-1")
    rows = [r for r in wa.outbox() if r.ticket_id == ticket.id]
    assert rows
    for row in rows:
        assert row.target in ("card:HR-1", "thread:HR-1", f"user:whatsapp:{BUDI}"), row.target
    assert all(r.params.get("confidential") for r in rows if r.target == "thread:HR-1")


def test_closed_and_reopened_updates_reach_the_person_in_their_language(wa):
    wa.meta.text(BUDI, "Hello, my monitor is flickering", name="Amy")
    wa.meta.pick(BUDI, "team:IT")
    wa.run()
    s = wa.container.service
    s.claim(ANDI, "IT-1")
    s.close(ANDI, "IT-1", "Replaced the cable")
    wa.run()
    said = wa.texts(BUDI)
    assert said[1].startswith("Thank you! Your request is IT-1")
    assert any(x.startswith("IT-1 was claimed by andi") for x in said)
    assert any(x.startswith("IT-1 was closed by andi") and "Replaced the cable" in x for x in said)
    wa.meta.text(BUDI, "It flickers again")  # closed: not in play any more, so a new request
    wa.run()
    assert wa.rows(BUDI) == ["team:IT", "team:HR"]
