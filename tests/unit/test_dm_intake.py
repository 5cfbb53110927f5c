"""DM intake's rules: the team offer (suggestion first) and the title taken from the message."""
from __future__ import annotations

from bot.workflows_render import render_dm_offer
from tests.unit.test_triage import DIRECTORY, AxisEmbedder, known
from tickets.dm_intake import offer, title_and_description
from tickets.teams import Actor
from tickets.triage import Triage, TriageRules


class FakeTriage:
    def __init__(self, history):
        self.triage = Triage(AxisEmbedder(), DIRECTORY, TriageRules(duplicate_threshold=0.95))
        self.history = history

    def suggest(self, actor, text):
        return self.triage.suggest(text, self.history, lambda t: t.is_party(actor.user))


def test_the_suggested_team_comes_first_and_duplicates_are_named():
    history = [known("LOG", 4, "kursi patah", "kursi", requester="console:budi")]
    got = offer(DIRECTORY, FakeTriage(history), Actor("console:budi"), "kursi saya patah")
    assert got.teams[0] == ("LOG", "Logistik") and {k for k, _ in got.teams} == {"IT", "HR", "LOG"}
    text = render_dm_offer(got, DIRECTORY, "id")
    assert "Permintaan ini untuk tim mana" in text and "LOG (Logistik)" in text and "LOG-4" in text
    other = offer(DIRECTORY, FakeTriage(history), Actor("console:ani"), "kursi saya patah")
    assert "LOG-4" not in render_dm_offer(other, DIRECTORY, "en")  # not Ani's to see


def test_without_triage_every_team_is_offered():
    got = offer(DIRECTORY, None, Actor("console:budi"), "help")
    assert got.suggestion is None and len(got.teams) == 3
    assert render_dm_offer(got, DIRECTORY, "en") == "Which team is this request for? Pick one below."


def test_title_is_the_first_line_clipped():
    assert title_and_description("Printer macet\nlantai 3, sejak pagi") == ("Printer macet", "lantai 3, sejak pagi")
    title, description = title_and_description("kata " * 60)
    assert len(title) <= 150 and title.endswith("…") and description.startswith("kata kata")
