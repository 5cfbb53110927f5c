"""The workflow commands through the command table and the shared runner (the console's path),
in English and Indonesian, with refusals and the confidentiality of move and merge."""
from __future__ import annotations

import pytest

from tests.integration.workflow_helpers import (ADMIN, ANDI, ANI, BUDI, DEWI, JOKO, MIRA, SARI,
                                                workflow_container)


@pytest.fixture
def wf(settings, engine, clock):
    return workflow_container(settings, engine, clock)


def say(wf, actor, text, lang):
    return wf.runner().run(actor, text, lang=lang)


@pytest.mark.parametrize("lang, words", [
    ("en", {"move": "move", "merge": "merge", "tag": "tag", "category": "category", "list": "list tag",
            "macro": "macro"}),
    ("id", {"move": "pindah", "merge": "gabung", "tag": "label", "category": "kategori", "list": "daftar label",
            "macro": "makro"}),
])
def test_move_merge_tag_category_macro_in_both_languages(wf, lang, words):
    s = wf.service
    s.open(BUDI, "IT", "chairs for the new team")
    s.open(ANI, "IT", "printer jam floor 3")
    s.open(BUDI, "IT", "printer floor 3 jammed again")
    moved = say(wf, ANDI, f"{words['move']} IT-1 LOG chairs are logistics", lang)
    assert moved.ok and moved.ticket.key == "LOG-1"
    assert ("Dipindahkan" if lang == "id" else "Moved") in moved.text
    assert say(wf, BUDI, "show IT-1", lang).ticket.key == "LOG-1"  # the old key still answers
    merged = say(wf, ANDI, f"{words['merge']} IT-3 IT-2", lang)
    assert merged.ok and merged.ticket.key == "IT-2"
    assert say(wf, ANDI, f"{words['tag']} IT-2 +printer +lantai3", lang).ok
    listed = say(wf, ANDI, f"{words['list']} printer", lang)
    assert [t.key for t in listed.tickets] == ["IT-2"]
    assert say(wf, ANDI, f"{words['category']} IT-2 hardware", lang).ticket.category == "hardware"
    assert say(wf, ANDI, f"{words['macro']} IT-2 restart", lang).ticket.status.value == "waiting"


@pytest.mark.parametrize("lang", ["en", "id"])
def test_refusals_are_translated(wf, lang):
    wf.service.open(BUDI, "IT", "printer")
    wf.service.open(BUDI, "LOG", "chairs")
    cases = [
        (BUDI, "move IT-1 LOG", {"en": "may not", "id": "tidak boleh"}),  # requesters do not move tickets
        (SARI, "merge IT-1 LOG-1", {"en": "different teams", "id": "tim yang berbeda"}),  # sees both
        (ANDI, "tag IT-1 +bad!tag", {"en": "is not a tag", "id": "bukan label"}),
        (ANDI, "macro IT-1 nope", {"en": "No canned reply", "id": "Tidak ada balasan"}),
        (ANDI, "move IT-1", {"en": "/ticket move <KEY> <TEAM>", "id": "/ticket pindah <KODE> <TIM>"}),
        (ANDI, "attach IT-1 /no/such/file.png", {"en": "No readable file", "id": "Tidak ada berkas"}),
    ]
    for actor, text, expected in cases:
        reply = say(wf, actor, text, lang)
        assert not reply.ok and expected[lang] in reply.text, (text, reply.text)


@pytest.mark.parametrize("lang", ["en", "id"])
def test_approve_and_reject_by_command(wf, lang):
    fields = {"start": "2026-12-01", "days": "2"}
    wf.service.open(BUDI, "HR", "leave", category="cuti", fields=fields)
    wf.service.open(BUDI, "HR", "more leave", category="cuti", fields=fields)
    word = {"en": ("approve", "reject"), "id": ("setuju", "tolak")}[lang]
    refused = say(wf, DEWI, f"{word[0]} HR-1", lang)
    assert not refused.ok
    assert say(wf, MIRA, f"{word[0]} HR-1 ok", lang).ticket.status.value == "new"
    no_reason = say(wf, MIRA, f"{word[1]} HR-2", lang)
    assert not no_reason.ok
    assert say(wf, MIRA, f"{word[1]} HR-2 too many days this month", lang).ticket.status.value == "closed"


def test_fields_and_attach_from_the_console(wf, tmp_path):
    wf.service.open(BUDI, "LOG", "chairs", category="permintaan barang", fields={"item": "chair", "quantity": "2"})
    assert say(wf, JOKO, "isian LOG-1 quantity=6", "id").ticket.fields["quantity"] == 6
    bad = say(wf, JOKO, "fields LOG-1 quantity=six", "en")
    assert not bad.ok and "quantity: not a number" in bad.text
    photo = tmp_path / "chair.png"
    photo.write_bytes(b"\x89PNG fake")
    assert say(wf, BUDI, f"lampirkan LOG-1 {photo}", "id").ok
    shown = say(wf, JOKO, "lihat LOG-1", "id").text
    assert "Lampiran: chair.png" in shown and "Isian: item: chair · quantity: 6" in shown


def test_moving_and_merging_confidential_tickets_stays_confidential(wf):
    wf.service.open(ANI, "IT", "salary slip wrong", requester="console:budi")
    assert say(wf, ANDI, "move IT-1 HR", "en").ok
    for who in (ANI, ANDI):
        assert not say(wf, who, "show IT-1", "en").ok and not say(wf, who, "show HR-1", "en").ok
    assert say(wf, BUDI, "show IT-1", "en").ok
    assert not say(wf, DEWI, "move HR-1 IT", "en").ok  # out of HR: only its supervisor
    wf.service.open(ANI, "HR", "salary slip wrong too")
    assert not say(wf, ANDI, "merge HR-2 HR-1", "en").ok
    assert say(wf, DEWI, "merge HR-2 HR-1", "en").ok
    assert not say(wf, ANI, "show HR-1", "en").ok  # merged in, but not Ani's request
    assert say(wf, SARI, "move HR-1 IT", "en").ok and say(wf, ADMIN, "show IT-2", "en").ok
