"""The new-ticket modal asks for the custom fields of the team's categories and marks each bad one."""
from __future__ import annotations

from datetime import datetime, timezone

from bot.slack.modal import check_fields, new_ticket_modal, read_submission
from config.teams import load_teams
from tests.integration.workflow_helpers import TEAMS


class Service:
    from tickets.workflow import WorkflowActions

    check_category = WorkflowActions.check_category


NOW = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)


def view(values: dict) -> dict:
    def typed(block, v):
        if block in ("team", "priority") or block.endswith("|kind"):
            return {"value": {"type": "static_select", "selected_option": {"value": v} if v else None}}
        if block.endswith("|start"):
            return {"value": {"type": "datepicker", "selected_date": v}}
        return {"value": {"type": "plain_text_input", "value": v}}

    return {"state": {"values": {b: typed(b, v) for b, v in values.items()}}}


def test_the_modal_has_one_input_per_field_of_the_chosen_team():
    directory = load_teams(TEAMS)
    modal = new_ticket_modal(directory, "id", "HR")
    blocks = {b["block_id"]: b for b in modal["blocks"]}
    assert {"f|HR|cuti|start", "f|HR|cuti|days", "f|HR|cuti|kind"} <= set(blocks)
    assert not any(b.startswith("f|LOG") for b in blocks)
    assert blocks["f|HR|cuti|start"]["label"]["text"] == "cuti · Tanggal mulai *"
    assert blocks["f|HR|cuti|start"]["element"]["type"] == "datepicker"
    assert [o["value"] for o in blocks["f|HR|cuti|kind"]["element"]["options"]] == ["annual", "sick"]
    everyone = {b["block_id"] for b in new_ticket_modal(directory, "en")["blocks"]}
    assert "f|LOG|permintaan barang|quantity" in everyone


def test_bad_fields_are_marked_one_by_one_and_good_ones_read():
    directory = load_teams(TEAMS)
    base = {"team": "HR", "title": "Leave", "description": "", "category": "cuti", "priority": "normal", "due": ""}
    sub = read_submission(view({**base, "f|HR|cuti|days": "lots", "f|LOG|permintaan barang|item": "chair"}))
    errors, _ = check_fields(Service(), directory, sub, NOW, "en")
    assert errors == {"f|HR|cuti|start": "start: required", "f|HR|cuti|days": "days: not a number"}
    good = read_submission(view({**base, "f|HR|cuti|start": "2026-12-01", "f|HR|cuti|days": "2",
                                 "f|HR|cuti|kind": "sick"}))
    assert check_fields(Service(), directory, good, NOW, "en")[0] == {}
    assert good.fields_for("HR", "cuti") == {"start": "2026-12-01", "days": "2", "kind": "sick"}
