"""The whole role x action matrix, for an ordinary team and a confidential one."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from tickets.errors import PermissionDenied
from tickets.model import Ticket
from tickets.permissions import authorize, can_view
from tickets.teams import Actor, Directory, Team

NOW = datetime(2026, 11, 23, tzinfo=timezone.utc)
IT = Team("IT", "IT", agents=frozenset({"console:andi", "console:rina", "discord-role:9"}),
          supervisors=frozenset({"console:sari"}))
HR = Team("HR", "HR", confidential=True, agents=frozenset({"console:dewi"}), supervisors=frozenset({"console:sari"}))
DIRECTORY = Directory({"IT": IT, "HR": HR}, admins=frozenset({"console:admin"}))

ROLES = {
    "admin": Actor("console:admin"),
    "supervisor": Actor("console:sari"),
    "assignee": Actor("console:andi"),
    "other_agent": Actor("console:rina"),
    "agent_by_role": Actor("discord:77", groups=frozenset({"discord-role:9"})),
    "requester": Actor("console:budi"),
    "reporter": Actor("console:tono"),
    "watcher": Actor("console:wati"),
    "stranger": Actor("console:joko"),
}
ACTIONS = ["show", "history", "watch", "claim", "unclaim", "assign", "priority", "due", "wait", "resolve", "close",
           "reopen", "cancel", "comment", "note", "rate", "snooze"]
Y, N = True, False
# On an IT ticket assigned to andi, requested by budi, reported by tono, watched by wati.
MATRIX = {
    #               show hist watch claim uncl assign prio due wait resol close reopen cancel comm note rate snooze
    "admin":        [Y,  Y,   Y,    Y,    Y,   Y,     Y,   Y,  Y,   Y,    Y,    Y,     Y,     Y,   Y,   N,   Y],
    "supervisor":   [Y,  Y,   Y,    Y,    Y,   Y,     Y,   Y,  Y,   Y,    Y,    Y,     Y,     Y,   Y,   N,   Y],
    "assignee":     [Y,  Y,   Y,    Y,    Y,   N,     Y,   Y,  Y,   Y,    Y,    Y,     N,     Y,   Y,   N,   Y],
    "other_agent":  [Y,  Y,   Y,    Y,    N,   N,     N,   N,  N,   N,    N,    Y,     N,     Y,   Y,   N,   N],
    "agent_by_role": [Y, Y,   Y,    Y,    N,   N,     N,   N,  N,   N,    N,    Y,     N,     Y,   Y,   N,   N],
    "requester":    [Y,  Y,   Y,    N,    N,   N,     N,   N,  N,   N,    Y,    Y,     Y,     Y,   N,   Y,   N],
    "reporter":     [Y,  Y,   Y,    N,    N,   N,     N,   N,  N,   N,    Y,    Y,     Y,     Y,   N,   N,   N],
    "watcher":      [Y,  Y,   Y,    N,    N,   N,     N,   N,  N,   N,    N,    N,     N,     N,   N,   N,   N],
    "stranger":     [N,  N,   N,    N,    N,   N,     N,   N,  N,   N,    N,    N,     N,     N,   N,   N,   N],
}


def ticket(team: str = "IT", assignee: str | None = "console:andi") -> Ticket:
    return Ticket(team=team, number=1, title="t", requester="console:budi", reporter="console:tono",
                  created_at=NOW, updated_at=NOW, assignee=assignee, watchers={"console:wati"})


def allowed(role: str, action: str, tk: Ticket) -> bool:
    try:
        authorize(DIRECTORY, ROLES[role], action, tk, DIRECTORY.teams[tk.team])
    except PermissionDenied:
        return False
    return True


@pytest.mark.parametrize("role", list(MATRIX))
def test_matrix_on_an_assigned_ticket(role):
    tk = ticket()
    got = [allowed(role, action, tk) for action in ACTIONS]
    assert dict(zip(ACTIONS, got)) == dict(zip(ACTIONS, MATRIX[role]))


def test_any_agent_may_work_an_unassigned_ticket():
    tk = ticket(assignee=None)
    for action in ("claim", "priority", "due", "resolve", "close"):
        assert allowed("other_agent", action, tk), action
    assert not allowed("other_agent", "assign", tk)


CONFIDENTIAL_SEES = {"admin": Y, "supervisor": Y, "requester": Y, "reporter": N, "watcher": N, "stranger": N,
                     "assignee": N, "other_agent": N, "agent_by_role": N}


@pytest.mark.parametrize("role", list(CONFIDENTIAL_SEES))
def test_confidential_ticket_is_seen_only_by_requester_team_and_admins(role):
    tk = ticket(team="HR", assignee="console:dewi")
    assert can_view(DIRECTORY, ROLES[role], tk, HR) is CONFIDENTIAL_SEES[role]
    assert allowed(role, "show", tk) is CONFIDENTIAL_SEES[role]


def test_hr_agent_sees_confidential_ticket_but_it_agent_does_not():
    tk = ticket(team="HR", assignee=None)
    assert can_view(DIRECTORY, Actor("console:dewi"), tk, HR)
    assert not can_view(DIRECTORY, Actor("console:andi"), tk, HR)


def test_hidden_ticket_answers_not_found_not_forbidden():
    with pytest.raises(PermissionDenied) as info:
        authorize(DIRECTORY, ROLES["stranger"], "show", ticket(), IT)
    assert info.value.key == "not_found"


def test_a_non_agent_claiming_an_ordinary_ticket_is_told_only_agents_claim():
    for role in ("stranger", "requester", "watcher"):
        with pytest.raises(PermissionDenied) as info:
            authorize(DIRECTORY, ROLES[role], "claim", ticket(), IT)
        assert (info.value.key, info.value.params) == ("only_agents", {"team": "IT", "key": "IT-1"}), role
    with pytest.raises(PermissionDenied) as info:  # a confidential ticket's existence stays hidden
        authorize(DIRECTORY, ROLES["stranger"], "claim", ticket(team="HR"), HR)
    assert info.value.key == "not_found"
