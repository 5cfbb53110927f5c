"""Tests for the shared `/ticket` command grammar."""
from __future__ import annotations

import random
from datetime import date, datetime, time, timezone

import pytest

from tickets.errors import ValidationError
from tickets.grammar import (
    ACTIONS,
    ALIASES,
    INDONESIAN,
    USAGE,
    Command,
    DueSpec,
    is_period,
    parse,
    parse_due,
    parse_duration,
)
from tickets.dates import Duration

UTC = timezone.utc
JAKARTA = "Asia/Jakarta"
# 2026-11-27 10:00 in Jakarta (UTC+7)
NOW = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)


def refused(text: str, key: str, **params: object) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        parse(text)
    assert info.value.key == key, info.value.params
    for name, value in params.items():
        assert info.value.params[name] == value
    return info.value


# --------------------------------------------------------------------------
# Vocabulary tables
# --------------------------------------------------------------------------


def test_every_action_has_a_usage_line():
    for action in ACTIONS:
        assert USAGE[action]
    assert set(ALIASES.values()) == set(ACTIONS) - {"form"}


def test_every_english_and_indonesian_word_maps_to_its_action():
    for action, word in INDONESIAN.items():
        assert ALIASES[word] == action
        assert ALIASES[action] == action


# --------------------------------------------------------------------------
# form / new
# --------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "/ticket", "/tiket  ", "new", "buat", "NEW", "/ticket new"])
def test_form_without_team(text):
    assert parse(text) == Command("form")


@pytest.mark.parametrize("text", ["new it", "buat IT", "/Tiket Buat  it  "])
def test_form_with_team(text):
    assert parse(text) == Command("form", team="IT")


@pytest.mark.parametrize("word", ["new", "buat", "New", "BUAT"])
def test_new_with_title_and_description(word):
    cmd = parse(f"{word} hr  Laptop  broken  | It   will not boot\nsince Monday ")
    assert cmd == Command(
        "new", team="HR", title="Laptop  broken",
        description="It   will not boot\nsince Monday",
    )


def test_new_title_only_and_empty_description():
    assert parse("new IT printer jam") == Command("new", team="IT", title="printer jam")
    assert parse("new IT printer jam |  ") == Command("new", team="IT", title="printer jam")


def test_new_keeps_later_pipes_in_description():
    assert parse("new IT a | b | c").description == "b | c"


def test_new_strips_ticket_prefix():
    assert parse("/ticket new IT x").title == "x"
    assert parse("/TIKET buat IT x").title == "x"


def test_new_refusals():
    refused("new IT | only description", "usage", command="new")
    refused("new 9IT title", "usage", command="new")
    refused("new IT-3 title", "usage", command="new")
    refused("new ABCDEFGHIJK title", "usage", command="new")
    refused("new IT " + "x" * 151, "title_too_long", max=150)
    refused("new IT t | " + "x" * 4001, "description_too_long", max=4000)


def test_new_length_limits_are_inclusive():
    assert len(parse("new IT " + "x" * 150 + "   ").title) == 150
    assert len(parse("new IT t | " + "y" * 4000).description) == 4000


# --------------------------------------------------------------------------
# list
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, scope",
    [
        ("list", "default"), ("daftar", "default"),  # staff: the queue; requesters: their own
        ("list mine", "mine"), ("daftar saya", "mine"),
        ("list assigned", "assigned"), ("daftar ditugaskan", "assigned"),
        ("list open", "open"), ("DAFTAR TERBUKA", "open"),
        ("list all", "all"), ("daftar semua", "all"),
    ],
)
def test_list_simple_scopes(text, scope):
    assert parse(text) == Command("list", scope=scope)


def test_list_team():
    assert parse("list team hr") == Command("list", scope="team", team="HR")
    assert parse("daftar tim Hr") == Command("list", scope="team", team="HR")


@pytest.mark.parametrize(
    "text, status",
    [
        ("list status new", "new"), ("daftar status baru", "new"),
        ("list status in_progress", "in_progress"), ("list status In Progress", "in_progress"),
        ("list status in-progress", "in_progress"), ("daftar status dikerjakan", "in_progress"),
        ("list status waiting", "waiting"), ("daftar status menunggu", "waiting"),
        ("list status resolved", "resolved"), ("daftar status selesai", "resolved"),
        ("list status closed", "closed"), ("daftar status ditutup", "closed"),
        ("list status cancelled", "cancelled"), ("daftar status dibatalkan", "cancelled"),
    ],
)
def test_list_status(text, status):
    assert parse(text) == Command("list", scope="status", status=status)


def test_list_search_keeps_text():
    assert parse("list search  VPN   down ") == Command("list", scope="search", text="VPN   down")
    assert parse("daftar cari printer") == Command("list", scope="search", text="printer")


@pytest.mark.parametrize(
    "text",
    ["list everything", "list team", "list team 1x", "list team IT HR", "list status",
     "list status sleeping", "list search", "daftar cari   ", "list mine please", "list open IT"],
)
def test_list_refusals(text):
    refused(text, "usage", command="list")


# --------------------------------------------------------------------------
# commands taking only a key
# --------------------------------------------------------------------------

KEY_ONLY = [
    ("show", "lihat"), ("claim", "ambil"), ("unclaim", "lepas"),
    ("cancel", "batal"), ("watch", "pantau"), ("history", "riwayat"),
]


@pytest.mark.parametrize("action, indonesian", KEY_ONLY)
def test_key_only_commands(action, indonesian):
    expected = Command(action, key="IT-3")
    assert parse(f"{action} IT-3") == expected
    assert parse(f"{indonesian} it-3") == expected
    assert parse(f"{action.upper()}   It-03 ") == expected


@pytest.mark.parametrize("action, indonesian", KEY_ONLY)
def test_key_only_refusals(action, indonesian):
    refused(action, "usage", command=action)
    refused(indonesian, "usage", command=action)
    refused(f"{action} IT-3 extra", "usage", command=action)
    refused(f"{indonesian} IT3", "bad_key", value="IT3")


@pytest.mark.parametrize(
    "word",
    ["IT", "IT-", "-3", "3-IT", "IT-0", "IT-x", "ABCDEFGHIJK-1", "I_T-3", "IT-3-4", "ÌT-3",
     "IT-1234567890123", "IT-٣"],
)
def test_bad_keys(word):
    refused(f"show {word}", "bad_key", value=word)


def test_key_shapes():
    assert parse("show a1b2-7").key == "A1B2-7"
    assert parse("show ABCDEFGHIJ-123456").key == "ABCDEFGHIJ-123456"


def test_long_bad_values_are_clipped():
    err = refused("show " + "x" * 500, "bad_key")
    assert len(err.params["value"]) <= 80


# --------------------------------------------------------------------------
# commands with free text
# --------------------------------------------------------------------------

OPTIONAL_TEXT = [
    ("wait", "tunggu"), ("resolve", "selesai"), ("close", "tutup"), ("reopen", "buka"),
]


@pytest.mark.parametrize("action, indonesian", OPTIONAL_TEXT)
def test_optional_text_commands(action, indonesian):
    assert parse(f"{action} it-3") == Command(action, key="IT-3")
    assert parse(f"{indonesian} IT-3  waiting  for  vendor ") == Command(
        action, key="IT-3", text="waiting  for  vendor"
    )
    refused(action, "usage", command=action)
    refused(f"{indonesian} nokey text", "bad_key", value="nokey")


@pytest.mark.parametrize("action, indonesian", [("comment", "komentar"), ("note", "catatan")])
def test_required_text_commands(action, indonesian):
    assert parse(f"{action} it-3 Restarted  the\nserver") == Command(
        action, key="IT-3", text="Restarted  the\nserver"
    )
    assert parse(f"{indonesian} IT-3 sudah") == Command(action, key="IT-3", text="sudah")
    refused(f"{action} IT-3", "usage", command=action)
    refused(f"{indonesian} IT-3   ", "usage", command=action)
    refused(indonesian, "usage", command=action)
    refused(f"{action} IT-3 " + "z" * 4001, "description_too_long", max=4000)


# --------------------------------------------------------------------------
# assign / priority / rate
# --------------------------------------------------------------------------


@pytest.mark.parametrize("user", ["@budi", "<@U123|budi>", "<@123>", "<@!123>", "budi"])
def test_assign(user):
    assert parse(f"assign it-3 {user}") == Command("assign", key="IT-3", user=user)
    assert parse(f"tugaskan IT-3 {user}") == Command("assign", key="IT-3", user=user)


def test_assign_mention_with_spaces_and_trailing_text():
    cmd = parse("assign IT-3 <@U1|budi santoso> please check")
    assert cmd.user == "<@U1|budi santoso>"
    assert cmd.text == "please check"


def test_assign_refusals():
    refused("assign IT-3", "usage", command="assign")
    refused("tugaskan", "usage", command="assign")
    refused("assign @budi IT-3", "bad_key", value="@budi")


@pytest.mark.parametrize(
    "level, expected",
    [("low", "low"), ("rendah", "low"), ("normal", "normal"), ("sedang", "normal"),
     ("high", "high"), ("TINGGI", "high"), ("Urgent", "urgent"), ("mendesak", "urgent")],
)
def test_priority(level, expected):
    assert parse(f"priority it-3 {level}") == Command("priority", key="IT-3", priority=expected)
    assert parse(f"prioritas IT-3 {level}").priority == expected


def test_priority_refusals():
    refused("priority IT-3", "usage", command="priority")
    refused("prioritas IT-3 critical", "bad_priority", value="critical")
    refused("priority high", "bad_key", value="high")


def test_rate():
    assert parse("rate it-3 5") == Command("rate", key="IT-3", rating=5)
    assert parse("nilai IT-3 1  too  slow") == Command("rate", key="IT-3", rating=1, text="too  slow")


@pytest.mark.parametrize("score", ["0", "6", "10", "x", "4.5", "-1", "٣"])
def test_rate_refusals(score):
    refused(f"rate IT-3 {score}", "bad_rating", value=score)


def test_rate_missing_score():
    refused("nilai IT-3", "usage", command="rate")


# --------------------------------------------------------------------------
# due / snooze
# --------------------------------------------------------------------------


def test_due_forms():
    two_days = Duration(days=2)
    assert parse("due it-3 2d") == Command("due", key="IT-3", due=DueSpec(duration=two_days), duration=two_days)
    assert parse("tenggat IT-3 2026-12-01").due == DueSpec(date=date(2026, 12, 1))
    assert parse("due IT-3 01-12-2026 14:00").due == DueSpec(date=date(2026, 12, 1), time=time(14, 0))
    assert parse("due IT-3 14.30").due == DueSpec(time=time(14, 30))
    assert parse("due IT-3 14:30").duration is None
    assert parse("tenggat IT-3 besok").due == DueSpec(shift=1)
    assert parse("due IT-3 friday 10:00").due == DueSpec(weekday=4, time=time(10, 0))


def test_due_refusals():
    refused("due IT-3", "usage", command="due")
    refused("tenggat", "usage", command="due")
    refused("due IT-3 someday", "bad_date", value="someday")
    refused("due IT-3 2026-02-30", "bad_date", value="2026-02-30")
    refused("due soon", "bad_key", value="soon")


def test_snooze():
    four_hours = Duration(seconds=4 * 3600)
    assert parse("snooze it-3 4h") == Command("snooze", key="IT-3", due=DueSpec(duration=four_hours),
                                              duration=four_hours)
    assert parse("tunda IT-3 2hari tunggu vendor").text == "tunggu vendor"
    assert parse("tunda IT-3 2hari tunggu vendor").duration == Duration(days=2)
    cmd = parse("snooze IT-3 1d 4h waiting on 3 people")
    assert (cmd.duration, cmd.text) == (Duration(1, 4 * 3600), "waiting on 3 people")
    assert parse("tunda IT-3 3 jam").duration == Duration(seconds=3 * 3600)
    cmd = parse("tunda IT-3 senin 10:00 tunggu vendor")
    assert (cmd.due, cmd.duration, cmd.text) == (DueSpec(weekday=0, time=time(10, 0)), None, "tunggu vendor")


def test_snooze_refusals():
    refused("snooze IT-3", "usage", command="snooze")
    refused("tunda", "usage", command="snooze")
    refused("snooze IT-3 later please", "bad_date", value="later")
    refused("snooze IT-3 0h", "bad_date", value="0h")
    refused("snooze 4h", "bad_key", value="4h")


# --------------------------------------------------------------------------
# help / stats / export
# --------------------------------------------------------------------------


def test_help():
    assert parse("help") == Command("help")
    assert parse("BANTUAN") == Command("help")
    assert parse("help tunda") == Command("help", text="snooze")
    assert parse("bantuan new") == Command("help", text="new")
    refused("help frobnicate", "unknown_command", word="frobnicate")
    refused("help new now", "usage", command="help")


@pytest.mark.parametrize("action, indonesian", [("stats", "statistik"), ("export", "ekspor")])
def test_reports(action, indonesian):
    assert parse(action) == Command(action)
    assert parse(f"{indonesian} hr") == Command(action, team="HR")
    assert parse(f"{action} 7d") == Command(action, scope="7d")
    assert parse(f"{indonesian} IT 30d") == Command(action, team="IT", scope="30d")
    assert parse(f"{action} it 2026-11") == Command(action, team="IT", scope="2026-11")
    assert parse(f"{action} 2026-11-01..2026-11-27") == Command(action, scope="2026-11-01..2026-11-27")
    assert parse(f"{action} 7d it") == Command(action, team="IT", scope="7d")


@pytest.mark.parametrize("args", ["IT HR", "7d 30d", "IT 7d extra", "2026-13", "IT 2026-11-27..2026-11-01",
                                  "IT lastweek", "-7d", "IT-3"])
def test_report_refusals(args):
    # the answer lists the periods understood and quotes what was typed
    refused(f"stats {args}", "bad_period", value=args)
    refused(f"ekspor {args}", "bad_period", value=args)
    refused("stats last week", "bad_period", value="last week")


def test_is_period():
    for good in ["7d", "30D", "4w", "30hari", "1minggu", "2026-11", "2026-1", "2026-11-01..2026-11-01"]:
        assert is_period(good), good
    for bad in ["0d", "7h", "d7", "IT", "2026-00", "2026-11-02..2026-11-01", "2026-11-01..", "..", ""]:
        assert not is_period(bad), bad


# --------------------------------------------------------------------------
# unknown commands and stray input
# --------------------------------------------------------------------------


def test_unknown_command():
    refused("frobnicate IT-3", "unknown_command", word="frobnicate")
    refused("/ticketnew IT x", "unknown_command", word="/ticketnew")
    refused("form", "unknown_command", word="form")


def test_non_string_input():
    with pytest.raises(ValidationError) as info:
        parse(None)  # type: ignore[arg-type]
    assert info.value.key == "usage"
    assert info.value.params == {"command": ""}


# --------------------------------------------------------------------------
# fuzz: nothing but ValidationError may come out of parse
# --------------------------------------------------------------------------

_VOCAB = (
    list(ALIASES) + ["/ticket", "/tiket", "IT-3", "it-0", "HR", "|", "||", "<@U1|x y>", "<", ">",
                     "2026-12-01", "01-12-2026", "14:00", "24:00", "9999-12-31", "0001-01-01",
                     "1d4h", "3", "jam", "99999999w", "7d", "2026-11", "2026-11-01..2026-11-27",
                     "status", "team", "search", "cari", "mine", "T", "..", "-", "9" * 5000]
)
_ALPHABET = "abcXYZ019-|:.<>@# \t\n\u00a0\u200bé日٣ßİ\x00"


def _random_text(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(0, 8)):
        if rng.random() < 0.6:
            parts.append(rng.choice(_VOCAB))
        else:
            parts.append("".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 12))))
    sep = rng.choice([" ", "  ", "\t", "", "\n"])
    return sep.join(parts)


def test_fuzz_parse_only_raises_validation_error():
    rng = random.Random(1)
    parsed = 0
    for _ in range(5000):
        text = _random_text(rng)
        try:
            cmd = parse(text)
        except ValidationError as exc:
            assert isinstance(exc.key, str)
            continue
        parsed += 1
        assert cmd.action in ACTIONS
        if cmd.due is not None:
            try:
                cmd.due.resolve(NOW, JAKARTA)
            except ValidationError:
                pass
    assert parsed > 100  # the generator reaches the happy paths too


def test_fuzz_duration_and_due_only_raise_validation_error():
    rng = random.Random(1)
    for _ in range(3000):
        text = _random_text(rng)
        for func in (parse_duration, parse_due):
            try:
                func(text)
            except ValidationError:
                pass
