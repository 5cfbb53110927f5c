"""Settings errors that name the environment variable, for every CLI command (`cli.common.settings`)
and `tiket config check` (cli/check.py)."""
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
