"""`tiket triage`: index tickets for smart triage, and try a suggestion from the command line."""
from __future__ import annotations

from typing import Optional

import typer

from cli import common

triage_app = typer.Typer(help="Smart triage (pip install 'tiket[ai]').", no_args_is_help=True)


def _service(container):
    from bot.i18n import t

    service = container.triage
    if service is None:
        typer.echo(t("triage.off", container.directory.default_language), err=True)
        raise typer.Exit(1)
    return service


@triage_app.command("index")
def index(limit: int = typer.Option(10_000, help="Embed at most this many tickets.")) -> None:
    """Embed the tickets that have no vector yet (the scheduler does this in the background)."""
    from bot.i18n import t

    container = common.container()
    service, done = _service(container), 0
    while done < limit:
        count = service.index(min(64, limit - done))
        if count == 0:
            break
        done += count
    typer.echo(t("triage.indexed", container.directory.default_language, count=done))


@triage_app.command("suggest")
def suggest(text: str = typer.Argument(..., help="The request, as a person would write it."),
            user: str = typer.Option("console:admin", "--as", help="Whose view: duplicates they may see.")) -> None:
    """Suggest a team, a category and possible duplicates for a request."""
    from bot.workflows_render import render_suggestion
    from tickets.teams import Actor

    container = common.container()
    suggestion = _service(container).suggest(Actor(user), text)
    typer.echo(render_suggestion(suggestion, container.directory, container.directory.default_language))


def register(app: typer.Typer) -> None:
    app.add_typer(triage_app, name="triage")
