"""Run Alembic migrations from code (``tiket db upgrade`` and automatic SQLite upgrades)."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

HERE = Path(__file__).resolve().parent


def alembic_config(url: str) -> Config:
    from storage.db import normalise_url

    cfg = Config()
    cfg.set_main_option("script_location", str(HERE / "migrations"))
    cfg.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "heads") -> None:
    """Apply every branch (each feature area may add its own migration branch off 0001)."""
    command.upgrade(alembic_config(url), revision)
