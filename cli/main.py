"""`tiket`: run the bot, the console, migrations, config checks and ticket queries.

Platform and feature commands live in their own modules (cli/slack.py,
cli/discord.py, cli/scheduler.py, cli/report.py), each adding itself through
`register(app)`.
"""
from __future__ import annotations

import json
from typing import Optional

import typer

from cli import common

app = typer.Typer(help="Tiket: tickets inside team chat.", no_args_is_help=True, add_completion=False)
db_app = typer.Typer(help="Database migrations.", no_args_is_help=True)
config_app = typer.Typer(help="Configuration.", no_args_is_help=True)
tickets_app = typer.Typer(help="Query tickets.", no_args_is_help=True)
outbox_app = typer.Typer(help="The outgoing message queue.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(config_app, name="config")
app.add_typer(tickets_app, name="tickets")
app.add_typer(outbox_app, name="outbox")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Migrate the database to the newest schema."""
    from storage.migrate import upgrade

    settings = common.settings()
    upgrade(settings.database_url)
    typer.echo("database is up to date")


@config_app.command("check")
def config_check(connect: bool = typer.Option(False, "--connect",
                                               help="Also log in to the mail servers (IMAP and SMTP).")) -> None:
    """Validate the settings and the teams file; name the file, field and problem of each error,
    and say what each team's SLA targets mean in working time."""
    from cli.check import config_check as check

    check(connect=connect)


@app.command("console")
def console(user: Optional[str] = typer.Option(None, help="Who you are at the start (switch with /as).")) -> None:
    """A local chat on the configured database: type /ticket commands, see what the bot posts."""
    container = common.container(platforms=frozenset({"console"}))
    raise typer.Exit(common.run_console(container, user))


@app.command("run")
def run(only: Optional[str] = typer.Argument(None, help="slack, discord, email or scheduler alone")) -> None:
    """Run every configured platform and the scheduler; the console when no platform is configured."""
    from cli import runner

    runner.run(only)


@tickets_app.command("list")
def tickets_list(team: Optional[str] = typer.Option(None), status: Optional[str] = typer.Option(None),
                 as_json: bool = typer.Option(False, "--json"), limit: int = typer.Option(200)) -> None:
    """List tickets (all teams; this is an operator's tool)."""
    from tickets.serialize import ticket_json

    from cli.tickets_view import check_list_options

    container = common.container(migrate=False)
    check_list_options(container, team, status)
    with container.uow() as uow:
        found = uow.tickets.search(teams=[team.upper()] if team else None,
                                   statuses=[status.lower()] if status else None, limit=limit)
    if as_json:
        typer.echo(json.dumps([ticket_json(t) for t in found], ensure_ascii=False, indent=2))
        return
    for tk in found:
        typer.echo(f"{tk.key}\t{tk.status.value}\t{tk.priority.value}\t{tk.assignee or '-'}\t{tk.title}")


@tickets_app.command("show")
def tickets_show(key: str, as_json: bool = typer.Option(False, "--json")) -> None:
    """Show one ticket with its comments and history."""
    from tickets.errors import TicketError
    from tickets.serialize import ticket_json
    from tickets.model import parse_key

    container = common.container(migrate=False)
    try:
        team, number = parse_key(key)
    except TicketError:
        typer.echo(f"not a ticket key: {key}", err=True)
        raise typer.Exit(2)
    with container.uow() as uow:
        ticket = uow.tickets.get(team, number)
        if ticket is None:
            typer.echo(f"{key.upper()}: no such ticket", err=True)
            raise typer.Exit(1)
        comments = uow.comments(ticket.id, include_internal=True)
        history = uow.events(ticket.id)
    from cli.tickets_view import ratings, show_text

    data = ticket_json(ticket, comments=comments, history=history)
    data["ratings"] = ratings(container.engine, ticket.id)
    last = data["ratings"][-1] if data["ratings"] else None
    data["rating"], data["rating_comment"] = (last["score"], last["comment"]) if last else (None, None)
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    calendar = getattr(container.directory.teams.get(ticket.team), "calendar", None)
    typer.echo("\n".join(show_text(data, getattr(calendar, "tz_name", "UTC"))))


@outbox_app.command("list")
def outbox_list(status: Optional[str] = typer.Option(None, help="pending, sent or dead"),
                limit: int = typer.Option(50)) -> None:
    """Show queued, sent and dead messages."""
    container = common.container(migrate=False)
    for row in container.outbox.rows(status, limit):
        typer.echo(f"{row.id}\t{row.status}\t{row.platform}\t{row.target}\t{row.template}\t"
                   f"attempts={row.attempts}\t{row.last_error or ''}")


@outbox_app.command("retry")
def outbox_retry(ids: list[int] = typer.Argument(None, help="ids to retry; all dead ones when none given")) -> None:
    """Put dead messages back in the queue."""
    container = common.container(migrate=False)
    count = container.outbox.retry(ids or None, container.clock.now())
    typer.echo(f"{count} message(s) queued again")


def _register_features() -> None:
    from cli import api, db, discord, email, keys, privacy, report, scheduler, slack, triage, web

    for module in (slack, web, api, discord, scheduler, report, keys, privacy, email, triage):
        module.register(app)
    db.register(db_app)


_register_features()


def main() -> None:
    import os

    from config.logs import setup

    setup(os.environ.get("TIKET_LOG_FORMAT", "text").lower())
    app()


if __name__ == "__main__":
    main()
