"""`tiket serve web [--host H] [--port P]`: the one web process (Slack's endpoints, the request form,
status pages, the REST API, /healthz and /readyz). `tiket serve slack` is the same command."""
from __future__ import annotations

import typer

from cli import common


def serve(host: str, port: int) -> None:
    from bot.slack.app import SlackNotConfigured
    from bot.web.factory import WebNotConfigured
    from bot.web.serve import run_web

    container = common.container()
    try:
        run_web(container, host=host, port=port)
    except (SlackNotConfigured, WebNotConfigured) as exc:
        typer.echo(f"web: {exc}", err=True)
        raise typer.Exit(2)


def revoke_links(key: str) -> None:
    from storage.web import WebStore
    from tickets.errors import TicketError
    from tickets.model import parse_key

    container = common.container(migrate=False)
    try:
        team, number = parse_key(key)
    except TicketError:
        typer.echo(f"not a ticket key: {key}", err=True)
        raise typer.Exit(2)
    store = WebStore(container.engine)
    ticket_id = store.ticket_id(team, number)
    if ticket_id is None:
        typer.echo(f"{key.upper()}: no such ticket", err=True)
        raise typer.Exit(1)
    count = store.revoke_links(ticket_id, container.clock.now())
    typer.echo(f"{key.upper()}: {count} status link(s) revoked; the requester gets a new one with the next form")


def register(app: typer.Typer) -> None:
    web_app = typer.Typer(help="The web door.", no_args_is_help=True)
    links_app = typer.Typer(help="Requesters' status links.", no_args_is_help=True)
    web_app.add_typer(links_app, name="links")
    app.add_typer(web_app, name="web")

    @links_app.command("revoke")
    def revoke(key: str = typer.Argument(..., help="The ticket, e.g. IT-42.")) -> None:
        """Revoke every status link of a ticket: they answer 404 from now on."""
        revoke_links(key)

    serve_app = next((g.typer_instance for g in app.registered_groups if g.name == "serve"), None)
    if serve_app is None:
        serve_app = typer.Typer(help="Serve over HTTP.", no_args_is_help=True)
        app.add_typer(serve_app, name="serve")

    @serve_app.command("web")
    def serve_web(host: str = typer.Option("0.0.0.0", help="Address to listen on."),
                  port: int = typer.Option(3000, envvar="PORT", help="Port (PORT is honoured).")) -> None:
        """One web process: /slack/events, the request form, status pages, /api/v1, /healthz, /readyz."""
        serve(host, port)
