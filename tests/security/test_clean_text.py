"""Clean text, NUL, LIKE wildcards, CSV formulas and private files (issue 10, findings 4, 5, 6, 9),
on SQLite and PostgreSQL."""
from __future__ import annotations

import csv
import io
import logging
import stat

import pytest

from bot.reports import export_csv, make_reports, neutralise
from tickets.errors import ValidationError
from tickets.teams import Actor
from tickets.text import clean_line, clean_text, like_pattern

BUDI, ANDI, SARI = (Actor(f"console:{n}") for n in ("budi", "andi", "sari"))
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u00ad"


def test_cleaning_rules():
    assert clean_line(INVISIBLE) == ""
    assert clean_line("a\x1b[31mred\x1b[0m\x07 b\x7f\x9b2J") == "ared b"
    assert clean_line("two\nlines\tand tab") == "two lines and tab"
    assert clean_text("keep\nlines\r\nand\ttabs\u202e ok\x1b]0;title\x07") == "keep\nlines\nand\ttabs ok"
    assert clean_line("Rapat besok jam 9 — ok ✓ 🎫 çà") == "Rapat besok jam 9 — ok ✓ 🎫 çà"
    for text in ("a\x00b", "\x00"):
        with pytest.raises(ValidationError, match="text_has_nul"):
            clean_line(text)
        with pytest.raises(ValidationError, match="text_has_nul"):
            clean_text(text)
    assert like_pattern("50%_x\\") == "%50\\%\\_x\\\\%"


def test_titles_and_texts_are_stored_clean(container):
    s, runner = container.service, container.runner()
    reply = runner.run(BUDI, f"new IT {INVISIBLE}")
    assert not reply.ok and "title" in reply.text.lower(), reply.text
    reply = runner.run(BUDI, "new IT \x1b[2J\x1b[31mPrinter\u202e broken | line one\nline\ttwo\u200b")
    assert reply.ok, reply.text
    s.comment(BUDI, "IT-1", "see\u2066 attached\x1b[0m\nthanks")
    view = container.queries.show(SARI, "IT-1")
    assert view.ticket.title == "Printer broken"
    assert view.ticket.description == "line one\nline\ttwo"
    assert view.comments[-1].body == "see attached\nthanks"


@pytest.mark.parametrize("text", ["new IT printer\x00 jam", "new IT printer | desc\x00ription",
                                  "list search pr\x00"])
def test_nul_is_refused_the_same_way_on_every_database(container, caplog, text):
    container.service.open(BUDI, "IT", "printer")
    reply = container.runner().run(BUDI, text)
    assert not reply.ok and "NUL" in reply.text, reply.text
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert [t.title for t in container.queries.list(SARI, "all")] == ["printer"]
    with pytest.raises(ValidationError, match="text_has_nul"):
        container.service.comment(BUDI, "IT-1", "a\x00b")


def test_search_matches_wildcards_literally(container):
    s = container.service
    s.open(BUDI, "IT", "printer")
    s.open(BUDI, "IT", "disk 100% full")
    s.open(BUDI, "IT", "file_name broken")
    s.open(BUDI, "IT", "back\\slash")
    titles = lambda text: sorted(t.title for t in container.queries.list(SARI, "search", text=text))  # noqa: E731
    assert titles("%") == ["disk 100% full"]
    assert titles("_") == ["file_name broken"]
    assert titles("\\") == ["back\\slash"]
    assert titles("PRINT") == ["printer"]
    assert "printer" not in container.runner().run(SARI, "list search %").text
    with pytest.raises(ValidationError, match="search_too_long"):
        container.queries.list(SARI, "search", text="x" * 201)


def test_csv_cells_that_look_like_formulas_are_neutralised(container, clock):
    evil = '=HYPERLINK("http://evil.example","klik")'
    for title in (evil, "+1+1", "-2+3", "@SUM(A1)", "safe title"):
        container.service.open(BUDI, "IT", title)
    clock.advance(hours=1)
    _period, rows = make_reports(container).export(SARI, "IT")
    parsed = list(csv.DictReader(io.StringIO(export_csv(rows).decode())))
    titles = sorted(row["title"] for row in parsed)
    assert titles == sorted(["'" + evil, "'+1+1", "'-2+3", "'@SUM(A1)", "safe title"])
    assert all(not row["title"].startswith(("=", "+", "-", "@")) for row in parsed)
    assert neutralise("\tx") == "'\tx" and neutralise("\rx") == "'\rx" and neutralise("a=b") == "a=b"
    reply = container.runner().run(SARI, "export IT")
    assert reply.ok and b"'=HYPERLINK" in reply.attachments[0][1]


def test_exports_and_attachments_are_written_owner_only(container, clock, tmp_path, monkeypatch):
    from bot.console.app import Console
    from cli.report import run_report

    container.service.open(BUDI, "IT", "=1+1")
    clock.advance(hours=1)
    csv_file = tmp_path / "t.csv"
    csv_file.write_bytes(b"old")
    csv_file.chmod(0o644)
    assert run_report(container, csv_file=csv_file, echo=lambda *a, **k: None) == 0
    assert stat.S_IMODE(csv_file.stat().st_mode) == 0o600 and b"'=1+1" in csv_file.read_bytes()
    png = tmp_path / "c.png"
    assert run_report(container, team="IT", png_file=png, echo=lambda *a, **k: None) == 0
    assert stat.S_IMODE(png.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "c-sla.png").stat().st_mode) == 0o600
    monkeypatch.chdir(tmp_path)
    Console(container, stdin=io.StringIO("/as sari\n/ticket export IT\n"), stdout=io.StringIO(), user="sari",
            interactive=False).run()
    saved = list((tmp_path / "tiket-exports").glob("tiket-tickets-IT-*.csv"))  # the console export folder
    assert saved and all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in saved)
