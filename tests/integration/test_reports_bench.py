"""bench/report.py at its tiny size: it fills the database in SQL, times the report and the
plain Python loop, and the two must agree on every figure."""
from __future__ import annotations

import re

from bench.report import main


def test_report_benchmark_smoke(db_url, capsys):
    assert main(["--smoke", "--existing", "--url", db_url]) == 0
    out = capsys.readouterr().out
    assert "tickets 2,000" in out
    lines = [line for line in out.splitlines() if line.startswith("tiket report")]
    assert len(lines) == 2
    for line in lines:
        assert "figures agree: yes" in line
        assert re.search(r"SQL \d+\.\d+ s .* loop over all rows \d+\.\d+ s \| ratio \d+\.\d+x", line)
