"""`tiket privacy export|erase` (issue 10): admins only, audited; the export holds everything about the person,
the erasure pseudonymises them and redacts their text while reports keep their numbers. SQLite and PostgreSQL."""
from __future__ import annotations

import csv
import io
import json
import stat
import zipfile

import pytest
from sqlalchemy import select

from bot.reports import make_reports
from cli.privacy import run_erase, run_export
from storage.models import AuditRow
from storage.privacy import PrivacyRequestRow
from tests.security.test_encryption import raw_dump
from tickets.teams import Actor

BUDI, DEWI, SARI, ANDI = (Actor(f"console:{n}") for n in ("budi", "dewi", "sari", "andi"))


@pytest.fixture
def history(container, clock):
    s = container.service
    s.open(BUDI, "IT", "=laptop of budi", "my password is on a sticky note")
    s.open(BUDI, "HR", "cuti budi", "sick leave note")
    s.open(ANDI, "IT", "andi's own", "")
    with container.uow() as uow:  # budi watches a ticket he did not raise (as if a supervisor added him)
        ticket = uow.tickets.get("IT", 2, for_update=True)
        ticket.watchers.add(BUDI.user)
        uow.tickets.save(ticket)
        uow.commit()
    s.claim(ANDI, "IT-1")
    s.comment(BUDI, "IT-1", "budi says hello")
    s.comment(ANDI, "IT-1", "andi answers")
    s.resolve(ANDI, "IT-1")
    s.rate(BUDI, "IT-1", 4, "quick, thanks budi")
    clock.advance(hours=2)
    return container


def lines():
    out = []
    return out, (lambda text="", err=False: out.append(text))


def test_only_admins_may_export_or_erase(history, tmp_path):
    out, echo = lines()
    assert run_export(history, "console:budi", "console:sari", tmp_path / "x.zip", echo=echo) == 1
    assert "not an admin" in out[-1] and not (tmp_path / "x.zip").exists()
    assert run_erase(history, "console:budi", None, echo=echo) == 1 and "--as" in out[-1]
    assert run_erase(history, "console:budi", "console:sari", lang="id", echo=echo) == 1
    assert "bukan admin" in out[-1]
    assert run_export(history, "budi", "console:admin", echo=echo) == 1 and "slack:U123" in out[-1]
    with history.engine.connect() as conn:
        assert conn.execute(select(PrivacyRequestRow)).all() == []
    assert history.queries.show(SARI, "IT-1").ticket.requester == "console:budi"


def test_export_is_a_private_zip_of_json_and_csv_with_everything_about_them(history, tmp_path):
    out, echo = lines()
    target = tmp_path / "budi.zip"
    assert run_export(history, "console:budi", "console:admin", target, echo=echo) == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600 and "2 ticket(s)" in out[-1]
    with zipfile.ZipFile(target) as zf:
        names = set(zf.namelist())
        assert {f"{n}.{e}" for n in ("tickets", "comments", "ratings", "audit") for e in ("json", "csv")} <= names
        tickets = json.loads(zf.read("tickets.json"))
        comments = json.loads(zf.read("comments.json"))
        ratings = json.loads(zf.read("ratings.json"))
        audit = json.loads(zf.read("audit.json"))
        rows = list(csv.DictReader(io.StringIO(zf.read("tickets.csv").decode())))
    assert sorted(t["key"] for t in tickets) == ["HR-1", "IT-1"]
    hr = next(t for t in tickets if t["key"] == "HR-1")
    assert hr["title"] == "cuti budi" and hr["description"] == "sick leave note"  # opened, not sealed
    assert [c["body"] for c in comments] == ["budi says hello"]
    assert ratings == [{"ticket": "IT-1", "score": 4, "comment": "quick, thanks budi", "at": ratings[0]["at"]}]
    assert {a["action"] for a in audit} >= {"open", "claim", "resolve", "comment", "watch"} or len(audit) >= 4
    assert all(a["ticket"] != "IT-3" or a["actor"] == "console:budi" for a in audit)
    assert any(r["title"] == "'=laptop of budi" for r in rows)  # CSV neutralised
    with history.engine.connect() as conn:
        logged = conn.execute(select(PrivacyRequestRow)).all()
    assert [(r.action, r.subject, r.operator) for r in logged] == [("export", "console:budi", "console:admin")]


def test_erase_pseudonymises_redacts_and_keeps_the_figures(history, clock, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the second export writes its zip under its default name, here
    before = make_reports(history).report(SARI, "IT", "7d").overall
    out, echo = lines()
    assert run_erase(history, "console:budi", "console:admin", echo=echo) == 0
    alias = out[-1].split("now ")[1].split(" ")[0]
    assert alias.startswith("erased:")
    dump = raw_dump(history.engine)
    for gone in ("console:budi", "laptop of budi", "my password", "budi says hello", "quick, thanks budi"):
        assert gone not in dump, gone
    assert "andi answers" in dump and "andi's own" in dump  # other people's text stays
    it1 = history.queries.show(SARI, "IT-1")
    assert it1.ticket.requester == alias and it1.ticket.title == "[redacted]"
    assert it1.ticket.status.value == "resolved" and it1.ticket.resolution_seconds is not None
    assert history.queries.show(SARI, "IT-2").ticket.watchers == {alias}
    after = make_reports(history).report(SARI, "IT", "7d").overall
    assert (after.created, after.resolved, after.satisfaction.count) == (before.created, before.resolved,
                                                                          before.satisfaction.count)
    with history.engine.connect() as conn:
        erased = conn.execute(select(AuditRow).where(AuditRow.action == "erase")).all()
        logged = conn.execute(select(PrivacyRequestRow)).all()
    assert {e.actor for e in erased} == {"console:admin"} and len(erased) == 3  # IT-1, HR-1, IT-2 (watched)
    assert [(r.action, r.subject, r.operator) for r in logged] == [("erase", alias, "console:admin")]
    again, echo2 = lines()
    assert run_export(history, "console:budi", "console:admin", echo=echo2) == 0
    assert "0 ticket(s)" in again[-1]
