"""`tiket config check`, and settings errors that name the environment variable.

The check reads the teams file exactly as `tiket run` does (the shipped example
when there is no teams.toml, and says so), and prints what each team's SLA
targets mean in working time, so nobody is surprised by `3d` meaning three
working days.
"""
from __future__ import annotations

import typer

from cli.settings_errors import load_settings

def credential_problems(settings) -> list[str]:
    problems = []
    slack = settings.slack
    if slack.bot_token is not None and slack.signing_secret is None:
        problems.append("TIKET_SLACK__BOT_TOKEN is set but TIKET_SLACK__SIGNING_SECRET is not: Slack requests "
                        "cannot be verified without it (Basic Information > App Credentials)")
    if slack.client_id and slack.client_secret is None:
        problems.append("TIKET_SLACK__CLIENT_ID is set but TIKET_SLACK__CLIENT_SECRET is not")
    return problems


def in_words(duration, always_open: bool) -> str:
    """Duration(3, 0) -> "3 working days"; (0, 4 h) -> "4 working hours"; 24/7 -> "3 days"."""
    def unit(count: int, word: str) -> str:
        return f"{count} {word}{'' if count == 1 else 's'}"

    working = "" if always_open else "working "
    parts = []
    if duration.days:
        parts.append(unit(duration.days, f"{working}day" if not always_open else "day (24 h)"))
    hours, rest = divmod(duration.seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    for count, word in ((hours, "hour"), (minutes, "minute"), (seconds, "second")):
        if count:
            parts.append(unit(count, f"{working}{word}" if not always_open else word))
    return " and ".join(parts) or "-"


def target_lines(team) -> list[str]:
    calendar = team.calendar
    always = calendar is None or calendar.always_open
    lines = []
    order = ["urgent", "high", "normal", "low"]
    for priority, target in sorted(team.sla.items(), key=lambda item: order.index(item[0].value)):
        said = []
        if target.first_response is not None:
            said.append(f"first response {in_words(target.first_response, always)}")
        if target.resolution is not None:
            said.append(f"resolution {in_words(target.resolution, always)}")
        lines.append(f"  {priority.value}: {', '.join(said) or 'no targets'}")
    return lines


def web_problems(settings, directory) -> list[str]:
    """What `tiket config check` refuses about the web door (on when a team's web form is on)."""
    teams = [t.key for t in directory.teams.values() if t.web_form != "off"]
    if not teams:
        return []
    problems = []
    secret = settings.web.secret_problem()
    if secret:
        problems.append(f"settings: {secret} (the web form is on for {', '.join(teams)})")
    if not settings.web.base_url:
        problems.append(f"settings: TIKET_WEB__BASE_URL is missing (links in mails; web form on for {', '.join(teams)})")
    return problems


def config_check(connect: bool = False) -> None:
    """Validate the settings and the teams file; name the file, field and problem of each error
    (with `connect`, also log in to the mail servers)."""
    from config.teams import ConfigError, load_teams
    from config.wiring import teams_path

    settings = load_settings()
    problems = credential_problems(settings)
    for problem in problems:
        typer.echo(problem, err=True)
    path = teams_path(settings)  # the example when there is no teams.toml, as `tiket run` does
    if str(path) != settings.teams_file:
        typer.echo(f"note: {settings.teams_file} not found; checking {path}, which `tiket run` would use")
    try:
        directory = load_teams(path, language=settings.language)
    except ConfigError as exc:
        for problem in exc.problems:
            typer.echo(problem, err=True)
        raise typer.Exit(1)
    from cli.email import email_problems
    from storage.crypto import encryption_problems

    more = web_problems(settings, directory) + encryption_problems(settings, directory)
    mail_problems, mail_notes = email_problems(settings, directory, connect=connect)
    more += mail_problems
    for problem in more:
        typer.echo(problem, err=True)
    if problems or more:
        raise typer.Exit(1)
    teams = ", ".join(f"{t.key} ({t.name})" for t in directory.teams.values())
    typer.echo(f"settings ok; platforms: {', '.join(sorted(settings.platforms()))}; language: {settings.language}")
    typer.echo(f"{path}: {len(directory.teams)} teams: {teams}")
    for note in mail_notes:
        typer.echo(note)
    typer.echo("SLA targets (d = working days of the team's calendar ending at close of business, "
               "h/m = working hours/minutes):")
    for team in directory.teams.values():
        zone = getattr(team.calendar, "tz_name", "UTC")
        typer.echo(f"{team.key} ({zone}):")
        for line in target_lines(team) or ["  no SLA targets"]:
            typer.echo(line)
