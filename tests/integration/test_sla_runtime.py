"""The scheduler runtime: APScheduler jobs, the heartbeat /readyz and `tiket scheduler status` read,
and deadlines recomputed after the teams file changed."""
from __future__ import annotations

import dataclasses
import time
from datetime import datetime, timedelta, timezone

from typer.testing import CliRunner

from scheduler.jobs import SlaEngine
from scheduler.runtime import heartbeat_status, start_scheduler
from storage.sla import SqlSlaStore
from tickets.model import Priority
from tickets.teams import Actor, SlaTarget

BUDI = Actor("console:budi")


def test_heartbeat_is_fresh_after_a_sweep_and_stale_later(container, clock):
    assert heartbeat_status(container.engine, clock.now())["stale"] is True  # never beat
    SlaEngine(container).run()
    status = heartbeat_status(container.engine, clock.now(), max_age_seconds=60)
    assert status["ok"] and status["age_seconds"] == 0 and len(status["replicas"]) == 1
    clock.advance(seconds=61)
    assert heartbeat_status(container.engine, clock.now(), max_age_seconds=60)["stale"] is True


def test_the_apscheduler_runtime_sweeps_and_beats_until_stopped(container, clock):
    container.service.open(BUDI, "IT", "Printer")
    clock.advance(minutes=45)
    stop = start_scheduler(container, sweep_seconds=0.2, deliver_seconds=0.2)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not heartbeat_status(container.engine, clock.now())["ok"]:
            time.sleep(0.05)
    finally:
        stop()
    assert heartbeat_status(container.engine, clock.now())["ok"]
    warned = [r for r in container.outbox.rows() if r.template == "sla_warn_response_team"]
    assert len(warned) == 1


def test_scheduler_status_command_reports_stale_then_ok(settings, engine, monkeypatch):
    from cli.main import app

    monkeypatch.setenv("TIKET_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("TIKET_TEAMS_FILE", settings.teams_file)
    runner = CliRunner()
    result = runner.invoke(app, ["scheduler", "status"])
    assert result.exit_code == 1 and "STALE" in result.output
    SqlSlaStore(engine).beat("scheduler:test:1", datetime.now(timezone.utc))
    result = runner.invoke(app, ["scheduler", "status"])
    assert result.exit_code == 0 and "scheduler: ok" in result.output and "scheduler:test:1" in result.output


def test_changed_targets_in_the_teams_file_are_applied_to_open_tickets(container, clock, directory):
    ticket = container.service.open(BUDI, "IT", "Printer").ticket
    assert ticket.resolution_due == ticket.created_at + timedelta(hours=8)
    it = directory.teams["IT"]
    faster = dataclasses.replace(it, sla={**it.sla, Priority.NORMAL: SlaTarget(timedelta(minutes=30),
                                                                               timedelta(hours=4))})
    container.directory = dataclasses.replace(directory, teams={**directory.teams, "IT": faster})
    assert SlaEngine(container).refresh() == 1
    assert SlaEngine(container).refresh() == 0  # already up to date
    with container.uow() as uow:
        stored = uow.tickets.get("IT", 1)
    assert stored.resolution_due == ticket.created_at + timedelta(hours=4)
    assert stored.first_response_due == ticket.created_at + timedelta(minutes=30)
