"""The CLI as an operator meets it: config check in words, settings errors naming the variable,
one line for missing credentials, a readable `tickets show`, checked `tickets list` options."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
_SCRIPT = Path(sys.executable).parent / "tiket"
TIKET = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "cli.main"]


def tiket(args, cwd: Path, stdin: str = "", **env_vars: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIKET_")}
    env.update({"PYTHONPATH": str(ROOT), "TIKET_DATABASE_URL": f"sqlite:///{cwd / 'tiket.db'}", **env_vars})
    return subprocess.run(TIKET + args, input=stdin, capture_output=True, text=True, env=env, timeout=120, cwd=cwd)


def test_config_check_falls_back_to_the_example_and_says_what_targets_mean(tmp_path):
    from cryptography.fernet import Fernet

    key = Fernet.generate_key().decode()  # the example's HR team is confidential
    proc = tiket(["config", "check"], tmp_path, TIKET_ENCRYPTION__KEYS=key)
    assert proc.returncode == 0, proc.stderr
    assert "note: teams.toml not found; checking" in proc.stdout and "teams.example.toml" in proc.stdout
    assert "  normal: first response 4 working hours, resolution 3 working days" in proc.stdout
    assert "  urgent: first response 15 working minutes, resolution 4 working hours" in proc.stdout
    assert "LOG (Asia/Jakarta):\n  normal: first response 4 working hours, resolution 2 working days" in proc.stdout


@pytest.mark.parametrize("env, line", [
    ({"TIKET_LANGUAGE": "english"}, "TIKET_LANGUAGE=english: unknown language 'english': use en or id"),
    ({"TIKET_SCHEDULER__SWEEP_SECONDS": "often"}, "TIKET_SCHEDULER__SWEEP_SECONDS=often: must be a number"),
    ({"TIKET_RATE_LIMIT_PER_HOUR": "lots"}, "TIKET_RATE_LIMIT_PER_HOUR=lots: must be a whole number"),
    ({"TIKET_SLACK__BOT_TOKEN": "xoxb-1"},
     "TIKET_SLACK__BOT_TOKEN is set but TIKET_SLACK__SIGNING_SECRET is not"),
])
def test_config_check_names_the_variable_of_each_settings_error(tmp_path, env, line):
    proc = tiket(["config", "check"], tmp_path, **env)
    assert proc.returncode == 1
    assert line in proc.stderr
    assert "pydantic" not in proc.stderr and "Traceback" not in proc.stderr and "validation error" not in proc.stderr


@pytest.mark.parametrize("process, words", [("slack", "Slack is not configured: set TIKET_SLACK__BOT_TOKEN"),
                                            ("discord", "Discord is not configured: set TIKET_DISCORD__TOKEN")])
def test_run_without_credentials_says_what_to_set_in_one_line(tmp_path, process, words):
    proc = tiket(["run", process], tmp_path)
    assert proc.returncode == 2
    lines = [line for line in proc.stderr.splitlines() if not line.startswith("note:")]
    assert len(lines) == 1 and lines[0].startswith(words), proc.stderr


def test_tickets_show_reads_like_a_ticket_and_json_has_the_rating(tmp_path):
    teams = str(FIXTURES / "teams.toml")
    script = ("/as budi\n/ticket new IT Printer macet | kertas nyangkut\n/as andi\n/ticket claim IT-1\n"
              "/ticket comment IT-1 sudah dicek\n/ticket resolve IT-1 ganti roller\n/as budi\n"
              "/ticket rate IT-1 4 cepat\n")
    assert tiket(["console"], tmp_path, script, TIKET_TEAMS_FILE=teams).returncode == 0
    shown = tiket(["tickets", "show", "IT-1"], tmp_path, TIKET_TEAMS_FILE=teams)
    assert shown.returncode == 0, shown.stderr
    out = shown.stdout
    assert out.startswith("IT-1: Printer macet\nstatus: resolved · priority: normal")
    assert "requester: budi · assignee: andi" in out and "(WIB)" in out
    assert "[public] andi: sudah dicek" in out and "rating: 4/5 by budi — cepat" in out
    assert "{" not in out and "+00:00" not in out
    data = json.loads(tiket(["tickets", "show", "IT-1", "--json"], tmp_path, TIKET_TEAMS_FILE=teams).stdout)
    assert (data["rating"], data["rating_comment"]) == (4, "cepat")
    assert data["ratings"][0]["by"] == "console:budi"


@pytest.mark.parametrize("args, words", [(["--status", "bogus"], "unknown status 'bogus': use one of new,"),
                                         (["--team", "XX"], "unknown team 'XX': the teams file has HR, IT, LOG")])
def test_tickets_list_refuses_unknown_options_clearly(tmp_path, args, words):
    proc = tiket(["tickets", "list", *args], tmp_path, TIKET_TEAMS_FILE=str(FIXTURES / "teams.toml"))
    assert proc.returncode == 2 and words in proc.stderr and "Traceback" not in proc.stderr


def test_periods_refused_in_chat_and_cli_list_the_forms_and_quote_what_was_typed(tmp_path):
    teams = str(FIXTURES / "teams.toml")
    out = tiket(["console"], tmp_path, "/as sari\n/ticket stats last week\n/ticket export IT sometime\n",
                TIKET_TEAMS_FILE=teams).stdout
    assert "'last week' is not a period: use 7d, 4w, 30d, a month like 2026-11, or a date range" in out
    assert "'IT sometime' is not a period: use 7d" in out
    cli = tiket(["report", "--since", "2026-11-30", "--until", "2026-11-01"], tmp_path, TIKET_TEAMS_FILE=teams)
    assert cli.returncode != 0 and "'2026-11-30..2026-11-01' is not a period" in cli.stderr + cli.stdout
    assert "+00:00" not in cli.stderr + cli.stdout and "T17:00" not in cli.stderr + cli.stdout
