"""Who may use the team workflows, role by role, on an ordinary and a confidential team."""
from __future__ import annotations

import pytest

from tests.unit.test_permissions import DIRECTORY, NOW, ROLES
from tickets.errors import PermissionDenied
from tickets.model import Status, Ticket
from tickets.permissions import authorize, can_view
from tickets.teams import Actor

ACTIONS = ["tag", "category", "fields", "macro", "move", "merge", "attach", "approve", "reject"]
Y, N = True, False
MATRIX = {  # on an IT ticket assigned to andi, requested by budi, reported by tono, watched by wati
    #                tag cat  fld  macro move merge attach approve reject
    "admin":         [Y,  Y,   Y,   Y,    Y,   Y,    Y,     Y,      Y],
    "supervisor":    [Y,  Y,   Y,   Y,    Y,   Y,    Y,     N,      N],
    "assignee":      [Y,  Y,   Y,   Y,    Y,   Y,    Y,     N,      N],
    "other_agent":   [Y,  Y,   Y,   Y,    Y,   Y,    Y,     N,      N],
    "agent_by_role": [Y,  Y,   Y,   Y,    Y,   Y,    Y,     N,      N],
    "requester":     [N,  N,   N,   N,    N,   N,    Y,     N,      N],
    "reporter":      [N,  N,   N,   N,    N,   N,    Y,     N,      N],
    "watcher":       [N,  N,   N,   N,    N,   N,    N,     N,      N],
    "stranger":      [N,  N,   N,   N,    N,   N,    N,     N,      N],
}


def ticket(team="IT", approvers=()):
    t = Ticket(team=team, number=1, title="x", requester="console:budi", reporter="console:tono",
               created_at=NOW, updated_at=NOW, assignee="console:andi", watchers={"console:wati"})
    if approvers:
        t.status = Status.AWAITING_APPROVAL
        t.workflow["approval"] = {"kind": "manager", "state": "pending", "approvers": list(approvers)}
    return t


def allowed(role, action, tk, team_key="IT"):
    try:
        authorize(DIRECTORY, ROLES[role], action, tk, DIRECTORY.teams[team_key])
        return True
    except PermissionDenied:
        return False


@pytest.mark.parametrize("role", sorted(MATRIX))
@pytest.mark.parametrize("index, action", list(enumerate(ACTIONS)))
def test_matrix(role, index, action):
    assert allowed(role, action, ticket()) is MATRIX[role][index], (role, action)


def test_only_a_supervisor_moves_a_ticket_out_of_a_confidential_team():
    tk = ticket("HR")
    tk.assignee = "console:dewi"
    assert not allowed("stranger", "move", tk, "HR")
    with pytest.raises(PermissionDenied) as refused:
        authorize(DIRECTORY, Actor("console:dewi"), "move", tk, DIRECTORY.teams["HR"])  # HR's agent
    assert refused.value.key == "move_needs_supervisor"
    assert allowed("supervisor", "move", tk, "HR") and allowed("admin", "move", tk, "HR")


def test_the_named_approver_decides_and_may_see_a_confidential_request():
    tk = ticket("HR", approvers=["console:joko"])
    assert can_view(DIRECTORY, ROLES["stranger"], tk, DIRECTORY.teams["HR"])  # joko is the approver
    assert allowed("stranger", "approve", tk, "HR") and allowed("stranger", "reject", tk, "HR")
    assert not allowed("stranger", "tag", tk, "HR")  # approving is all an approver may do
    assert not allowed("requester", "approve", tk, "HR")
    assert not can_view(DIRECTORY, ROLES["watcher"], tk, DIRECTORY.teams["HR"])
