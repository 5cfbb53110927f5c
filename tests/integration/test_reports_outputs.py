"""What people get: chat replies with PNG charts, CSV exports, the CLI, the console files,
and that a confidential team never leaks into another team's report or export."""
from __future__ import annotations

import csv
import io
import json
import struct
import zlib
from datetime import timedelta

import pytest

from bot.reports import export_csv, make_reports
from tickets.teams import Actor

BUDI, ANDI, SARI, DEWI, ADMIN, JOKO = (Actor(f"console:{n}") for n in ("budi", "andi", "sari", "dewi", "admin",
                                                                         "joko"))
SECRET = "salary slip of Budi"


@pytest.fixture
def tickets(container, clock):
    s = container.service
    s.open(BUDI, "IT", "laptop, broken")
    s.open(BUDI, "IT", 'quote "this"')
    s.open(BUDI, "HR", SECRET)
    clock.advance(hours=1)
    s.claim(ANDI, "IT-1")
    s.claim(DEWI, "HR-1")
    clock.advance(hours=1)
    s.resolve(ANDI, "IT-1")
    s.resolve(DEWI, "HR-1")
    s.rate(BUDI, "IT-1", 4)
    s.rate(BUDI, "HR-1", 5)
    s.open(BUDI, "LOG", "paper")
    clock.advance(days=1)
    return container


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    assert zlib.crc32(data[12:29]) == struct.unpack(">I", data[29:33])[0]
    assert data[-12:] == b"\x00\x00\x00\x00IEND\xaeB`\x82"
    return struct.unpack(">II", data[16:24])


def test_stats_replies_with_text_and_two_readable_charts(tickets):
    reply = tickets.runner().run(SARI, "stats IT 7d")
    assert reply.ok, reply.text
    assert "IT" in reply.text and "Created 2" in reply.text
    names = [name for name, _ in reply.attachments]
    assert names == ["tiket-daily-IT-7d.png", "tiket-sla-IT-7d.png"]
    for _name, data in reply.attachments:
        width, height = png_size(data)
        assert 600 <= width <= 2000 and 300 <= height <= 1200
        assert 5_000 < len(data) < 1_000_000


def test_stats_speaks_indonesian(tickets):
    reply = tickets.runner().run(Actor("console:sari", locale="id"), "statistik IT")
    assert reply.ok and "Dibuat 2" in reply.text and "Antrean" in reply.text


def test_bad_period_and_no_team_are_clear_messages(tickets):
    runner = tickets.runner()
    reply = runner.run(SARI, "stats IT 2026-13")  # the forms understood, and what was typed
    assert not reply.ok and "'IT 2026-13' is not a period: use 7d, 4w" in reply.text
    reply = runner.run(SARI, "stats 9999d")  # a period the grammar takes, too long for a report
    assert not reply.ok and "'9999d' is not a period" in reply.text
    reply = runner.run(BUDI, "stats")
    assert not reply.ok and "no team" in reply.text
    reply = runner.run(ANDI, "export IT")
    assert not reply.ok and "Exports are for supervisors" in reply.text and not reply.attachments


def test_export_csv_parses_back_to_the_same_rows(tickets):
    reports = make_reports(tickets)
    _period, rows = reports.export(SARI, "IT")
    data = export_csv(rows)
    parsed = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    assert parsed[0][:3] == ["key", "team", "title"]
    assert len(parsed) - 1 == len(rows) == 2
    assert [r[0] for r in parsed[1:]] == ["IT-1", "IT-2"]
    assert parsed[1][2] == "laptop, broken" and parsed[2][2] == 'quote "this"'
    first = dict(zip(parsed[0], parsed[1]))
    assert (first["status"], first["assignee"], first["rating"]) == ("resolved", "console:andi", "4")
    assert first["created"] == "2026-11-23T02:00:00Z" and first["resolved"] == "2026-11-23T04:00:00Z"
    reply = tickets.runner().run(SARI, "export IT")
    assert reply.ok and reply.attachments[0][1] == data


def test_confidential_team_never_leaks_into_other_reports_or_exports(tickets):
    runner = tickets.runner()
    for actor in (SARI, ADMIN):
        for text in ("stats", "stats IT", "stats LOG", "export", "export IT", "export LOG"):
            reply = runner.run(actor, text)
            assert reply.ok, reply.text
            blob = reply.text + "".join(data.decode("utf-8", "replace") for _n, data in reply.attachments
                                        if _n.endswith(".csv"))
            assert SECRET not in blob and "HR-1" not in blob and "dewi" not in blob
            assert "\nHR" not in reply.text and " HR:" not in reply.text
    overall = make_reports(tickets).report(ADMIN)
    assert overall.overall.created == 4            # counted ...
    assert [f.team for f in overall.teams] == ["IT", "LOG"]  # ... but not listed
    assert "1 confidential team" in runner.run(ADMIN, "stats").text
    it = make_reports(tickets).report(ADMIN, "IT")
    assert (it.overall.created, it.overall.resolved, it.overall.satisfaction.count) == (2, 1, 1)
    # asked for by name, by someone who may: there it is
    reply = runner.run(SARI, "export HR")
    assert reply.ok and SECRET in reply.attachments[0][1].decode("utf-8")
    assert not runner.run(JOKO, "stats HR").ok


def test_cli_report_text_json_csv_png(tickets, tmp_path):
    from cli.report import run_report

    out: list[str] = []

    def echo(text="", err=False):
        out.append(text)

    assert run_report(tickets, team="IT", period="7d", as_json=True, echo=echo) == 0
    data = json.loads(out[-1])
    assert data["team"] == "IT" and data["overall"]["created"] == 2 and data["overall"]["resolved"] == 1
    assert run_report(tickets, echo=echo) == 0
    assert SECRET not in out[-1] and "Created 4" in out[-1]
    csv_file, png_file = tmp_path / "t.csv", tmp_path / "chart.png"
    assert run_report(tickets, since="2026-11-01", until="2026-11-30", csv_file=csv_file, echo=echo) == 0
    keys = [row["key"] for row in csv.DictReader(csv_file.open(encoding="utf-8"))]
    assert keys == ["IT-1", "IT-2", "LOG-1"]
    assert run_report(tickets, team="IT", png_file=png_file, lang="id", echo=echo) == 0
    assert png_size(png_file.read_bytes())[0] >= 600
    assert png_size((tmp_path / "chart-sla.png").read_bytes())[0] >= 600
    assert run_report(tickets, period="nonsense", echo=echo) == 1
    assert run_report(tickets, as_json=True, csv_file=csv_file, echo=echo) == 2


def test_console_saves_attachments_and_prints_where(tickets, tmp_path, monkeypatch):
    from bot.console.app import Console

    monkeypatch.chdir(tmp_path)
    stdin, stdout = io.StringIO("/as sari\n/ticket export IT\n"), io.StringIO()
    Console(tickets, stdin=stdin, stdout=stdout, user="sari", interactive=False).run()
    saved = tmp_path / "tiket-exports" / "tiket-tickets-IT-30d.csv"  # the default folder, git-ignored
    assert saved.exists() and f"Saved {saved}" in stdout.getvalue()
    assert saved.read_bytes().startswith(b"key,team,title")
    assert not (tmp_path / "tiket-tickets-IT-30d.csv").exists()
    monkeypatch.setattr(tickets.settings.console, "export_dir", str(tmp_path / "reports"))
    stdin, stdout = io.StringIO("/ticket stats IT\n"), io.StringIO()
    Console(tickets, stdin=stdin, stdout=stdout, user="sari", interactive=False).run()
    assert sorted(p.suffix for p in (tmp_path / "reports").iterdir()) == [".png", ".png"]


def test_empty_period_draws_charts_too(container, clock):
    clock.advance(days=2)
    report = make_reports(container).report(SARI, None, "2026-10")
    from bot.charts import daily_chart, sla_chart

    assert report.overall.created == 0 and len(report.daily) == 31
    for data in (daily_chart(report, "en"), sla_chart(report, "id")):
        assert png_size(data)[1] >= 300
    assert report.period.until - report.period.since == timedelta(days=31)
