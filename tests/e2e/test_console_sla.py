"""The console, in-process on a FixedClock: a team whose targets are seconds gets the
warning to the assignee and the escalation to the supervisor as time passes."""
from __future__ import annotations

import io

from bot.console.app import Console
from cli.common import console_idle
from config.settings import Settings
from config.teams import load_teams
from config.wiring import build

TEAMS = """
language = "en"
[[teams]]
key = "OPS"
name = "Operations"
agents = ["console:andi"]
supervisors = ["console:sari"]
escalation = ["console:sari", "console:boss"]
[teams.sla]
normal = { first_response = "20s", resolution = "40s" }
[teams.calendar]
timezone = "Asia/Jakarta"
hours = "24/7"
"""


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


def test_console_prints_the_warning_and_the_escalation_as_time_passes(tmp_path, clock):
    teams = tmp_path / "teams.toml"
    teams.write_text(TEAMS, encoding="utf-8")
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'tiket.db'}", teams_file=str(teams), _env_file=None)
    container = build(settings, clock=clock, directory=load_teams(teams), platforms=frozenset({"console"}))
    script = Script("/ticket new OPS Server down | nothing answers\n"
                    "/as andi\n/ticket claim OPS-1\n"
                    "# wait 25\n# wait 5\n# wait 11\n# wait 1\n# wait 20\n", clock)
    out = io.StringIO()
    console = Console(container, stdin=script, stdout=out, user="budi", interactive=False)
    assert console.run(on_idle=console_idle(container)) == 0
    text = out.getvalue()
    warning = "[thread OPS-1] ⏰ andi: OPS-1 «Server down» is due in 10 s"
    escalation = "[DM sari] 🚨 OPS-1 «Server down» is overdue by 1 s"
    level2 = "[DM boss] 🚨 Escalation level 2: OPS-1 «Server down» is still overdue by 22 s"
    assert warning in text and escalation in text and level2 in text, text
    assert text.index(warning) < text.index(escalation) < text.index(level2)
    assert text.count(warning) == 1 and text.count("[DM sari] 🚨") == 1
