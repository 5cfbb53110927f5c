"""The triage rules with a fake embedder: what is suggested, what never is."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from tickets.model import Status, Ticket
from tickets.teams import Directory, Team
from tickets.triage import Known, Triage, TriageRules, keyword_team

AT = datetime(2026, 11, 23, tzinfo=timezone.utc)
AXES = ("printer", "wifi", "cuti", "kursi")


class AxisEmbedder:
    """One axis per topic word; a text points along the topics it names (unit length)."""

    name = "axes"

    def __init__(self) -> None:
        self.calls = 0

    def embed(self, texts):
        self.calls += 1
        out = []
        for text in texts:
            v = [float(word in text.lower()) for word in AXES] + [0.05]
            norm = sum(x * x for x in v) ** 0.5
            out.append([x / norm for x in v])
        return out


DIRECTORY = Directory(teams={
    "IT": Team("IT", "IT Helpdesk", agents=frozenset({"console:andi"}), categories=("printer", "wifi")),
    "HR": Team("HR", "HR", confidential=True, agents=frozenset({"console:dewi"}), categories=("cuti",)),
    "LOG": Team("LOG", "Logistik", agents=frozenset({"console:joko"}), categories=("kursi",)),
})


def known(team, number, title, category, status=Status.NEW, requester="console:budi"):
    embedder = AxisEmbedder()
    ticket = Ticket(team=team, number=number, title=title, requester=requester, reporter=requester,
                    created_at=AT, updated_at=AT, category=category, status=status, id=number)
    return Known(ticket, embedder.embed([title])[0])


@pytest.fixture
def triage():
    return Triage(AxisEmbedder(), DIRECTORY, TriageRules(duplicate_threshold=0.95))


def test_suggests_the_team_and_category_of_the_nearest_tickets(triage):
    history = [known("IT", 1, "printer jammed", "printer"), known("LOG", 2, "need a kursi", "kursi")]
    got = triage.suggest("the printer on floor 3", history, lambda t: True)
    assert (got.team, got.category) == ("IT", "printer")
    got = triage.suggest("kursi patah", history, lambda t: True)
    assert (got.team, got.category) == ("LOG", "kursi")


def test_a_confidential_team_is_never_suggested_nor_its_tickets_offered(triage):
    history = [known("HR", 1, "cuti tahunan", "cuti"), known("HR", 2, "cuti sakit", "cuti")]
    got = triage.suggest("saya mau cuti", history, lambda t: True)
    assert got.team != "HR" and got.duplicates == []


def test_duplicates_are_open_visible_similar_and_at_most_three(triage):
    history = [known("IT", n, f"printer broken {n}", "printer") for n in range(1, 6)]
    history.append(known("IT", 9, "printer closed one", "printer", status=Status.CLOSED))
    history.append(known("IT", 10, "wifi down", "wifi"))
    got = triage.suggest("printer", history, lambda t: t.number != 2)
    keys = [d.key for d in got.duplicates]
    assert len(keys) == 3
    assert "IT-2" not in keys and "IT-9" not in keys and "IT-10" not in keys


def test_nothing_similar_enough_means_no_duplicates(triage):
    history = [known("IT", 1, "wifi down", "wifi")]
    assert triage.suggest("printer", history, lambda t: True).duplicates == []


def test_an_unclear_request_gets_no_team():
    triage = Triage(AxisEmbedder(), DIRECTORY, TriageRules(min_confidence=0.9))
    history = [known("IT", 1, "printer", "printer"), known("LOG", 2, "kursi", "kursi")]
    got = triage.suggest("printer and kursi", history, lambda t: True)
    assert got.team is None and got.category is None


def test_labels_are_embedded_once(triage):
    triage.suggest("printer", [], lambda t: True)
    calls = triage.embedder.calls
    triage.suggest("wifi", [], lambda t: True)
    assert triage.embedder.calls == calls + 1  # only the request itself


def test_without_history_the_category_labels_still_suggest(triage):
    got = triage.suggest("wifi putus", [], lambda t: True)
    assert (got.team, got.category) == ("IT", "wifi")


def test_keyword_baseline_matches_configured_words_and_skips_confidential_teams():
    assert keyword_team(DIRECTORY, "the printer is broken") == ("IT", "printer")
    assert keyword_team(DIRECTORY, "mau cuti") == (None, None)
