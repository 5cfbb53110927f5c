"""Shared by the workflow tests: a container on the workflow teams file, and outbox reading."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from sqlalchemy import select

from config.teams import load_teams
from config.wiring import build
from storage.models import OutboxRow
from tickets.teams import Actor

TEAMS = Path(__file__).resolve().parents[1] / "fixtures" / "teams_workflows.toml"
(BUDI, ANI, ANDI, RINA, SARI, DEWI, JOKO, MIRA, ADMIN) = (
    Actor(f"console:{n}") for n in ("budi", "ani", "andi", "rina", "sari", "dewi", "joko", "mira", "admin"))


def workflow_container(settings, engine, clock, **kwargs):
    settings = settings.model_copy(update={"teams_file": str(TEAMS), **kwargs})
    return build(settings, clock=clock, directory=load_teams(TEAMS), platforms=frozenset({"console"}),
                 migrate=False, engine=engine)


def outbox(container, **where):
    """Outbox rows (params opened: confidential teams' texts are sealed at rest) matching `where`."""
    with container.engine.connect() as conn:
        rows = conn.execute(select(OutboxRow).order_by(OutboxRow.id)).all()
    cipher = getattr(container, "cipher", None)
    opened = [SimpleNamespace(**{**r._mapping, "params": cipher.open_params(r.params) if cipher else r.params})
              for r in rows]
    return [r for r in opened if all(getattr(r, k) == v for k, v in where.items())]
