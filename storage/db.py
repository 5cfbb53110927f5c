"""Engines: SQLite with WAL, foreign keys and BEGIN IMMEDIATE; PostgreSQL as is."""
from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url


def normalise_url(url: str) -> str:
    """Let people write postgresql:// and get the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def make_engine(url: str, *, echo: bool = False, pool_size: int = 10, busy_timeout_ms: int = 10000,
                statement_timeout_ms: int | None = None) -> Engine:
    """`busy_timeout_ms`: how long a SQLite writer waits for the lock; `statement_timeout_ms`:
    PostgreSQL's statement_timeout (None or 0: the server's default)."""
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        args = {"options": f"-c statement_timeout={int(statement_timeout_ms)}"} if statement_timeout_ms else {}
        return create_engine(url, echo=echo, pool_size=pool_size, max_overflow=20, pool_pre_ping=True,
                             connect_args=args)
    if parsed.database and parsed.database != ":memory:":
        private_file(Path(parsed.database))
    busy = max(0, int(busy_timeout_ms))
    engine = create_engine(url, echo=echo, connect_args={"timeout": busy / 1000, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={busy}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # Writers take the write lock up front, so two transactions never
        # deadlock upgrading read locks; readers may ask for a deferred BEGIN.
        mode = "DEFERRED" if conn.get_execution_options().get("sqlite_readonly") else "IMMEDIATE"
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def private_file(path: Path) -> None:
    """Create the database file (and its WAL companions) readable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for candidate in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if candidate is path and not path.exists():
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        if candidate.exists():
            os.chmod(candidate, 0o600)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
