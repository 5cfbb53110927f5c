"""SQLite: a private database file and a configurable busy timeout; PostgreSQL: a statement timeout."""
from __future__ import annotations

import stat

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from config.settings import Settings
from storage.db import make_engine
from storage.migrate import upgrade


def test_sqlite_database_files_are_private(tmp_path):
    path = tmp_path / "data" / "tiket.db"
    upgrade(f"sqlite:///{path}")
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS probe (x INTEGER)"))
        conn.execute(text("INSERT INTO probe VALUES (1)"))
    for name in ("tiket.db", "tiket.db-wal", "tiket.db-shm"):
        found = path.parent / name
        if found.exists():
            assert stat.S_IMODE(found.stat().st_mode) == 0o600, name
    assert (path.parent / "tiket.db").exists()
    engine.dispose()


def test_existing_world_readable_database_is_made_private(tmp_path):
    path = tmp_path / "old.db"
    path.touch(mode=0o644)
    path.chmod(0o644)
    make_engine(f"sqlite:///{path}").dispose()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_sqlite_busy_timeout_comes_from_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("TIKET_LIMITS__SQLITE_BUSY_TIMEOUT_MS", "1234")
    settings = Settings(_env_file=None)
    assert settings.limits.sqlite_busy_timeout_ms == 1234
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}", busy_timeout_ms=settings.limits.sqlite_busy_timeout_ms)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 1234
    engine.dispose()


def test_postgresql_statement_timeout(db_url):
    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only")
    engine = make_engine(db_url, statement_timeout_ms=200)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SHOW statement_timeout").scalar() == "200ms"
        with pytest.raises(OperationalError, match="statement timeout"):
            conn.exec_driver_sql("SELECT pg_sleep(2)")
    engine.dispose()
