"""Refusals name things in the reader's words."""
from bot.render import render_error
from tickets.errors import ValidationError


def test_a_priority_that_does_not_change_is_named_in_the_readers_words():
    refusal = ValidationError("unchanged_priority", key="IT-1", priority="urgent")
    assert render_error(refusal, "id") == "IT-1 sudah berprioritas mendesak; tidak ada yang berubah."
    assert render_error(refusal, "en") == "IT-1 already has priority urgent; nothing changed."
