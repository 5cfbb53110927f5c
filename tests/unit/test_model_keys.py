"""Ticket keys: only ASCII digits make a number (str.isdigit() also accepts '¹', which int() refuses)."""
import pytest

from tickets.errors import ValidationError
from tickets.model import parse_key


@pytest.mark.parametrize("key", ["IT-¹", "IT-١٢", "IT-", "-1", "IT-1234567890", "IT-1.5", "IT- 1"])
def test_keys_that_are_not_ticket_keys_are_refused(key):
    with pytest.raises(ValidationError):
        parse_key(key)


def test_a_ticket_key_parses_in_any_case():
    assert parse_key(" it-42 ") == ("IT", 42)

