"""Rendering shared by the adapters: time left in business time, times in the team's zone."""
from datetime import datetime, timezone

from bot.render import render_card
from tickets.calendar import BusinessCalendar, parse_hours

FRIDAY_4PM = datetime(2026, 11, 27, 16, 0, tzinfo=timezone.utc)
MONDAY_9AM = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)
CARD = {"key": "LOG-1", "title": "Kursi", "status": "in_progress", "priority": "normal",
        "requester": "console:budi", "assignee": None, "due": MONDAY_9AM.isoformat(), "tz": "Asia/Jakarta"}


def test_card_counts_time_left_in_business_hours_when_given_the_calendar():
    office = BusinessCalendar(tz="UTC", hours=parse_hours("mon-fri 08:00-17:00"))
    assert "· 2 h left" in render_card(CARD, "en", FRIDAY_4PM, office)
    assert "· 2 working days 17 h left" in render_card(CARD, "en", FRIDAY_4PM)  # wall clock without one
    assert "· sisa 2 jam" in render_card(CARD, "id", FRIDAY_4PM, office)


def test_card_shows_the_deadline_in_the_team_time_zone():
    assert "Due: 30 Nov 2026 16:00 (WIB)" in render_card(CARD, "en", FRIDAY_4PM)
