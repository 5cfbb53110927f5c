"""`tiket scheduler …`: is the SLA scheduler alive, and what is due."""
from __future__ import annotations

import json

import typer

from cli import common


def status(as_json: bool = typer.Option(False, "--json", help="machine-readable output")) -> None:
    """Show the scheduler's heartbeat (stale or not) and how many tickets are due; exit 1 when stale."""
    from scheduler.runtime import scheduler_ready
    from storage.sla import SqlSlaStore

    container = common.container()
    report = scheduler_ready(container)  # stale after four sweep intervals, at least a minute
    report["due_now"] = SqlSlaStore(container.engine).due_count(container.clock.now())
    report["pending_messages"] = len(container.outbox.rows("pending", limit=10000))
    report["dead_messages"] = len(container.outbox.rows("dead", limit=10000))
    if as_json:
        typer.echo(json.dumps(report, indent=2))
    else:
        if report["last_beat"] is None:
            typer.echo("scheduler: STALE (no heartbeat ever written; is `tiket run scheduler` running?)")
        else:
            state = "STALE" if report["stale"] else "ok"
            typer.echo(f"scheduler: {state} (last heartbeat {report['age_seconds']}s ago, at {report['last_beat']})")
        for replica in report["replicas"]:
            typer.echo(f"  {replica['name']}: {replica['age_seconds']}s ago")
        typer.echo(f"tickets due now: {report['due_now']}")
        typer.echo(f"messages pending: {report['pending_messages']}, dead: {report['dead_messages']}")
    if report["stale"]:
        raise typer.Exit(1)


def sweep() -> None:
    """Run one SLA sweep now (what the scheduler does every interval); delivery stays with the platforms."""
    from scheduler.jobs import SlaEngine

    container = common.container()
    result = SlaEngine(container).run()
    typer.echo(f"tickets handled: {result['swept']}, stale messages dropped: {result['dropped']}")


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="The SLA scheduler: heartbeat and sweeps.", no_args_is_help=True)
    group.command("status")(status)
    group.command("sweep")(sweep)
    app.add_typer(group, name="scheduler")
