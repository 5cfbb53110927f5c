"""Encryption at rest of confidential teams (HR in the test teams), on SQLite and PostgreSQL: the raw database
holds no plaintext of them, the people who may see them still read, search and export them, keys rotate in
resumable batches, and `tiket config check` refuses a confidential team without a key."""
from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select, text

from config.settings import Settings
from config.wiring import build
from storage.crypto import Cipher, KeyMissing, encryption_problems
from storage.models import Base
from tests.conftest import FIXTURES, TEST_ENCRYPTION_KEY
from tickets.teams import Actor

BUDI, DEWI, SARI, ANDI = (Actor(f"console:{n}") for n in ("budi", "dewi", "sari", "andi"))
SECRETS = ("Gaji Budi dipotong", "rekening 0123456789", "surat dokter rahasia", "terima kasih Dewi rahasia",
           "catatan internal rahasia")


def raw_dump(engine) -> str:
    """Every row of every table, as the database holds it."""
    out = []
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            if conn.dialect.has_table(conn, table.name):
                out += [repr(tuple(row)) for row in conn.execute(select(table))]
    return "\n".join(out)


@pytest.fixture
def confidential(container, clock):
    s = container.service
    s.open(BUDI, "HR", SECRETS[0], SECRETS[1])
    s.open(BUDI, "IT", "printer jammed", "tray 2")
    s.claim(DEWI, "HR-1")
    s.comment(BUDI, "HR-1", SECRETS[2])
    s.note(DEWI, "HR-1", SECRETS[4])
    s.resolve(DEWI, "HR-1", "sudah diperbaiki")
    s.rate(BUDI, "HR-1", 5, SECRETS[3])
    clock.advance(hours=1)
    return container


def settings_with(db_url: str, keys: str | None) -> Settings:
    return Settings(database_url=db_url, teams_file=str(FIXTURES / "teams.toml"), _env_file=None,
                    encryption={"keys": keys} if keys else {})


def rebuild(container, keys: str | None):
    return build(settings_with(container.settings.database_url, keys), clock=container.clock,
                 directory=container.directory, platforms=frozenset({"console"}), migrate=False,
                 engine=container.engine)


def test_raw_database_holds_no_plaintext_of_a_confidential_ticket(confidential):
    dump = raw_dump(confidential.engine)
    for secret in SECRETS + ("sudah diperbaiki",):
        assert secret not in dump, secret
    assert "printer jammed" in dump and "tray 2" in dump  # other teams stay searchable in SQL
    assert "enc1:" in dump


def test_people_who_may_see_it_read_search_and_export_it(confidential):
    view = confidential.queries.show(DEWI, "HR-1")
    assert (view.ticket.title, view.ticket.description) == SECRETS[:2]
    assert [c.body for c in view.comments][:2] == [SECRETS[2], SECRETS[4]]
    assert any(e.changes.get("title") == [None, SECRETS[0]] for e in view.history)
    assert [t.key for t in confidential.queries.list(DEWI, "search", text="gaji")] == ["HR-1"]
    assert [t.key for t in confidential.queries.list(BUDI, "search", text="rekening")] == ["HR-1"]
    assert confidential.queries.list(ANDI, "search", text="gaji") == []  # IT agent: may not see HR
    assert [t.key for t in confidential.queries.list(SARI, "search", text="printer")] == ["IT-1"]
    reply = confidential.runner().run(SARI, "export HR")
    assert reply.ok and SECRETS[0].encode() in reply.attachments[0][1]
    leased = confidential.outbox.lease("console", confidential.clock.now(), limit=500)
    titles = {d.params.get("title") for d in leased if d.ticket_key == "HR-1"}
    assert titles == {SECRETS[0]}  # the deliverer opens what the outbox holds sealed


def test_without_the_key_sealed_text_cannot_be_read(confidential):
    other = rebuild(confidential, Fernet.generate_key().decode())
    with pytest.raises(KeyMissing):
        other.queries.show(DEWI, "HR-1")
    assert other.queries.show(SARI, "IT-1").ticket.title == "printer jammed"


def test_keys_rotate_in_batches_and_resume_after_interruption(confidential):
    from cli.keys import run_rotate
    from storage.rotation import rotate

    new = Fernet.generate_key().decode()
    both = rebuild(confidential, f"{new},{TEST_ENCRYPTION_KEY}")
    seen = []

    def interrupt(progress):
        seen.append(progress)
        if len(seen) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        rotate(both.engine, both.cipher, batch=1, progress=interrupt)
    assert seen[0].table == "tickets" and seen[0].changed == 1  # HR-1 done before the interruption
    lines = []
    assert run_rotate(both, batch=2, echo=lambda line, err=False: lines.append(line)) == 0
    assert lines[0].startswith("tickets: 2/2 rows checked, 0 re-encrypted"), lines  # not redone
    assert any(line.startswith("comments:") for line in lines) and lines[-1].startswith("done:")
    only_new = rebuild(confidential, new)
    view = only_new.queries.show(DEWI, "HR-1")
    assert view.ticket.title == SECRETS[0] and SECRETS[2] in [c.body for c in view.comments]
    assert {d.params.get("title") for d in only_new.outbox.lease("console", only_new.clock.now(), limit=500)
            if d.ticket_key == "HR-1"} == {SECRETS[0]}
    again = []
    assert run_rotate(both, echo=lambda line, err=False: again.append(line)) == 0
    assert again[-1].startswith("done: 0 rows")


def test_rotation_seals_confidential_text_written_before_the_key(db_url, engine, clock, directory):
    plain = build(settings_with(db_url, None), clock=clock, directory=directory, platforms=frozenset({"console"}),
                  migrate=False, engine=engine)
    plain.service.open(BUDI, "HR", SECRETS[0])
    assert SECRETS[0] in raw_dump(engine)
    keyed = build(settings_with(db_url, TEST_ENCRYPTION_KEY), clock=clock, directory=directory,
                  platforms=frozenset({"console"}), migrate=False, engine=engine)
    from cli.keys import run_rotate

    assert run_rotate(keyed, echo=lambda *a, **k: None) == 0
    assert SECRETS[0] not in raw_dump(engine)
    assert keyed.queries.show(SARI, "HR-1").ticket.title == SECRETS[0]


def test_config_check_refuses_a_confidential_team_without_a_key(directory, tmp_path):
    problems = encryption_problems(settings_with("sqlite://", None), directory)
    assert len(problems) == 1 and "HR" in problems[0] and "TIKET_ENCRYPTION__KEYS" in problems[0]
    assert encryption_problems(settings_with("sqlite://", TEST_ENCRYPTION_KEY), directory) == []
    bad = encryption_problems(settings_with("sqlite://", "not-a-key"), directory)
    assert any("not a Fernet key" in p for p in bad)


def test_config_check_command(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from cli.main import app

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TIKET_TEAMS_FILE", str(FIXTURES / "teams.toml"))
    monkeypatch.setenv("TIKET_DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    monkeypatch.delenv("TIKET_ENCRYPTION__KEYS", raising=False)
    result = CliRunner().invoke(app, ["config", "check"])
    assert result.exit_code == 1 and "confidential" in result.output
    key = CliRunner().invoke(app, ["keys", "generate"]).output.strip()
    Fernet(key.encode())
    monkeypatch.setenv("TIKET_ENCRYPTION__KEYS", key)
    result = CliRunner().invoke(app, ["config", "check"])
    assert result.exit_code == 0, result.output


def test_cipher_basics():
    k1, k2 = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    old, new = Cipher([k1], ["HR"]), Cipher([k2, k1], ["HR"])
    sealed = old.seal("hello")
    assert sealed.startswith("enc1:") and new.open(sealed) == "hello" and not new.is_current(sealed)
    rotated = new.rotate(sealed)
    assert new.is_current(rotated) and Cipher([k2]).open(rotated) == "hello"
    assert old.seal_for("IT", "plain") == "plain" and old.seal_for("hr", "x").startswith("enc1:")
    assert Cipher().open("plain") == "plain"
    with pytest.raises(KeyMissing):
        Cipher().open(sealed)
