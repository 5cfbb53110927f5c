"""`tiket discord sync [--guild ID]`: publish the Discord application commands.

Not on every start: Discord allows 200 command creates a day per guild.
(`tiket run discord` lives in cli/runner.py.)
"""
from __future__ import annotations

from typing import Optional

import typer

from cli import common

discord_app = typer.Typer(help="Discord.", no_args_is_help=True)


@discord_app.command("sync")
def sync(guild: Optional[int] = typer.Option(None, "--guild", help="publish to this server only (instant)")) -> None:
    """Publish /ticket and the "Create ticket" message menu to Discord."""
    import asyncio

    settings = common.settings()
    if settings.discord.token is None:
        typer.echo("TIKET_DISCORD__TOKEN is not set", err=True)
        raise typer.Exit(2)
    from bot.discord.runtime import sync_commands

    container = common.container(platforms=frozenset({"discord"}), migrate=False)
    names = asyncio.run(sync_commands(container, guild))
    where = f"server {guild}" if guild else "all servers (may take up to an hour to appear)"
    typer.echo(f"published {', '.join(names)} to {where}")


def register(app: typer.Typer) -> None:
    app.add_typer(discord_app, name="discord")
