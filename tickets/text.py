"""Clean text: what people type is stored without invisible or terminal-controlling characters.

Standard library only. Removed everywhere: C0/C1 control characters (except newline and tab in
multi-line texts), ANSI escape sequences, format characters (Unicode category Cf: bidi overrides
and isolates, zero-width spaces and joiners, the byte-order mark, soft hyphens) and lone
surrogates. A NUL is refused, not removed (ValidationError "text_has_nul"), on every database
alike: PostgreSQL cannot store it, and a silently changed text would surprise its author.
"""
from __future__ import annotations

import re
import unicodedata

from tickets.errors import ValidationError

SEARCH_MAX = 200
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]|\x9b[0-?]*[ -/]*[@-~]")
_DROP = frozenset({"Cc", "Cf", "Cs"})


def _refuse_nul(text: str) -> None:
    if "\x00" in text:
        raise ValidationError("text_has_nul")


def _strip(text: str, keep: str) -> str:
    text = _ANSI.sub("", text)
    if text.isascii() and text.isprintable():
        return text
    return "".join(ch for ch in text if ch in keep or unicodedata.category(ch) not in _DROP)


def clean_line(text: str | None) -> str:
    """One line (a title, a search): line breaks and tabs become spaces, invisible characters go."""
    text = text or ""
    _refuse_nul(text)
    text = re.sub(r"[\r\n\t\v\f\x85\u2028\u2029]+", " ", text)
    return _strip(text, "").strip()


def clean_text(text: str | None) -> str:
    """A multi-line text (a description, a comment): newlines and tabs kept, line ends made \\n."""
    text = text or ""
    _refuse_nul(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
    return _strip(text, "\n\t").strip()


def clean_search(text: str | None) -> str:
    """A search text: one clean line, at most SEARCH_MAX characters."""
    text = clean_line(text)
    if len(text) > SEARCH_MAX:
        raise ValidationError("search_too_long", max=SEARCH_MAX)
    return text


def like_pattern(text: str, escape: str = "\\") -> str:
    """`%text%` for SQL LIKE with the text's own %, _ and escape characters matched literally."""
    for ch in (escape, "%", "_"):
        text = text.replace(ch, escape + ch)
    return f"%{text}%"
