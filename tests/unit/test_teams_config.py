"""The teams file: what it builds, and errors that name the file, the field and the problem."""
from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from config.settings import Settings
from config.teams import ConfigError, load_teams, parse_teams
from tickets.dates import Duration
from tickets.model import Priority

ROOT = Path(__file__).resolve().parents[2]


def test_example_file_builds_three_teams_with_calendars_and_targets():
    d = load_teams(ROOT / "teams.example.toml")
    assert list(d.teams) == ["IT", "HR", "LOG"]
    it, hr = d.teams["IT"], d.teams["HR"]
    assert hr.confidential and not it.confidential
    assert it.sla[Priority.URGENT].first_response == Duration(seconds=15 * 60)
    assert it.sla[Priority.NORMAL].resolution == Duration(days=3)  # working days
    assert "console:andi" in it.agents and "console:sari" in it.supervisors
    assert it.escalation == ("console:sari", "console:admin")
    assert d.default_language == "id"
    # Indonesian Independence Day (from the holidays package) and an extra date are closed
    assert it.calendar.is_holiday(date(2026, 8, 17))
    assert it.calendar.is_holiday(date(2026, 12, 24))
    # lunch break in Jakarta time: 12:30 WIB = 05:30 UTC on a Monday
    assert not it.calendar.is_open(datetime(2026, 11, 23, 5, 30, tzinfo=timezone.utc))
    assert it.calendar.is_open(datetime(2026, 11, 23, 6, 30, tzinfo=timezone.utc))


@pytest.mark.parametrize("fragment, problem", [
    ({"key": "I T"}, "teams[I T].key: String should match pattern"),
    ({"agents": ["andi"]}, "teams[IT].agents: Value error, 'andi' must start with one of"),
    ({"sla": {"normal": {"resolution": "2 fortnights"}}},
     "teams[IT].sla.normal.resolution: Value error, '2 fortnights' is not a duration"),
    ({"sla": {"vip": {"resolution": "2d"}}}, "teams[IT].sla.vip.[key]: Input should be 'low', 'normal', 'high'"),
    ({"calendar": {"timezone": "Mars/Olympus"}}, "teams[IT].calendar.timezone: Value error, unknown time zone"),
    ({"calendar": {"hours": "mon-fri 17:00-08:00x"}}, "teams[IT].calendar.hours: Value error"),
    ({"calendar": {"holidays": "XX"}}, "teams[IT].calendar.holidays: Value error, unknown holiday country code"),
    ({"colour": "blue"}, "teams[IT].colour: Extra inputs are not permitted"),
])
def test_errors_name_field_and_problem(fragment, problem):
    team = {"key": "IT", "name": "IT"} | fragment
    with pytest.raises(ConfigError) as info:
        parse_teams({"teams": [team]}, "teams.toml")
    assert any(p.startswith("teams.toml: ") and problem in p for p in info.value.problems), info.value.problems


def test_duplicate_keys_and_missing_file(tmp_path):
    with pytest.raises(ConfigError) as info:
        parse_teams({"teams": [{"key": "IT", "name": "a"}, {"key": "it", "name": "b"}]}, "t.toml")
    assert info.value.problems == ["t.toml: teams: duplicate team key IT"]
    with pytest.raises(ConfigError) as info:
        load_teams(tmp_path / "nope.toml")
    assert "file not found" in info.value.problems[0]
    bad = tmp_path / "bad.toml"
    bad.write_text("[[teams]\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_teams(bad)
    assert "not valid TOML" in info.value.problems[0]


def test_settings_read_prefixed_nested_environment(monkeypatch):
    monkeypatch.setenv("TIKET_DATABASE_URL", "postgresql://x@127.0.0.1/tiket")
    monkeypatch.setenv("TIKET_SLACK__BOT_TOKEN", "xoxb-secret")
    monkeypatch.setenv("TIKET_SCHEDULER__SWEEP_SECONDS", "5")
    s = Settings(_env_file=None)
    assert s.database_url == "postgresql://x@127.0.0.1/tiket"
    assert s.slack.bot_token.get_secret_value() == "xoxb-secret"
    assert "xoxb-secret" not in repr(s)
    assert s.scheduler.sweep_seconds == 5
    assert s.platforms() == frozenset({"slack"})


def test_no_credentials_means_console(monkeypatch):
    for name in ("TIKET_SLACK__BOT_TOKEN", "TIKET_DISCORD__TOKEN", "TIKET_SLACK__CLIENT_ID"):
        monkeypatch.delenv(name, raising=False)
    assert Settings(_env_file=None).platforms() == frozenset({"console"})
