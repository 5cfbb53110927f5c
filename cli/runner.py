"""`tiket run`: the processes a deployment runs, in one process or one at a time."""
from __future__ import annotations

import typer

from cli import common


def _missing_credentials(settings, wanted: set[str]) -> str | None:
    """One line saying what to set when a platform asked for by name has no credentials."""
    slack = settings.slack
    if "slack" in wanted and (slack.signing_secret is None or not slack.configured):
        return ("Slack is not configured: set TIKET_SLACK__BOT_TOKEN and TIKET_SLACK__SIGNING_SECRET "
                "(plus TIKET_SLACK__APP_TOKEN for Socket Mode), or TIKET_SLACK__CLIENT_ID, __CLIENT_SECRET "
                "and __SIGNING_SECRET for many workspaces")
    if "discord" in wanted and not settings.discord.configured:
        return "Discord is not configured: set TIKET_DISCORD__TOKEN (and TIKET_DISCORD__APPLICATION_ID)"
    return None


def run(only: str | None) -> None:
    settings = common.settings()
    wanted = {only} if only else set(settings.platforms()) | {"scheduler"}
    unknown = wanted - {"slack", "discord", "scheduler", "console", "email"}
    if unknown:
        typer.echo(f"unknown process: {', '.join(sorted(unknown))} (slack, discord, email or scheduler)", err=True)
        raise typer.Exit(2)
    if "email" in wanted and not settings.email.configured:
        typer.echo("email: set TIKET_EMAIL__IMAP_URL (and TIKET_EMAIL__SMTP_URL, TIKET_EMAIL__FROM) first", err=True)
        raise typer.Exit(2)
    missing = _missing_credentials(settings, wanted)
    if missing:
        typer.echo(missing, err=True)
        raise typer.Exit(2)
    if "console" in wanted:
        container = common.container(platforms=frozenset({"console"}))
        raise typer.Exit(common.run_console(container))
    container = common.container()
    stoppers = []
    if settings.metrics_port:  # the web process serves /metrics itself; the others on this port
        server = container.metrics.serve(settings.metrics_port, settings.metrics_host)
        stoppers.append(server.shutdown)
    if "scheduler" in wanted:
        from scheduler.runtime import start_scheduler

        stoppers.append(start_scheduler(container))
    if "email" in wanted and wanted - {"email", "scheduler"}:
        from bot.email.runtime import start_email_background

        stoppers.append(start_email_background(container))
    try:
        if "slack" in wanted and "discord" not in wanted:
            from bot.slack.runtime import run_slack

            run_slack(container)  # blocks
        elif "discord" in wanted:
            if "slack" in wanted:
                from bot.slack.runtime import start_slack_background

                stoppers.append(start_slack_background(container))
            from bot.discord.runtime import run_discord

            run_discord(container)  # blocks
        elif "email" in wanted:
            from bot.email.runtime import run_email

            run_email(container)  # blocks
        else:
            from scheduler.runtime import wait_forever

            wait_forever()
    finally:
        for stop in stoppers:
            stop()
