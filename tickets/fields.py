"""Custom fields of a category (teams file), their validation, and canned replies.

Standard library only. Values come in as text (a form, a console line) and are stored as
JSON: text and choice as strings, number as int or float, date as ISO ``YYYY-MM-DD``, user as
an identity (``slack:U1``). Each bad field is named in the refusal (`FieldsInvalid.problems`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Mapping

from tickets.errors import ValidationError

FIELD_TYPES = ("text", "number", "date", "choice", "user")
APPROVALS = ("supervisor", "manager")
FIELD_TEXT_MAX = 500
USER_ID = re.compile(r"^(slack|discord|console|email|whatsapp|web):[\w.@+-]{1,100}$")


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str = "text"
    required: bool = False
    label_en: str = ""
    label_id: str = ""
    choices: tuple[str, ...] = ()

    def label(self, lang: str) -> str:
        return (self.label_id if lang == "id" else self.label_en) or self.label_en or self.name


@dataclass(frozen=True)
class Macro:
    """A team's canned reply: posted as the agent, optionally changing the status and adding a tag."""

    name: str
    text_en: str
    text_id: str = ""
    status: str | None = None  # wait | resolve | close (an action of the lifecycle table)
    tag: str | None = None

    def text(self, lang: str) -> str:
        return (self.text_id if lang == "id" else self.text_en) or self.text_en


class FieldsInvalid(ValidationError):
    """Some fields are wrong; `problems` holds (field, problem key, params) for each."""

    def __init__(self, problems: list[tuple[str, str, dict]]) -> None:
        super().__init__("fields_invalid", fields=", ".join(p[0] for p in problems))
        self.problems = problems


def _one(spec: FieldSpec, raw: Any) -> Any:
    text = str(raw).strip()
    if spec.type == "number":
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            raise ValueError("field_bad_number") from None
        if number != number or number in (float("inf"), float("-inf")):
            raise ValueError("field_bad_number")
        return int(number) if number.is_integer() else number
    if spec.type == "date":
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            raise ValueError("field_bad_date") from None
    if spec.type == "choice":
        for choice in spec.choices:
            if choice.lower() == text.lower():
                return choice
        raise ValueError("field_bad_choice")
    if spec.type == "user":
        if not USER_ID.match(text):
            raise ValueError("field_bad_user")
        return text
    if len(text) > FIELD_TEXT_MAX:
        raise ValueError("field_too_long")
    return text


def validate_fields(specs: tuple[FieldSpec, ...], values: Mapping[str, Any] | None,
                    *, partial: bool = False) -> dict[str, Any]:
    """Clean values for `specs`; refuse unknown, missing (unless `partial`) and malformed ones, each by name."""
    values = {str(k).strip().lower(): v for k, v in (values or {}).items()}
    by_name = {s.name.lower(): s for s in specs}
    problems: list[tuple[str, str, dict]] = []
    out: dict[str, Any] = {}
    for name in values:
        if name not in by_name:
            problems.append((name, "field_unknown", {"known": ", ".join(s.name for s in specs) or "-"}))
    for spec in specs:
        raw = values.get(spec.name.lower())
        if raw is None or str(raw).strip() == "":
            if spec.required and not partial:
                problems.append((spec.name, "field_required", {}))
            continue
        try:
            out[spec.name] = _one(spec, raw)
        except ValueError as exc:
            problems.append((spec.name, str(exc), {"choices": ", ".join(spec.choices)}))
    if problems:
        raise FieldsInvalid(problems)
    return out


def parse_assignments(text: str) -> dict[str, str]:
    """``start=2026-12-01 reason="family visit"`` -> {start: ..., reason: ...} (console and chat)."""
    import shlex

    try:
        parts = shlex.split(text or "")
    except ValueError:
        raise ValidationError("fields_syntax") from None
    out = {}
    for part in parts:
        name, sep, value = part.partition("=")
        if not sep or not name.strip():
            raise ValidationError("fields_syntax")
        out[name.strip()] = value
    return out


@dataclass(frozen=True)
class CategoryRules:
    """What a category asks for: its fields and whether it needs an approval first."""

    fields: tuple[FieldSpec, ...] = ()
    approval: str | None = None  # supervisor | manager
