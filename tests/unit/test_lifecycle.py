"""The lifecycle table: allowed moves go where they should, the rest are refused."""
import pytest

from tickets.errors import InvalidTransition, ValidationError
from tickets.model import Status, TRANSITIONS, check_transition, parse_key, validate_title

S = Status
EXPECTED = {
    "claim": {S.NEW: S.IN_PROGRESS, S.IN_PROGRESS: S.IN_PROGRESS, S.WAITING: S.IN_PROGRESS},
    "assign": {S.NEW: S.IN_PROGRESS, S.IN_PROGRESS: S.IN_PROGRESS, S.WAITING: S.IN_PROGRESS},
    "unclaim": {S.IN_PROGRESS: S.NEW, S.WAITING: S.NEW},
    "wait": {S.IN_PROGRESS: S.WAITING},
    "resume": {S.WAITING: S.IN_PROGRESS},
    "resolve": {S.NEW: S.RESOLVED, S.IN_PROGRESS: S.RESOLVED, S.WAITING: S.RESOLVED},
    "close": {S.NEW: S.CLOSED, S.IN_PROGRESS: S.CLOSED, S.WAITING: S.CLOSED, S.RESOLVED: S.CLOSED,
              S.AWAITING_APPROVAL: S.CLOSED},
    "reopen": {S.RESOLVED: S.NEW, S.CLOSED: S.NEW},
    "cancel": {S.NEW: S.CANCELLED, S.AWAITING_APPROVAL: S.CANCELLED},
    # team workflows (issue 15)
    "approve": {S.AWAITING_APPROVAL: S.NEW},
    "reject": {S.AWAITING_APPROVAL: S.CLOSED},
    "merge": {S.NEW: S.CLOSED, S.IN_PROGRESS: S.CLOSED, S.WAITING: S.CLOSED, S.RESOLVED: S.CLOSED},
}


@pytest.mark.parametrize("action", sorted(EXPECTED))
@pytest.mark.parametrize("status", list(Status))
def test_transition_table(action, status):
    if status in EXPECTED[action]:
        assert check_transition(action, status) == EXPECTED[action][status]
    else:
        with pytest.raises(InvalidTransition) as info:
            check_transition(action, status)
        assert info.value.params == {"action": action, "status": status.value}


def test_every_action_in_the_table_is_tested():
    assert set(TRANSITIONS) == set(EXPECTED)


def test_closed_and_cancelled_are_not_open():
    assert {s for s in Status if s.is_open} == {S.NEW, S.IN_PROGRESS, S.WAITING, S.AWAITING_APPROVAL}


def test_keys_are_case_insensitive():
    assert parse_key(" it-42 ") == ("IT", 42)
    with pytest.raises(ValidationError):
        parse_key("IT42")


def test_title_limits():
    assert validate_title("  Printer  ") == "Printer"
    assert len(validate_title("x" * 150)) == 150
    with pytest.raises(ValidationError) as info:
        validate_title("x" * 151)
    assert info.value.key == "title_too_long"
    with pytest.raises(ValidationError):
        validate_title("   ")
