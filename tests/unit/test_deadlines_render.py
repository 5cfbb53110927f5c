"""SLA messages read well in both languages: durations in business time, people by name."""
from bot.render import render_message

PARAMS = {"key": "IT-7", "title": "VPN", "assignee": "console:andi", "due": "2026-11-23T10:00:00+00:00",
          "tz": "Asia/Jakarta", "overdue": 2 * 3600 + 15 * 60, "level": 2, "people": ["console:boss", "slack:U1"]}


def test_escalation_in_english_and_indonesian():
    en = render_message("sla_escalation_resolution", PARAMS, "en")
    assert en == ("🚨 Escalation level 2: IT-7 «VPN» is still overdue by 2 h 15 min (was due 23 Nov 2026 17:00 (WIB))."
                  " Now with: boss, U1.")
    id_ = render_message("sla_escalation_resolution", PARAMS, "id")
    assert "terlambat 2 jam 15 menit" in id_ and "Eskalasi tingkat 2" in id_ and "boss, U1" in id_


def test_warning_names_the_assignee_and_the_time_left():
    text = render_message("sla_warn_resolution", {**PARAMS, "left": 45 * 60}, "en")
    assert text.startswith("⏰ andi: IT-7 «VPN» is due in 45 min")


def test_other_templates_keep_numbers_as_they_are():
    assert "3" in render_message("sla_digest", {"name": "IT", "day": "2026-11-23", "open_count": 3,
                                                "overdue_count": 1, "unassigned_count": 0,
                                                "overdue_list": "IT-1", "unassigned_list": "-"}, "en")
