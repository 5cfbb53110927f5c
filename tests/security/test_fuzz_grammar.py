"""Fuzzing the command grammar and the whole command path (hypothesis, seeded): whatever anyone types, the
answer is a translated message, never "Something went wrong" or a traceback, and nothing stored fails
the domain's own validation. SQLite and PostgreSQL."""
from __future__ import annotations

import logging
import os

from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import select

from bot.i18n import t
from storage.models import CommentRow, TicketRow
from tickets.errors import TicketError
from tickets.grammar import ACTIONS, INDONESIAN, parse
from tickets.model import validate_text, validate_title
from tickets.teams import Actor

SCALE = int(os.environ.get("TIKET_FUZZ_SCALE", "1"))
WORDS = sorted({*ACTIONS, *INDONESIAN.values(), "search", "status", "team", "mine", "all"})
ARGS = ["IT-1", "HR-1", "LOG-1", "it-99999999999999999999", "IT", "HR", "9999-12-31", "0000-01", "2999-01-01",
        "0001-01-01..0001-01-02", "9999-12", "%", "_", "\\", "3650d", "99999999w", "1d4h", "12:00", "25:61",
        "31-02-2026", "<@U1|x>", "@budi", "high", "mendesak", "5", "0", "-1", "|", "||", "\x00", "\u202e",
        "\u200b", "\x1b[31m", "=HYPERLINK(\"x\")", "'", '"', "\r\n", "\t"]
NASTY = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=60)
COMMANDS = st.one_of(
    NASTY,
    st.builds(lambda w, a, b, rest: f"{w} {a} {b} {rest}", st.sampled_from(WORDS), st.sampled_from(ARGS),
              st.sampled_from(ARGS), NASTY),
    st.builds(lambda w, team, title: f"{w} {team} {title}", st.sampled_from(["new", "buat"]),
              st.sampled_from(["IT", "HR", "LOG", "it", "XX"]), NASTY),
)
PEOPLE = [Actor(f"console:{n}") for n in ("budi", "andi", "sari", "dewi", "admin")]


@settings(max_examples=2000 * SCALE, derandomize=True, deadline=None)
@given(COMMANDS)
def test_the_grammar_refuses_only_with_its_own_errors(text):
    try:
        parse(text)
    except TicketError as err:
        assert t(f"error.{err.key}", "en") != f"error.{err.key}" or err.key == "usage"


def test_the_command_path_never_breaks_and_stores_only_valid_text(container, caplog):
    runner = container.runner()
    internal = {t("error.internal", "en"), t("error.internal", "id")}
    container.service.open(PEOPLE[0], "IT", "printer")
    container.service.open(PEOPLE[0], "HR", "cuti")

    @settings(max_examples=150 * SCALE, derandomize=True, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    @given(st.sampled_from(PEOPLE), COMMANDS, st.sampled_from(["en", "id"]))
    def run(actor, text, lang):
        reply = runner.run(actor, text, lang=lang)
        assert reply.text not in internal, (text, reply.text)

    run()
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info] == []
    with container.engine.connect() as conn:
        rows = conn.execute(select(TicketRow.id, TicketRow.team)).all()
        comments = conn.execute(select(CommentRow.id)).all()
    assert rows
    for ticket_id, team in rows:
        with container.uow() as uow:
            ticket = uow.tickets.get_by_id(ticket_id)
        assert validate_title(ticket.title) == ticket.title
        assert validate_text(ticket.description) == ticket.description
    with container.uow() as uow:
        for ticket_id, _team in rows:
            for comment in uow.comments(ticket_id, include_internal=True):
                assert validate_text(comment.body) == comment.body
    assert comments is not None
