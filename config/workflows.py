"""The teams file's workflow parts: custom fields and approvals per category, canned replies, managers.

    [[teams]]
    key = "HR"
    categories = ["cuti"]
    approvals = { cuti = "manager" }            # or "supervisor"
    [[teams.fields.cuti]]
    name = "start"  type = "date"  required = true  label_en = "Start date"  label_id = "Tanggal mulai"
    [[teams.macros]]
    name = "restart"  text_en = "Please restart it."  text_id = "Silakan restart."  status = "resolve"  tag = "restart"

    [people]
    "slack:U1" = { manager = "slack:U9" }
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from tickets.fields import CategoryRules, FieldSpec, Macro


class FieldModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_]{0,39}$")
    type: Literal["text", "number", "date", "choice", "user"] = "text"
    required: bool = False
    label_en: str = ""
    label_id: str = ""
    choices: list[str] = []

    @model_validator(mode="after")
    def _choices(self):
        if self.type == "choice" and not self.choices:
            raise ValueError(f"field '{self.name}' of type choice needs choices")
        return self

    def spec(self) -> FieldSpec:
        return FieldSpec(self.name, self.type, self.required, self.label_en, self.label_id, tuple(self.choices))


class MacroModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=r"^[\w-]{1,40}$")
    text_en: str = Field(min_length=1, max_length=4000)
    text_id: str = Field(default="", max_length=4000)
    status: Literal["wait", "resolve", "close"] | None = None
    tag: str | None = Field(default=None, pattern=r"^[\w-]{1,40}$")

    def macro(self) -> Macro:
        return Macro(self.name, self.text_en, self.text_id, self.status, self.tag.lower() if self.tag else None)


class PersonModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    manager: str | None = None


class WorkflowParts(BaseModel):
    """Mixed into TeamSpec: checked against the team's categories."""

    fields: dict[str, list[FieldModel]] = {}
    approvals: dict[str, Literal["supervisor", "manager"]] = {}
    macros: list[MacroModel] = []

    @model_validator(mode="after")
    def _known_categories(self):
        categories = set(getattr(self, "categories", []))
        for part in ("fields", "approvals"):
            for category in getattr(self, part):
                if category not in categories:
                    raise ValueError(f"{part}: '{category}' is not one of the team's categories")
        names = [m.name.lower() for m in self.macros]
        if len(names) != len(set(names)):
            raise ValueError("macros: two macros have the same name")
        return self

    def category_rules(self) -> dict[str, CategoryRules]:
        out = {}
        for category in set(self.fields) | set(self.approvals):
            out[category] = CategoryRules(tuple(f.spec() for f in self.fields.get(category, [])),
                                          self.approvals.get(category))
        return out

    def macro_list(self) -> tuple[Macro, ...]:
        return tuple(m.macro() for m in self.macros)


def managers(people: dict) -> dict[str, str]:
    """person -> manager from the [people] entries that are tables (plain strings are mail links)."""
    return {person: spec.manager for person, spec in people.items() if isinstance(spec, PersonModel) and spec.manager}
