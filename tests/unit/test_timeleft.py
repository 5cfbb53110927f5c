"""The one time-left figure: working days + hours, the same in reminders on every platform."""
from datetime import datetime, timezone
from pathlib import Path

import pytest

from bot.render import render_message
from bot.slack.blocks import message_text
from bot.timeleft import format_span, time_left
from config.teams import load_teams

IT = load_teams(Path(__file__).resolve().parents[2] / "teams.example.toml").teams["IT"].calendar
NOW = datetime(2026, 11, 26, 3, 0, tzinfo=timezone.utc)   # Thursday 10:00 in Jakarta
DUE = datetime(2026, 11, 30, 10, 0, tzinfo=timezone.utc)  # Monday 17:00


@pytest.mark.parametrize("days, seconds, en, id_", [
    (2, 3 * 3600, "2 working days 3 h", "2 hari kerja 3 jam"), (1, 0, "1 working day", "1 hari kerja"),
    (0, 3 * 3600 + 20 * 60, "3 h 20 min", "3 jam 20 menit"), (0, 45, "45 s", "45 detik"),
    (0, 0, "under a minute", "kurang dari semenit"), (3, 59 * 60, "3 working days", "3 hari kerja")])
def test_units_mean_the_same_in_each_language(days, seconds, en, id_):
    assert (format_span(days, seconds, "en"), format_span(days, seconds, "id")) == (en, id_)


def test_reminders_show_the_card_figure_with_or_without_the_calendar():
    # Thu 10:00 -> Mon 17:00: Thursday's 6 h, Friday whole, Monday whole
    assert time_left(DUE, NOW, "en", IT) == "2 working days 6 h left"
    params = {"key": "IT-7", "title": "VPN", "assignee": "console:andi", "due": DUE.isoformat(),
              "tz": "Asia/Jakarta", "left": 22 * 3600, "left_parts": [2, 6 * 3600]}
    console = render_message("sla_warn_resolution", params, "en", NOW, IT)
    slack = message_text("sla_warn_resolution", params, "en", NOW)  # Slack's notifier has no calendar
    assert "is due in 2 working days 6 h (30 Nov 2026 17:00 (WIB))" in console
    assert "is due in 2 working days 6 h" in slack
    assert "sisa 2 hari kerja 6 jam" in render_message("sla_warn_response", params, "id", NOW)
