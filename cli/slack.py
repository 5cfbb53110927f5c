"""`tiket serve slack [--host H] [--port P]`: an alias of `tiket serve web` (Slack's endpoints are
served by the one web process, next to the request form, status pages and the API)."""
from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    serve_app = next((g.typer_instance for g in app.registered_groups if g.name == "serve"), None)
    if serve_app is None:
        serve_app = typer.Typer(help="Serve over HTTP.", no_args_is_help=True)
        app.add_typer(serve_app, name="serve")

    @serve_app.command("slack")
    def serve_slack(host: str = typer.Option("0.0.0.0", help="Address to listen on."),
                    port: int = typer.Option(3000, envvar="PORT", help="Port (PORT is honoured).")) -> None:
        """The same as `tiket serve web`: Slack at POST /slack/events, plus the web door, /healthz, /readyz."""
        from cli.web import serve

        serve(host, port)
