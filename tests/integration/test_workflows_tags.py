"""Tags, categories, canned replies and attachments, on SQLite and PostgreSQL."""
from __future__ import annotations

import csv
import io
import json
import stat

import pytest

from bot.reports import export_csv, make_reports, render_report
from tickets.errors import PermissionDenied, ValidationError
from tickets.model import Status
from tickets.serialize import ticket_json

from tests.integration.workflow_helpers import ANDI, ANI, BUDI, DEWI, JOKO, RINA, SARI, outbox, workflow_container


@pytest.fixture
def wf(settings, engine, clock):
    return workflow_container(settings, engine, clock)


def test_tags_add_remove_list_json_and_audit(wf):
    s = wf.service
    a = s.open(BUDI, "IT", "printer jam", category="hardware").ticket
    s.open(BUDI, "IT", "excel crash", category="software")
    assert s.tag(ANDI, a.key, "+Printer +urgent lantai3").tags == {"printer", "urgent", "lantai3"}
    assert s.tag(RINA, a.key, "-urgent").tags == {"printer", "lantai3"}
    assert [t.key for t in wf.queries.list(ANDI, "tag", tag="printer")] == [a.key]
    assert [t.key for t in wf.queries.list(ANDI, "category", category="Software")] == ["IT-2"]
    assert ticket_json(wf.queries.show(BUDI, a.key).ticket)["tags"] == ["lantai3", "printer"]
    event = [e for e in wf.queries.show(ANDI, a.key).history if e.action == "tag"][-1]
    assert event.changes["tags"] == [["lantai3", "printer", "urgent"], ["lantai3", "printer"]]
    with pytest.raises(ValidationError):
        s.tag(ANDI, a.key, "+bad tag!")
    with pytest.raises(PermissionDenied):
        s.tag(BUDI, a.key, "+mine")  # requesters do not tag
    with pytest.raises(PermissionDenied):
        s.tag(JOKO, a.key, "+log")  # nor other teams' agents


def test_list_by_tag_shows_only_what_the_asker_may_see(wf):
    s = wf.service
    it = s.open(BUDI, "IT", "printer").ticket
    hr = s.open(BUDI, "HR", "printer for HR").ticket
    s.tag(ANDI, it.key, "+printer")
    s.tag(DEWI, hr.key, "+printer")
    assert [t.key for t in wf.queries.list(ANI, "tag", tag="printer")] == []
    assert {t.key for t in wf.queries.list(BUDI, "tag", tag="printer")} == {it.key, hr.key}
    assert [t.key for t in wf.queries.list(ANDI, "tag", tag="printer")] == [it.key]


def test_category_change_checks_the_team_and_keeps_only_its_fields(wf):
    s = wf.service
    t = s.open(BUDI, "IT", "laptop").ticket
    assert s.set_category(ANDI, t.key, "HARDWARE").category == "hardware"
    with pytest.raises(ValidationError):
        s.set_category(ANDI, t.key, "cuti")
    event = [e for e in wf.queries.show(ANDI, t.key).history if e.action == "category"][-1]
    assert event.changes["category"] == [None, "hardware"]


def test_tags_in_csv_export_and_report_counts(wf, clock):
    from datetime import timedelta

    s = wf.service
    for title, tags in (("a", "+printer +urgent"), ("b", "+printer"), ("c", "+wifi")):
        s.tag(ANDI, s.open(BUDI, "IT", title, category="hardware").ticket.key, tags)
    clock.at += timedelta(hours=1)
    reports = make_reports(wf)
    report = reports.report(ANDI, "IT", "7d")
    assert report.tags == {"printer": 2, "urgent": 1, "wifi": 1}
    assert "printer 2" in render_report(report, "en", wf.directory)
    _, rows = reports.export(SARI, "IT", "7d")
    table = list(csv.DictReader(io.StringIO(export_csv(rows).decode())))
    first = [r for r in table if r["key"] == "IT-1"][0]
    assert (first["tags"], first["category"], json.loads(first["fields"])) == ("printer;urgent", "hardware", {})


def test_macro_replies_as_the_agent_and_applies_its_change(wf):
    s = wf.service
    t = s.open(BUDI, "IT", "slow laptop").ticket
    s.claim(ANDI, t.key)
    done = s.macro(ANDI, t.key, "Restart")
    assert done.status == Status.WAITING and "restart" in done.tags
    assert done.first_response_at is not None
    comment = [c for c in wf.queries.show(BUDI, t.key).comments if c.kind == "comment"][-1]
    assert comment.author == "console:andi" and comment.body.startswith("Please restart")
    assert "comment_added" in [r.template for r in outbox(wf, target="user:console:budi")]
    with pytest.raises(ValidationError) as unknown:
        s.macro(ANDI, t.key, "nope")
    assert unknown.value.params["macros"] == "restart"
    with pytest.raises(PermissionDenied):
        s.macro(BUDI, t.key, "restart")


def test_macro_text_follows_the_requesters_language(wf):
    from tickets.teams import Actor

    s = wf.service
    t = s.open(Actor("console:ani", locale="id"), "IT", "lambat").ticket
    s.macro(ANDI, t.key, "restart")
    assert wf.queries.show(ANI, t.key).comments[-1].body.startswith("Silakan")


def test_attachments_in_the_database_with_limits(wf):
    s = wf.service
    t = s.open(BUDI, "IT", "screen").ticket
    s.attach(BUDI, t.key, "/home/budi/screen.png", b"\x89PNG....", "image/png")
    view = wf.queries.show(ANDI, t.key)
    assert [(a["name"], a["size"], a["uploaded_by"]) for a in view.attachments] == [("screen.png", 8, "console:budi")]
    with pytest.raises(ValidationError) as kind:
        s.attach(BUDI, t.key, "run.exe", b"MZ", "application/x-msdownload")
    assert kind.value.key == "attachment_type"
    with pytest.raises(ValidationError) as size:
        s.attach(BUDI, t.key, "big.txt", b"x" * (5 * 1024 * 1024 + 1), "text/plain")
    assert size.value.key == "attachment_too_large"
    with pytest.raises(PermissionDenied):
        s.attach(ANI, t.key, "x.txt", b"x", "text/plain")


def test_attachments_in_a_directory_are_private_files(settings, engine, clock, tmp_path):
    from config.settings import AttachmentSettings

    wf = workflow_container(settings, engine, clock,
                            attachments=AttachmentSettings(directory=str(tmp_path / "files"), max_kb=1))
    t = wf.service.open(BUDI, "IT", "log").ticket
    wf.service.attach(ANDI, t.key, "log.txt", b"hello", "text/plain")
    files = list((tmp_path / "files").rglob("*.bin"))
    assert len(files) == 1 and files[0].read_bytes() == b"hello"
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    with pytest.raises(ValidationError):
        wf.service.attach(ANDI, t.key, "big.txt", b"x" * 2048, "text/plain")


def test_list_scope_words_carry_the_tag_or_category(wf):
    t = wf.service.open(BUDI, "IT", "printer", category="hardware").ticket
    wf.service.tag(ANDI, t.key, "+printer")
    assert [x.key for x in wf.queries.list(ANDI, "tag", text="printer")] == [t.key]
    assert [x.key for x in wf.queries.list(ANDI, "category", text="hardware")] == [t.key]
    with pytest.raises(ValidationError):
        wf.queries.list(ANDI, "tag")
