"""Approvals before work starts, custom fields per category: on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import timedelta

import pytest

from bot.render import render_error, render_view
from scheduler.jobs import SlaEngine
from tickets.errors import NotFound, PermissionDenied, ValidationError
from tickets.fields import FieldsInvalid
from tickets.model import Status
from tickets.serialize import ticket_json

from tests.integration.workflow_helpers import ANI, BUDI, DEWI, JOKO, MIRA, SARI, outbox, workflow_container

LEAVE = {"start": "2026-12-01", "days": "3", "kind": "Annual"}


@pytest.fixture
def wf(settings, engine, clock):
    return workflow_container(settings, engine, clock)


def test_fields_are_validated_field_by_field(wf):
    with pytest.raises(FieldsInvalid) as bad:
        wf.service.open(BUDI, "HR", "leave", category="cuti",
                        fields={"start": "1 Dec", "days": "three", "kind": "holiday", "colour": "red"})
    assert {(name, problem) for name, problem, _ in bad.value.problems} == {
        ("start", "field_bad_date"), ("days", "field_bad_number"), ("kind", "field_bad_choice"),
        ("colour", "field_unknown")}
    text = render_error(bad.value, "en")
    assert "start: not a date (YYYY-MM-DD)" in text and "kind: choose one of annual, sick" in text
    assert "colour: no such field" in render_error(bad.value, "id").replace("tidak ada isian ini", "no such field")
    with pytest.raises(FieldsInvalid) as missing:
        wf.service.open(BUDI, "HR", "leave", category="cuti", fields={"kind": "sick"})
    assert [(n, p) for n, p, _ in missing.value.problems] == [("start", "field_required"), ("days", "field_required")]
    with pytest.raises(FieldsInvalid):
        wf.service.open(BUDI, "LOG", "chairs", category="permintaan barang",
                        fields={"item": "chair", "quantity": "4", "for_user": "not a person"})
    assert wf.queries.list(BUDI, "mine") == []  # nothing stored


def test_valid_fields_are_stored_typed_and_shown(wf):
    ticket = wf.service.open(BUDI, "LOG", "chairs", category="permintaan barang",
                             fields={"item": "office chair", "quantity": "4", "for_user": "console:ani"}).ticket
    shown = wf.queries.show(BUDI, ticket.key).ticket
    assert shown.fields == {"item": "office chair", "quantity": 4, "for_user": "console:ani"}
    assert ticket_json(shown)["fields"]["quantity"] == 4
    updated = wf.service.set_fields(JOKO, ticket.key, {"quantity": "6"})
    assert updated.fields["quantity"] == 6
    with pytest.raises(PermissionDenied):
        wf.service.set_fields(BUDI, ticket.key, {"quantity": "60"})


def test_manager_approval_starts_the_clock_when_given(wf, clock):
    ticket = wf.service.open(BUDI, "HR", "leave in December", category="cuti", fields=LEAVE).ticket
    assert ticket.status == Status.AWAITING_APPROVAL
    assert ticket.first_response_due is None and ticket.resolution_due is None
    assert [r.template for r in outbox(wf, target="user:console:mira")] == ["approval_request"]
    assert wf.queries.show(MIRA, ticket.key)  # the manager may see the confidential request
    for who in (DEWI, ANI, BUDI):
        with pytest.raises(PermissionDenied):
            wf.service.approve(who, ticket.key)
    clock.at += timedelta(hours=5)
    approved = wf.service.approve(MIRA, ticket.key, "enjoy")
    assert approved.status == Status.NEW
    assert approved.first_response_due == clock.now() + timedelta(hours=2)  # counted from the approval
    assert approved.workflow["approval"]["by"] == "console:mira"
    assert "approval_approved" in [r.template for r in outbox(wf, target="user:console:budi")]
    event = [e for e in wf.queries.show(DEWI, ticket.key).history if e.action == "approve"][0]
    assert event.actor == "console:mira" and event.changes["approval"] == ["pending", "approved"]
    assert ticket_json(approved)["approval"]["decided_by"] == "console:mira"
    shown = render_view(wf.queries.show(BUDI, ticket.key), "id")
    assert "Disetujui oleh mira" in shown and "Isian: days: 3 · kind: annual · start: 2026-12-01" in shown
    with pytest.raises(ValidationError):
        wf.service.approve(MIRA, ticket.key)


def test_rejection_closes_with_the_reason_and_tells_the_requester(wf):
    ticket = wf.service.open(ANI, "HR", "certificate", category="surat keterangan").ticket
    assert "console:sari" in ticket.workflow["approval"]["approvers"]  # "supervisor": the team's supervisors
    with pytest.raises(ValidationError):
        wf.service.reject(SARI, ticket.key, "")
    rejected = wf.service.reject(SARI, ticket.key, "already issued last week")
    assert rejected.status == Status.CLOSED and rejected.closed_at is not None
    dm = [r for r in outbox(wf, target="user:console:ani") if r.template == "approval_rejected"][0]
    assert dm.params["reason"] == "already issued last week"
    assert any(c.body == "already issued last week" for c in wf.queries.show(ANI, ticket.key).comments)


def test_a_waiting_approval_is_reminded_then_escalated(wf, clock):
    ticket = wf.service.open(BUDI, "HR", "leave", category="cuti", fields=LEAVE).ticket
    engine = SlaEngine(wf)
    clock.at += timedelta(minutes=31)
    engine.sweep(clock.now())
    first = [r for r in outbox(wf, template="approval_reminder")]
    assert {r.target for r in first} == {"user:console:mira", "thread:HR-1"}
    clock.at += timedelta(minutes=30)
    engine.sweep(clock.now())
    targets = {r.target for r in outbox(wf, template="approval_reminder")}
    assert "user:console:sari" in targets  # the second reminder also reaches the escalation chain
    assert wf.queries.show(BUDI, ticket.key).ticket.status == Status.AWAITING_APPROVAL


def test_an_approval_can_be_cancelled_by_its_requester_but_not_worked_on(wf):
    ticket = wf.service.open(BUDI, "HR", "leave", category="cuti", fields=LEAVE).ticket
    with pytest.raises(Exception):
        wf.service.claim(DEWI, ticket.key)
    assert wf.service.cancel(BUDI, ticket.key).status == Status.CANCELLED


def test_approvers_do_not_see_other_confidential_tickets(wf):
    other = wf.service.open(ANI, "HR", "private").ticket
    with pytest.raises((NotFound, PermissionDenied)):
        wf.queries.show(MIRA, other.key)
