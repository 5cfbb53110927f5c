"""`tiket serve slack [--host H] [--port P]`: the web process serving Slack over HTTP."""
from __future__ import annotations

import typer

from cli import common


def register(app: typer.Typer) -> None:
    serve_app = next((g.typer_instance for g in app.registered_groups if g.name == "serve"), None)
    if serve_app is None:
        serve_app = typer.Typer(help="Serve a platform over HTTP.", no_args_is_help=True)
        app.add_typer(serve_app, name="serve")

    @serve_app.command("slack")
    def serve_slack(host: str = typer.Option("0.0.0.0", help="Address to listen on."),
                    port: int = typer.Option(3000, envvar="PORT", help="Port (PORT is honoured).")) -> None:
        """Slack's events, commands and interactivity at POST /slack/events; /healthz, /readyz."""
        from bot.slack.app import SlackNotConfigured
        from bot.slack.runtime import run_slack

        container = common.container()
        try:
            run_slack(container, host=host, port=port, socket_mode=False)
        except SlackNotConfigured as exc:
            typer.echo(f"slack: {exc}", err=True)
            raise typer.Exit(2)
