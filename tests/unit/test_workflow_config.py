"""The teams file's workflow parts and the custom-field rules (standard library domain)."""
from __future__ import annotations

from pathlib import Path

import pytest

from config.teams import ConfigError, load_teams, parse_teams
from tickets.errors import ValidationError
from tickets.fields import FieldSpec, FieldsInvalid, parse_assignments, validate_fields
from tickets.workflow import parse_tag_changes

ROOT = Path(__file__).resolve().parents[2]


def team(**extra):
    return {"teams": [{"key": "HR", "name": "HR", "categories": ["cuti"], **extra}]}


def test_example_file_has_fields_approvals_macros_and_managers():
    d = load_teams(ROOT / "teams.example.toml")
    cuti = d.teams["HR"].rules_for("cuti")
    assert cuti.approval == "manager" and [f.name for f in cuti.fields] == ["start", "end", "reason"]
    assert d.teams["IT"].macros[0].name == "restart" and d.managers["console:budi"] == "console:sari"
    assert d.teams["IT"].rules_for("hardware").fields == ()


@pytest.mark.parametrize("extra, problem", [
    ({"approvals": {"holiday": "manager"}}, "approvals: 'holiday' is not one of the team's categories"),
    ({"approvals": {"cuti": "boss"}}, "Input should be 'supervisor' or 'manager'"),
    ({"fields": {"cuti": [{"name": "kind", "type": "choice"}]}}, "needs choices"),
    ({"fields": {"cuti": [{"name": "n", "type": "colour"}]}}, "Input should be 'text', 'number'"),
    ({"macros": [{"name": "a", "text_en": "x"}, {"name": "A", "text_en": "y"}]}, "two macros have the same name"),
    ({"macros": [{"name": "a", "text_en": "x", "status": "explode"}]}, "Input should be 'wait', 'resolve' or 'close'"),
])
def test_bad_workflow_parts_are_named(extra, problem):
    with pytest.raises(ConfigError) as err:
        parse_teams(team(**extra), "teams.toml")
    assert problem in "\n".join(err.value.problems)


SPECS = (FieldSpec("start", "date", True), FieldSpec("days", "number", True),
         FieldSpec("kind", "choice", choices=("annual", "sick")), FieldSpec("backup", "user"), FieldSpec("note"))


def test_values_are_typed():
    got = validate_fields(SPECS, {"Start": "2026-12-01", "days": "1,5", "kind": "SICK", "backup": "slack:U1"})
    assert got == {"start": "2026-12-01", "days": 1.5, "kind": "sick", "backup": "slack:U1"}
    assert validate_fields(SPECS, {"start": "2026-12-01", "days": "2"})["days"] == 2


@pytest.mark.parametrize("values, problem", [
    ({"start": "2026-13-01", "days": "1"}, ("start", "field_bad_date")),
    ({"start": "2026-12-01", "days": "nan"}, ("days", "field_bad_number")),
    ({"start": "2026-12-01", "days": "inf"}, ("days", "field_bad_number")),
    ({"start": "2026-12-01", "days": "1", "backup": "budi"}, ("backup", "field_bad_user")),
    ({"start": "2026-12-01", "days": "1", "note": "x" * 501}, ("note", "field_too_long")),
    ({"days": "1"}, ("start", "field_required")),
])
def test_each_bad_field_is_named(values, problem):
    with pytest.raises(FieldsInvalid) as err:
        validate_fields(SPECS, values)
    assert problem in [(n, p) for n, p, _ in err.value.problems]


def test_partial_updates_skip_required():
    assert validate_fields(SPECS, {"days": "4"}, partial=True) == {"days": 4}


def test_assignments_and_tag_changes_parse():
    assert parse_assignments('start=2026-12-01 reason="family visit"') == {"start": "2026-12-01",
                                                                           "reason": "family visit"}
    with pytest.raises(ValidationError):
        parse_assignments("start")
    with pytest.raises(ValidationError):
        parse_assignments('reason="unclosed')
    assert parse_tag_changes("+Printer -urgent lantai3") == ({"printer", "lantai3"}, {"urgent"})
    with pytest.raises(ValidationError):
        parse_tag_changes("")
