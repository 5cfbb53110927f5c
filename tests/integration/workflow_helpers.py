"""Shared by the workflow tests: a container on the workflow teams file, and outbox reading."""
from __future__ import annotations

from pathlib import Path

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
    with container.engine.connect() as conn:
        rows = conn.execute(select(OutboxRow).order_by(OutboxRow.id)).all()
    return [r for r in rows if all(getattr(r, k) == v for k, v in where.items())]
