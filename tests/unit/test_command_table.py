"""The command table drives the grammar, help and the option builders."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.i18n import t
from bot.render import render_error, render_help
from tickets.commands import COMMANDS, TABLE, WORDS, build, usage
from tickets.errors import ValidationError
from tickets.grammar import parse
from tickets.periods import is_period, parse_period

NOW = datetime(2026, 11, 27, 3, 0, tzinfo=timezone.utc)


def test_every_command_has_both_languages_a_description_and_distinct_words():
    for spec in TABLE:
        assert set(spec.words) == set(spec.usage) == {"en", "id"}, spec.name
        for lang in ("en", "id"):
            assert spec.usage[lang].split()[0] == spec.words[lang], spec.name
            assert t(spec.summary, lang) != spec.summary, spec.name
        assert spec.who in ("anyone", "party", "agent", "supervisor", "requester", "approver"), spec.name
    typed = [spec.words[lang] for spec in TABLE if spec.name != "form" for lang in ("en", "id")]
    assert len(set(typed)) == len(WORDS)


@pytest.mark.parametrize("spec", [s for s in TABLE if s.name != "form"], ids=lambda s: s.name)
def test_each_word_in_either_language_reaches_its_command(spec):
    for lang in ("en", "id"):
        try:
            assert parse(f"{spec.words[lang]}").action in (spec.name, "form")
        except ValidationError as err:  # a command that needs arguments names its own usage
            assert err.key == "usage" and err.params["command"] == spec.name


def test_indonesian_help_is_in_indonesian():
    text = render_help("id")
    assert "/ticket ambil <KODE>" in text and "/ticket ambil <KEY>" not in text
    for spec in TABLE:
        if spec.name != "form" and spec.words["en"] != spec.words["id"]:
            assert f"/ticket {spec.words['en']} " not in text, spec.name
    assert "(lihat: bantuan)" in render_error(ValidationError("usage", command=""), "id")
    assert "(see: help)" in render_error(ValidationError("usage", command=""), "en")
    assert render_error(ValidationError("usage", command="claim"), "id") == "Cara pakai: /ticket ambil <KODE>"


def test_help_for_one_command_says_what_it_does_and_who_may_use_it():
    text = render_help("en", "note")
    assert text.splitlines()[0] == "/ticket note <KEY> <text>"
    assert t("command.note", "en") in text and t("who.agent", "en") in text and "catatan" in text
    assert render_help("id", "note").splitlines()[0] == "/ticket catatan <KODE> <teks>"
    assert parse("bantuan tenggat").text == "due"


def test_one_period_parser_for_chat_and_cli():
    for text in ["7d", "4w", "4mgg", "30hari", "1minggu", "2026-11", "2026-11-01..2026-11-27"]:
        assert is_period(text), text
        parse_period(text, NOW)  # the CLI's parser accepts the same text
        assert parse(f"stats IT {text}").scope == text
    for text in ["0d", "7h", "2026-13", "2026-11-02..2026-11-01", ""]:
        assert not is_period(text), text
    assert is_period("9999d")  # the shape of a period; the report says it is too long
    assert parse_period("4mgg", NOW).since == parse_period("4w", NOW).since


def test_buttons_and_options_build_the_same_commands_as_typed_text():
    assert build("priority", {"key": "it-3", "level": "tinggi"}) == parse("priority IT-3 high")
    assert build("due", {"key": "IT-3", "when": "2d"}) == parse("due it-3 2d")
    assert build("rate", {"key": "IT-3", "score": 4, "comment": "ok"}) == parse("rate IT-3 4 ok")
    assert build("list", {"status": "closed"}) == parse("list status closed")
    assert build("new", {"team": "it", "title": "Printer"}) == parse("new IT Printer")
    assert build("new", {"team": "it"}).action == "form"
    for name, values, key in [("claim", {}, "usage"), ("priority", {"key": "IT-1", "level": "x"}, "bad_priority"),
                              ("stats", {"period": "soon"}, "usage"), ("frob", {}, "unknown_command"),
                              ("rate", {"key": "IT-1", "score": 9}, "bad_rating")]:
        with pytest.raises(ValidationError) as info:
            build(name, values)
        assert info.value.key == key, name
    assert usage("claim", "id") == COMMANDS["claim"].usage["id"]
