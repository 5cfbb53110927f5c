"""bench/triage.py runs at a tiny size and its labelled set is what the issue asks for."""
from __future__ import annotations

import csv
from collections import Counter

from bench.triage import DATA, report, run


def test_labelled_set_has_300_requests_in_both_languages_with_duplicates():
    rows = list(csv.DictReader((DATA / "triage_requests.csv").open(encoding="utf-8")))
    assert len(rows) >= 300
    assert set(Counter(r["lang"] for r in rows)) == {"en", "id"}
    ids = {r["id"]: r for r in rows}
    dups = [r for r in rows if r["dup_of"]]
    assert len(dups) >= 30 and all(ids[r["dup_of"]]["split"] == "history" for r in dups)


def test_bench_runs_tiny(capsys):
    result = run("hashing", size=40)
    report(result)
    assert result["requests"] > 0 and 0.0 <= result["team_acc"] <= 1.0
    assert "keyword baseline" in capsys.readouterr().out
