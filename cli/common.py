"""Helpers every CLI command uses: settings and the container, with clear errors."""
from __future__ import annotations

import typer


def settings():
    """Settings from the environment, or exit 1 with one line per bad variable (cli/settings_errors.py)."""
    from cli.settings_errors import load_settings

    return load_settings()


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
    """What the console does between lines and on its timer: the sweep and delivery, no heartbeat."""
    from scheduler.jobs import tick

    return lambda: tick(container, beat=False)


def run_console(container, user: str | None = None) -> int:
    """The console chat, its scheduler tick on a timer (TIKET_SCHEDULER__SWEEP_SECONDS) while it waits."""
    from bot.console.app import Console

    every = min(float(container.settings.scheduler.sweep_seconds or 15), 15.0)
    return Console(container, user=user).run(on_idle=console_idle(container), every=every)
