"""The console and the CLI as a user runs them: real subprocesses on a real database."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import TEST_ENCRYPTION_KEY

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
_SCRIPT = Path(sys.executable).parent / "tiket"  # the installed console script, as a user runs it
TIKET = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "cli.main"]
ROOT = Path(__file__).resolve().parents[2]


def tiket(args, db_url, stdin="", teams=FIXTURES / "teams.toml", check=True):
    env = {**os.environ, "TIKET_DATABASE_URL": db_url, "TIKET_TEAMS_FILE": str(teams), "PYTHONPATH": str(ROOT)}
    env.setdefault("TIKET_ENCRYPTION__KEYS", TEST_ENCRYPTION_KEY)  # the teams have a confidential one
    env.pop("TIKET_SLACK__BOT_TOKEN", None)
    env.pop("TIKET_DISCORD__TOKEN", None)
    proc = subprocess.run(TIKET + args, input=stdin, capture_output=True, text=True, env=env, timeout=120,
                          cwd=ROOT)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


SESSION = """\
/as budi
/ticket new IT Laptop rusak | Layar mati total
/ticket buat hr Cuti tahunan | 3 hari
/as andi
/ticket ambil it-1
/ticket show HR-1
/as rina
/ticket claim IT-1
/ticket frobnicate
/as andi
/ticket selesai IT-1 ganti kabel
/as budi
/ticket rate IT-1 5 mantap
"""


def test_piped_console_session_then_cli_json(db_url):
    out = tiket(["console"], db_url, SESSION).stdout
    lines = out.splitlines()
    assert "budi>" not in out  # piped input: no prompt
    assert "Created IT-1: Laptop rusak" in lines
    assert "Created HR-1: Cuti tahunan" in lines
    assert any(line.startswith("[#it] 🎫 IT-1 · Laptop rusak") for line in lines)
    assert "[DM budi] IT-1 was claimed by andi: Laptop rusak" in lines
    assert "Ticket HR-1 was not found." in lines  # andi is IT, HR is confidential
    assert "IT-1 is already claimed by andi." in lines
    assert "Unknown command 'frobnicate'. Type /ticket help." in lines
    assert "Thank you for rating IT-1." in lines
    assert "Traceback" not in out

    listed = json.loads(tiket(["tickets", "list", "--json"], db_url).stdout)
    by_key = {t["key"]: t for t in listed}
    assert set(by_key) == {"IT-1", "HR-1"}
    it1 = by_key["IT-1"]
    assert (it1["status"], it1["assignee"], it1["requester"], it1["team"]) == (
        "resolved", "console:andi", "console:budi", "IT")
    required = {"key", "team", "title", "description", "status", "priority", "requester", "assignee", "source",
                "created_at", "updated_at", "due_at", "first_response_due", "resolution_due"}
    assert required <= set(it1)
    assert by_key["HR-1"]["assignee"] is None

    shown = json.loads(tiket(["tickets", "show", "it-1", "--json"], db_url).stdout)
    assert [h["action"] for h in shown["history"]] == ["open", "claim", "resolve", "rate"]
    assert [c["body"] for c in shown["comments"]] == ["ganti kabel"]


def test_restart_shows_every_ticket_as_it_was(db_url):
    tiket(["console"], db_url, "/as budi\n/ticket new LOG Kursi patah\n")
    out = tiket(["console"], db_url, "/as budi\n/ticket list\n").stdout
    assert "LOG-1 [new] [normal] Kursi patah" in out


def test_console_form_asks_field_by_field(db_url):
    script = "/as budi\n/ticket new\nIT\nhardware\nPrinter macet\nKertas nyangkut\nurgent\n2d\n"
    out = tiket(["console"], db_url, script).stdout
    assert "Created IT-1: Printer macet" in out
    shown = json.loads(tiket(["tickets", "show", "IT-1", "--json"], db_url).stdout)
    assert (shown["priority"], shown["description"]) == ("urgent", "Kertas nyangkut")
    assert shown["due_at"] is not None


def test_console_form_re_asks_after_bad_input(db_url):
    script = "/as budi\n/ticket\nXX\nLOG\n-\n" + "y" * 151 + "\nMeja\n-\nsuper\nhigh\nkemarin\n-\n"
    out = tiket(["console"], db_url, script).stdout
    assert "There is no team XX." in out
    assert "The title is too long (at most 150 characters)." in out
    assert "'super' is not a priority" in out
    assert "I can't read 'kemarin' as a date; try" in out
    assert "Created LOG-1: Meja" in out


def test_config_check_names_file_field_and_problem(tmp_path):
    bad = tmp_path / "teams.toml"
    bad.write_text('[[teams]]\nkey = "IT"\nname = "IT"\nagents = ["budi"]\n'
                   '[teams.sla]\nnormal = { first_response = "soon" }\n', encoding="utf-8")
    proc = tiket(["config", "check"], f"sqlite:///{tmp_path}/x.db", teams=bad, check=False)
    assert proc.returncode == 1
    assert f"{bad}: teams[IT].agents: Value error, 'budi' must start with one of" in proc.stderr
    assert f"{bad}: teams[IT].sla.normal.first_response: Value error, 'soon' is not a duration" in proc.stderr
    good = tiket(["config", "check"], f"sqlite:///{tmp_path}/x.db", teams=ROOT / "teams.example.toml")
    assert "3 teams: IT (IT Helpdesk), HR (HR), LOG (Logistik)" in good.stdout


def test_db_upgrade_is_idempotent(tmp_path):
    url = f"sqlite:///{tmp_path}/fresh.db"
    assert "up to date" in tiket(["db", "upgrade"], url).stdout
    assert "up to date" in tiket(["db", "upgrade"], url).stdout


def test_run_without_credentials_is_the_console(db_url):
    out = tiket(["run"], db_url, "/as joko\n/ticket new LOG Kardus habis\n/ticket help\n").stdout
    assert "Created LOG-1: Kardus habis" in out
    assert "  /ticket claim <KEY>" in out


def test_cli_bad_keys_get_a_clear_message(db_url):
    bad = tiket(["tickets", "show", "nonsense"], db_url, check=False)
    assert bad.returncode == 2 and "not a ticket key: nonsense" in bad.stderr and "Traceback" not in bad.stderr
    missing = tiket(["tickets", "show", "it-99"], db_url, check=False)
    assert missing.returncode == 1 and "IT-99: no such ticket" in missing.stderr
    unknown = tiket(["run", "fax"], db_url, check=False)
    assert unknown.returncode == 2 and "unknown process: fax" in unknown.stderr
