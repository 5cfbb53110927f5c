"""The `/ticket` command grammar shared by every adapter (Slack, Discord, console).

`parse(text)` turns the text typed after `/ticket` into a `Command`. It reads the
command word (English or Indonesian, any case) from the command table and hands
the rest to that command's syntax; anything malformed is refused with a
`ValidationError` carrying a catalog key; no other exception ever leaves `parse`.

Standard library only.
"""
from __future__ import annotations

import re

from tickets.arguments import PRIORITIES, Command, split_first
from tickets.commands import COMMANDS, TABLE, WORDS, spec_for, usage
from tickets.dates import DueSpec, clip, parse_due, parse_duration
from tickets.errors import ValidationError
from tickets.periods import is_period

__all__ = ["ACTIONS", "ALIASES", "INDONESIAN", "PRIORITIES", "USAGE", "Command", "DueSpec", "is_period", "parse",
           "parse_due", "parse_duration"]

ACTIONS: tuple[str, ...] = tuple(spec.name for spec in TABLE)
# canonical action -> its Indonesian command word ("form" has none of its own)
INDONESIAN: dict[str, str] = {spec.name: spec.words["id"] for spec in TABLE if spec.name != "form"}
# typed command word (lower case) -> canonical action
ALIASES: dict[str, str] = dict(WORDS)
# canonical action ("" for none) -> English usage line
USAGE: dict[str, str] = {"": usage(""), **{name: usage(name) for name in COMMANDS}}

_PREFIX_RE = re.compile(r"^/(?:ticket|tiket)(?=\s|$)", re.IGNORECASE)


def parse(text: str) -> Command:
    """Parse the text after `/ticket`. Raises only ValidationError."""
    if not isinstance(text, str):
        raise ValidationError("usage", command="")
    body = _PREFIX_RE.sub("", text.strip(), count=1)
    word, rest = split_first(body)
    if not word:
        return Command("form")
    spec = spec_for(word)
    if spec is None:
        raise ValidationError("unknown_command", word=clip(word))
    if spec.name == "help":
        return _help(rest)
    return spec.syntax(spec.name, rest)


def _help(rest: str) -> Command:
    word, more = split_first(rest)
    if not word:
        return Command("help")
    if more:
        raise ValidationError("usage", command="help")
    topic = spec_for(word)
    if topic is None:
        raise ValidationError("unknown_command", word=clip(word))
    return Command("help", text=topic.name)
