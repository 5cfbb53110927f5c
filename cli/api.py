"""`tiket api token create|list|revoke`: tokens for the REST API (/api/v1), scoped to teams."""
from __future__ import annotations

import re
from typing import List

import typer

from cli import common

NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")


def _tokens():
    from storage.api_tokens import ApiTokens

    container = common.container()
    return container, ApiTokens(container.engine)


def register(app: typer.Typer) -> None:
    api_app = typer.Typer(help="The REST API.", no_args_is_help=True)
    token_app = typer.Typer(help="API tokens: printed once, only a hash is stored.", no_args_is_help=True)
    api_app.add_typer(token_app, name="token")
    app.add_typer(api_app, name="api")

    @token_app.command("create")
    def create(team: List[str] = typer.Option(..., "--team", help="A team the token may see and write (repeat)."),
               name: str = typer.Option(..., "--name", help="A name to list and revoke it by.")) -> None:
        """Create a token for the teams given and print it (the only time it is shown)."""
        from storage.api_tokens import TokenExists

        if not NAME_RE.match(name):
            typer.echo(f"'{name}' is not a token name: letters, digits, '.', '_' and '-', at most 80", err=True)
            raise typer.Exit(2)
        container, tokens = _tokens()
        unknown = [t for t in team if t.upper() not in container.directory.teams]
        if unknown:
            typer.echo(f"unknown team(s): {', '.join(unknown)}; teams: {', '.join(sorted(container.directory.teams))}",
                       err=True)
            raise typer.Exit(2)
        try:
            token = tokens.create(name, team, container.clock.now())
        except TokenExists:
            typer.echo(f"a token named '{name}' exists; revoke it first or choose another name", err=True)
            raise typer.Exit(1)
        typer.echo(token)
        typer.echo(f"token '{name}' for {', '.join(sorted({t.upper() for t in team}))}: store it now, "
                   "it is not shown again", err=True)

    @token_app.command("list")
    def list_tokens() -> None:
        """Names, teams, created and last used."""
        _, tokens = _tokens()
        found = tokens.list()
        if not found:
            typer.echo("no API tokens")
        for tok in found:
            used = tok.last_used_at.isoformat(timespec="seconds") if tok.last_used_at else "never"
            typer.echo(f"{tok.name}\tteams={','.join(sorted(tok.teams))}\t"
                       f"created={tok.created_at.isoformat(timespec='seconds')}\tlast_used={used}")

    @token_app.command("revoke")
    def revoke(name: str = typer.Argument(..., help="The token's name.")) -> None:
        """Revoke a token at once: requests with it get 401."""
        _, tokens = _tokens()
        if not tokens.revoke(name):
            typer.echo(f"no token named '{name}'", err=True)
            raise typer.Exit(1)
        typer.echo(f"token '{name}' revoked")
