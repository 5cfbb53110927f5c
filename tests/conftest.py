"""Shared fixtures: a migrated database per test (SQLite always, PostgreSQL when
TIKET_TEST_DATABASE_URL is set), a fixed clock and the test teams."""
from __future__ import annotations

import os
import shutil
import uuid
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from config.settings import Settings
from config.teams import load_teams
from storage.db import make_engine, normalise_url
from storage.migrate import upgrade
from storage.schema import Base
from tickets.ports import FixedClock

FIXTURES = Path(__file__).parent / "fixtures"
PG_URL = os.environ.get("TIKET_TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
TEST_ENCRYPTION_KEY = "YTcoMbmVwJrWf8gWAazqV5bpaxFLZkS7zTv3VdJWmDQ="  # a Fernet key for tests only
START = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)  # Monday 09:00 in Jakarta


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def pg_database():
    """A database of our own on the PostgreSQL server, migrated once per test session."""
    if not PG_URL:
        yield None
        return
    admin = create_engine(normalise_url(PG_URL), isolation_level="AUTOCOMMIT")
    name = f"tiket_test_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    base, _, _ = normalise_url(PG_URL).rpartition("/")
    url = f"{base}/{name}"
    upgrade(url)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path, sqlite_template) -> str:
    """A freshly migrated, empty database URL on each backend."""
    if request.param == "sqlite":
        path = tmp_path / "tiket.db"
        shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("pg_database")
    engine = create_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return url


@pytest.fixture
def engine(db_url):
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def directory():
    return load_teams(FIXTURES / "teams.toml")


@pytest.fixture
def settings(db_url) -> Settings:
    # the fixture teams include a confidential one (HR): its text is sealed with this test key
    return Settings(database_url=db_url, teams_file=str(FIXTURES / "teams.toml"), _env_file=None,
                    encryption={"keys": TEST_ENCRYPTION_KEY})


@pytest.fixture
def container(settings, engine, clock, directory):
    """Every part wired as production wires it, on the test database, console platform."""
    from config.wiring import build

    return build(settings, clock=clock, directory=directory, platforms=frozenset({"console"}), migrate=False,
                 engine=engine)
