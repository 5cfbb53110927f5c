"""The console, in-process on a FixedClock, with an office-hours team: who you are, leaving the
form, natural deadlines in the team's zone, the scheduler on a timer, and one "time left" figure
for one ticket everywhere (reply, card, show, list, reminder)."""
from __future__ import annotations

import io
import os
import re
import threading

import pytest

from bot.console.app import Console
from cli.common import console_idle
from config.settings import Settings
from config.teams import load_teams
from config.wiring import build
from scheduler.runtime import scheduler_ready

TEAMS = """
language = "en"
admins = ["console:admin"]
[[teams]]
key = "IT"
name = "IT Helpdesk"
agents = ["console:andi", "console:rina"]
supervisors = ["console:sari"]
escalation = ["console:sari"]
[teams.sla]
normal = { first_response = "4h", resolution = "2d" }
[teams.calendar]
timezone = "Asia/Jakarta"
hours = "mon-fri 08:00-12:00,13:00-17:00"
holidays = "ID"
"""
# the clock fixture starts on Monday 23 Nov 2026, 09:00 in Jakarta


class Script(io.StringIO):
    """Console input where a line `# wait N` moves the clock N seconds (the console ignores comments)."""

    def __init__(self, text, clock):
        super().__init__(text)
        self.clock = clock

    def readline(self, *args):
        line = super().readline(*args)
        if line.startswith("# wait "):
            self.clock.advance(seconds=int(line.split()[2]))
        return line


@pytest.fixture
def office(tmp_path, clock):
    teams = tmp_path / "teams.toml"
    teams.write_text(TEAMS, encoding="utf-8")
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'tiket.db'}", teams_file=str(teams), _env_file=None)
    return build(settings, clock=clock, directory=load_teams(teams), platforms=frozenset({"console"}))


def session(container, clock, text: str, user: str = "budi") -> str:
    out = io.StringIO()
    console = Console(container, stdin=Script(text, clock), stdout=out, user=user, interactive=False)
    assert console.run(on_idle=console_idle(container)) == 0
    return out.getvalue()


def test_the_console_says_who_you_are_and_who_the_agents_are(office, clock):
    out = session(office, clock, "/whoami\n/as andi\n/whoami\n/as sari\n/siapa\n/as admin\n/whoami\n")
    assert "You are budi: a requester (no team role)." in out
    assert "agents andi (IT), rina (IT); supervisors sari (IT); admins admin" in out
    assert out.count("You are budi: a requester") == 2  # at the start and for /whoami
    assert "You are andi: agent of IT." in out and "You are sari: supervisor of IT." in out
    assert "You are admin: an admin (every team)." in out


@pytest.mark.parametrize("leave", ["batal", "cancel", "/cancel", "", "BATAL"])
@pytest.mark.parametrize("answered", [0, 1, 3])
def test_the_form_can_be_left_at_any_question(office, clock, leave, answered):
    answers = ["IT", "Printer macet", "-", "-"][:answered]
    out = session(office, clock, "/ticket new\n" + "".join(a + "\n" for a in answers) + leave + "\n/ticket list\n")
    assert "The form was cancelled; no ticket was created." in out
    assert "Created IT-" not in out and "No tickets." in out


def test_optional_questions_are_skipped_with_a_dash_and_dates_read_naturally(office, clock):
    out = session(office, clock, "/ticket new\nIT\nPrinter macet\n-\n-\nbesok\n/ticket show IT-1\n")
    assert "Created IT-1: Printer macet" in out
    assert "Due: 24 Nov 2026 17:00 (WIB)" in out  # tomorrow's close of business, not midnight


def test_due_and_snooze_take_natural_dates_and_answer_in_the_team_zone(office, clock):
    out = session(office, clock, "/ticket new IT Printer macet\n/as andi\n/ticket claim IT-1\n"
                                 "/ticket due IT-1 jumat\n/ticket snooze IT-1 besok 10:00 vendor\n"
                                 "/ticket due IT-1 someday\n/ticket due IT-1 2026-11-01\n/ticket history IT-1\n")
    assert "Deadline set: IT-1" in out and "27 Nov 2026 17:00 (WIB)" in out
    assert "Reminders for IT-1 are snoozed until 24 Nov 2026 10:00 (WIB)." in out
    assert "snoozed reminders for IT-1 until 24 Nov 2026 10:00 (WIB)" in out
    assert "I can't read 'someday' as a date; try" in out
    assert "'2026-11-01' is already past" in out
    assert "due_at: - → 27 Nov 2026 17:00 (WIB)" in out  # history shows dates as dates
    assert "+00:00" not in out and "UTC" not in out


def test_the_scheduler_runs_on_a_timer_while_the_console_waits(office, clock):
    """Input comes from a pipe that stays open: the reminder appears with no line typed after the deadline."""
    read_fd, write_fd = os.pipe()
    created, seen = threading.Event(), threading.Event()

    class Out(io.StringIO):
        def write(self, text):
            if "Created IT-1" in text:
                created.set()
            if "«Printer macet» has had no response yet" in text:
                seen.set()
            return super().write(text)

    out = Out()
    stdin = os.fdopen(read_fd, "r")
    console = Console(office, stdin=stdin, stdout=out, user="budi", interactive=False)
    runner = threading.Thread(target=console.run, kwargs={"on_idle": console_idle(office), "every": 0.01})
    runner.start()
    with os.fdopen(write_fd, "w") as pipe:
        pipe.write("/ticket new IT Printer macet\n")
        pipe.flush()
        assert created.wait(timeout=30), out.getvalue()
        clock.advance(hours=3, minutes=1)  # past the first-response warning (75% of 4 working hours)
        assert seen.wait(timeout=30), out.getvalue()
    runner.join(timeout=30)
    assert not runner.is_alive()
    assert scheduler_ready(office)["last_beat"] is None  # the console is no scheduler


def test_one_time_left_figure_everywhere(office, clock):
    # Monday 09:00: budi opens, andi claims (the first response); "2d" ends Wednesday 17:00.
    # Wednesday 10:15 is 75% of the 23 working hours: the warning, then the same figure everywhere.
    wait = 2 * 86400 + 75 * 60
    out = session(office, clock, "/ticket new IT Printer macet\n/as andi\n/ticket claim IT-1\n"
                                 f"# wait {wait}\n/as sari\n/ticket assign IT-1 rina\n/ticket show IT-1\n/as rina\n/ticket list\n")
    after = out[out.index("is due in"):]
    reminder = re.findall(r"is due in (.+?) \(25 Nov 2026 17:00 \(WIB\)\)", out)
    reply = re.findall(r"Assigned: IT-1 .* · (.+?) left", after)
    card = re.findall(r"🎫 IT-1 · .*Due: 25 Nov 2026 17:00 \(WIB\) · (.+?) left", after)
    show = re.findall(r"^Due: 25 Nov 2026 17:00 \(WIB\) · (.+?) left$", after, re.M)
    listed = re.findall(r"^IT-1 \[in progress\].* · (.+?) left$", after, re.M)
    assert reminder == ["5 h 45 min"], out
    assert reply == card[-1:] == show == listed == reminder, out


def test_indonesian_uses_the_same_units(office, clock):
    out = session(office, clock, "/lang id\n/ticket buat IT Printer macet\n/tiket lihat IT-1\n")
    assert "Tenggat: 25 Nov 2026 17.00 (WIB) · sisa 2 hari kerja 7 jam" in out or \
        "Tenggat: 25 Nov 2026 17:00 (WIB) · sisa 2 hari kerja 7 jam" in out, out
    assert "Tenggat respons pertama: 23 Nov 2026" in out and "sisa 4 jam" in out
