"""Images, documents, audio and locations are kept with the ticket (media fetched by id, then URL)."""
from __future__ import annotations

BUDI = "+6281234567890"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 2048
PDF = b"%PDF-1.4 invoice" + b"\x00" * 5000
OGG = b"OggS" + b"\x01" * 3000


def test_a_photo_opens_a_ticket_and_is_kept_with_it(wa):
    wa.graph.add_media("1573900001", PNG, "image/png")
    wa.meta.media(BUDI, "image", "1573900001", "image/png", caption="Layar laptop retak")
    wa.run()
    wa.meta.pick(BUDI, "team:IT")
    wa.run()
    ticket = wa.ticket("IT-1")
    assert ticket.title == "Layar laptop retak"
    assert "📎 gambar: image/png (2 KB, lampiran #1)" in ticket.description
    [kept] = wa.store.media(ticket_id=ticket.id)
    assert (kept.kind, kept.mime, kept.data) == ("image", "image/png", PNG)
    calls = [(c.method, c.path.split("?")[0]) for c in wa.graph.calls if c.method == "GET"]
    assert calls == [("GET", "/v21.0/1573900001"), ("GET", "/media-download")]  # by id, then the URL
    assert all(c.token == wa.graph.token for c in wa.graph.calls)


def test_documents_audio_and_locations_on_a_ticket(wa):
    wa.meta.text(BUDI, "Tagihan internet salah")
    wa.meta.pick(BUDI, "team:IT")
    wa.run()
    wa.graph.add_media("doc-77", PDF, "application/pdf")
    wa.graph.add_media("aud-78", OGG, "audio/ogg; codecs=opus")
    wa.meta.media(BUDI, "document", "doc-77", "application/pdf", filename="tagihan-nov.pdf")
    wa.meta.media(BUDI, "audio", "aud-78", "audio/ogg; codecs=opus")
    wa.meta.location(BUDI, -6.2146, 106.8451, name="Kantor Sudirman", address="Jl. Jend. Sudirman 1, Jakarta")
    wa.run()
    bodies = [c.body for c in wa.comments("IT-1")]
    assert bodies[0] == "📎 dokumen: tagihan-nov.pdf (5 KB, lampiran #1)"
    assert bodies[1].startswith("📎 audio: audio/ogg; codecs=opus (3 KB, lampiran #2)")
    assert bodies[2] == ("📍 Kantor Sudirman · Jl. Jend. Sudirman 1, Jakarta "
                         "https://www.google.com/maps/search/?api=1&query=-6.2146,106.8451")
    kept = wa.store.media(ticket_id=wa.ticket("IT-1").id)
    assert [(m.kind, m.filename, m.data) for m in kept] == [("document", "tagihan-nov.pdf", PDF), ("audio", None, OGG)]


def test_a_media_download_that_fails_gets_a_note_and_keeps_nothing(wa):
    wa.expect_refusals = True  # the fake answers 404 for a media id it does not know
    wa.meta.text(BUDI, "Printer rusak")
    wa.meta.pick(BUDI, "team:IT")
    wa.meta.media(BUDI, "image", "gone-1", "image/jpeg")
    wa.run()
    assert wa.texts(BUDI)[-1] == "Maaf, file Anda tidak dapat diterima. Silakan kirim ulang."
    assert wa.store.media() == [] and wa.comments("IT-1") == []
