"""`tiket db backup` and `tiket db restore`: a consistent copy of an SQLite database while Tiket runs.

PostgreSQL has its own tools (pg_dump / pg_restore); these commands say so instead of guessing.
"""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import typer

from cli import common


def _sqlite_path(url: str) -> Path | None:
    from sqlalchemy.engine import make_url

    from storage.db import normalise_url

    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def _revisions(path: Path) -> set[str]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        try:
            return {row[0] for row in conn.execute("SELECT version_num FROM alembic_version")}
        except sqlite3.DatabaseError:
            return set()


def _heads() -> set[str]:
    from alembic.script import ScriptDirectory

    from storage.migrate import alembic_config

    return set(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())


def _copy(source: Path, target: Path) -> int:
    """SQLite's online backup API: a consistent snapshot even while writers are busy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    fd = os.open(partial, os.O_CREAT | os.O_WRONLY, 0o600)  # owner-only, like the database itself
    os.close(fd)
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src, sqlite3.connect(partial) as dst:
        src.backup(dst, pages=1024)
        pages = dst.execute("PRAGMA page_count").fetchone()[0]
    os.replace(partial, target)
    return pages


def _postgres_hint(url: str, tool: str) -> None:
    typer.echo(f"{url.split('://')[0]} database: use {tool} (this command copies SQLite databases only)", err=True)
    raise typer.Exit(2)


def register(db_app: typer.Typer) -> None:
    @db_app.command("backup")
    def backup(file: Path = typer.Argument(..., help="Where to write the copy.")) -> None:
        """Copy the SQLite database consistently while Tiket runs (PostgreSQL: use pg_dump)."""
        url = common.settings().database_url
        source = _sqlite_path(url)
        if source is None:
            _postgres_hint(url, "pg_dump")
        if not source.exists():
            typer.echo(f"{source}: no such database", err=True)
            raise typer.Exit(1)
        pages = _copy(source, file)
        typer.echo(f"backed up {source} to {file} ({pages} pages, schema {', '.join(sorted(_revisions(file)))})")

    @db_app.command("restore")
    def restore(file: Path = typer.Argument(..., help="A copy made by `tiket db backup`."),
                force: bool = typer.Option(False, "--force", help="Replace an existing database.")) -> None:
        """Put a backup in place after checking its schema version (stop Tiket first; PostgreSQL: pg_restore)."""
        url = common.settings().database_url
        target = _sqlite_path(url)
        if target is None:
            _postgres_hint(url, "pg_restore")
        if not file.exists():
            typer.echo(f"{file}: no such file", err=True)
            raise typer.Exit(2)
        found, heads = _revisions(file), _heads()
        if not found:
            typer.echo(f"{file}: not a Tiket database (no schema version)", err=True)
            raise typer.Exit(2)
        if not found <= heads and found != heads:
            newer = found - heads
            typer.echo(f"{file}: schema {', '.join(sorted(found))} does not match this version of Tiket "
                       f"({', '.join(sorted(heads))}){'; the backup is newer' if newer else ''}", err=True)
            raise typer.Exit(2)
        if target.exists() and not force:
            typer.echo(f"{target} exists; stop Tiket and pass --force to replace it", err=True)
            raise typer.Exit(2)
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        _copy(file, target)
        note = "" if found == heads else " (older schema: run `tiket db upgrade`)"
        typer.echo(f"restored {file} to {target}{note}")
