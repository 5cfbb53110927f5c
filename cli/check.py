"""`tiket config check`, and settings errors that name the environment variable.

The check reads the teams file exactly as `tiket run` does (the shipped example
when there is no teams.toml, and says so), and prints what each team's SLA
targets mean in working time, so nobody is surprised by `3d` meaning three
working days.
"""
from __future__ import annotations

import typer

_KINDS = {
    "float_parsing": "a number", "float_type": "a number", "int_parsing": "a whole number",
    "int_type": "a whole number", "int_from_float": "a whole number", "bool_parsing": "true or false",
    "bool_type": "true or false", "string_type": "text", "missing": "a value",
}


def env_name(loc: tuple) -> str:
    return "TIKET_" + "__".join(str(part).upper() for part in loc)


def settings_problems(exc: Exception) -> list[str]:
    """One line per settings error: the variable, what it holds, what it should hold."""
    errors = getattr(exc, "errors", None)
    if not callable(errors):
        return [f"settings: {exc}"]
    lines = []
    for err in errors():
        name = env_name(err.get("loc") or ())
        shown = err.get("input")
        value = f"={shown}" if isinstance(shown, (str, int, float)) else ""
        kind = _KINDS.get(str(err.get("type")))
        if kind is not None:
            lines.append(f"{name}{value}: must be {kind}")
        else:
            message = str(err.get("msg") or "not valid").removeprefix("Value error, ")
            lines.append(f"{name}{value}: {message}")
    return lines


def load_settings():
    """Settings from the environment and .env, or exit 1 naming each bad variable."""
    from pydantic import ValidationError

    from config.settings import Settings

    try:
        return Settings()
    except ValidationError as exc:
        for line in settings_problems(exc):
            typer.echo(line, err=True)
        raise typer.Exit(1)


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
    from cli.web import web_problems
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
