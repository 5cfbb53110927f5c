"""`tiket db backup/restore` on a live SQLite database, and JSON log lines, through the real CLI."""
from __future__ import annotations

import json
import logging
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from config.logs import JsonFormatter, mask
from tickets.logcontext import bound

ROOT = Path(__file__).resolve().parents[2]


def tiket(*args: str, env: dict, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "cli.main", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def environment(tmp_path: Path, db: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIKET_")}
    env.update(TIKET_DATABASE_URL=f"sqlite:///{db}", TIKET_TEAMS_FILE=str(ROOT / "tests/fixtures/teams.toml"),
               PYTHONPATH=str(ROOT))
    return env


def count(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM tickets").fetchone()[0]


def test_backup_while_a_writer_holds_the_database_then_restore_checks_the_schema(tmp_path):
    db, copy = tmp_path / "live.db", tmp_path / "backups" / "copy.db"
    env = environment(tmp_path, db)
    tiket("db", "upgrade", env=env)
    console = subprocess.run([sys.executable, "-m", "cli.main", "console", "--user", "budi"], cwd=ROOT, env=env,
                             input="/ticket new IT printer jammed\n/ticket new IT no wifi\n", capture_output=True,
                             text=True, timeout=120)
    assert console.returncode == 0, console.stderr
    writer = sqlite3.connect(db)  # another process's open transaction does not stop the copy
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE tickets SET title = 'uncommitted' WHERE number = 1")
    out = tiket("db", "backup", str(copy), env=env).stdout
    writer.rollback()
    writer.close()
    assert "backed up" in out and count(copy) == 2
    assert oct(copy.stat().st_mode & 0o777) == "0o600"
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT title FROM tickets WHERE number = 1").fetchone()[0] == "printer jammed"

    refused = tiket("db", "restore", str(copy), env=env, check=False)
    assert refused.returncode == 2 and "--force" in refused.stderr  # never overwrites silently
    db.unlink()
    assert "restored" in tiket("db", "restore", str(copy), env=env).stdout and count(db) == 2

    alien = tmp_path / "alien.db"
    sqlite3.connect(alien).execute("CREATE TABLE x (y)").connection.close()
    bad = tiket("db", "restore", str(alien), "--force", env=env, check=False)
    assert bad.returncode == 2 and "not a Tiket database" in bad.stderr
    future = tmp_path / "future.db"
    future.write_bytes(copy.read_bytes())
    with sqlite3.connect(future) as conn:
        conn.execute("INSERT INTO alembic_version VALUES ('9999_from_the_future')")
    newer = tiket("db", "restore", str(future), "--force", env=env, check=False)
    assert newer.returncode == 2 and "does not match" in newer.stderr and "newer" in newer.stderr


def test_backup_on_postgresql_points_to_pg_dump(tmp_path):
    env = environment(tmp_path, tmp_path / "x.db")
    env["TIKET_DATABASE_URL"] = "postgresql://nobody@127.0.0.1:1/none"
    proc = tiket("db", "backup", str(tmp_path / "b"), env=env, check=False)
    assert proc.returncode == 2 and "pg_dump" in proc.stderr and "Traceback" not in proc.stderr


def test_json_log_lines_carry_ids_and_mask_credentials():
    record = logging.LogRecord("bot.slack", logging.WARNING, __file__, 1,
                               "posting with xoxb-123-456-abc to https://u:pw@host/x", None, None)
    with bound(request_id="slack:cmd:T1", ticket="IT-4", body="never logged"):
        line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "warning" and line["logger"] == "bot.slack"
    assert line["request_id"] == "slack:cmd:T1" and line["ticket"] == "IT-4" and "body" not in line
    assert "xoxb" not in line["msg"] and "pw@" not in line["msg"]
    assert mask("Authorization: Bearer abcdefghijkl") == "Authorization: [redacted]"


def test_cli_main_writes_json_lines_when_asked(tmp_path):
    env = environment(tmp_path, tmp_path / "j.db")
    probe = ("import logging, cli.main as m\n"
             "m.app = lambda: logging.getLogger('probe').warning('sent with xoxb-1-2-3')\n"
             "m.main()\n")
    for fmt, is_json in (("json", True), ("text", False)):
        env["TIKET_LOG_FORMAT"] = fmt
        proc = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=60)
        assert proc.returncode == 0, proc.stderr
        line = proc.stderr.strip().splitlines()[-1]
        assert line.startswith("{") is is_json and "xoxb" not in line and "[redacted]" in line
        if is_json:
            assert json.loads(line)["logger"] == "probe"
