"""Helpers every CLI command uses: settings and the container, with clear errors."""
from __future__ import annotations

import typer


def settings():
    from config.settings import Settings

    return Settings()


def container(**kwargs):
    from config.teams import ConfigError
    from config.wiring import build

    try:
        return build(settings(), **kwargs)
    except ConfigError as exc:
        for problem in exc.problems:
            typer.echo(problem, err=True)
        raise typer.Exit(1)


def console_idle(container):
    """What the console does between lines: the scheduler's sweep and delivery."""
    from scheduler.jobs import tick

    return lambda: tick(container)
