"""The rule of what a message from a person outside means (tickets/chat_intake.py)."""
from __future__ import annotations

from tickets.chat_intake import (ChatMessage, InPlay, Pending, decide, detect_language, page, title_from)

TEAMS = [("IT", "IT Helpdesk"), ("HR", "HR")]


def test_language_is_indonesian_unless_the_words_are_english():
    assert detect_language("Printer saya rusak, tolong dibantu") == "id"
    assert detect_language("My printer is broken, can you help?") == "en"
    assert detect_language("ok") == "id" and detect_language("ok", "en") == "en"


def test_title_is_the_first_line_cut_to_fit():
    assert title_from("\n  Printer rusak  \nlantai 3") == "Printer rusak"
    assert len(title_from("x" * 400)) == 150 and title_from("", "Foto") == "Foto"


def test_first_message_with_one_team_opens_and_with_several_asks():
    step = decide(ChatMessage("Printer rusak"), Pending(), [], TEAMS[:1])
    assert (step.action, step.team, step.text) == ("open", "IT", "Printer rusak")
    step = decide(ChatMessage("Printer rusak", media=[3]), Pending(), [], TEAMS)
    assert (step.action, step.pending.kind, step.pending.options, step.pending.draft, step.pending.media) == (
        "ask_team", "team", ["IT", "HR"], "Printer rusak", [3])
    assert decide(ChatMessage("x"), Pending(), [], []).action == "no_team"


def test_team_choice_by_list_number_or_name_opens_with_the_draft():
    asked = Pending("team", ["IT", "HR"], "Printer rusak", [3])
    for msg in (ChatMessage(choice="team:HR"), ChatMessage("2"), ChatMessage("hr")):
        step = decide(msg, asked, [], TEAMS)
        assert (step.action, step.team, step.text, step.media, step.pending) == (
            "open", "HR", "Printer rusak", [3], Pending())
    step = decide(ChatMessage("lantai 3"), asked, [], TEAMS)  # not a choice: kept, asked again
    assert (step.action, step.pending.draft) == ("ask_team", "Printer rusak\nlantai 3")


def test_later_messages_reply_resolved_ones_reopen_several_ask():
    one = [InPlay("IT-1", "Printer", "resolved")]
    step = decide(ChatMessage("mati lagi"), Pending(), one, TEAMS)
    assert (step.action, step.key, step.reopen) == ("reply", "IT-1", True)
    two = [InPlay("IT-1", "Printer", "waiting"), InPlay("HR-1", "Cuti", "new")]
    step = decide(ChatMessage("tanggal 3"), Pending(), two, TEAMS)
    assert (step.action, step.pending.options) == ("ask_ticket", ["IT-1", "HR-1"])
    step = decide(ChatMessage(choice="ticket:HR-1"), step.pending, two, TEAMS)
    assert (step.action, step.key, step.text, step.reopen) == ("reply", "HR-1", "tanggal 3", False)
    assert decide(ChatMessage(choice="ticket:IT-9"), Pending(), two, TEAMS).action == "ask_ticket"  # not theirs


def test_new_starts_another_request_and_rating_ids_rate():
    two = [InPlay("IT-1", "Printer", "new")]
    assert decide(ChatMessage("Baru"), Pending(), two, TEAMS).action == "ask_text"
    step = decide(ChatMessage("new keyboard rusak"), Pending(), two, TEAMS)
    assert (step.action, step.pending.draft) == ("ask_team", "keyboard rusak")
    step = decide(ChatMessage("keyboard rusak"), Pending("new"), two, TEAMS[:1])
    assert (step.action, step.team) == ("open", "IT")
    step = decide(ChatMessage(choice="rate:IT-1:5"), Pending(), two, TEAMS)
    assert (step.action, step.key, step.score) == ("rate", "IT-1", 5)


def test_pages_hold_at_most_ten_rows():
    keys = [f"IT-{n}" for n in range(1, 24)]
    rows, more = page(keys, 0)
    assert len(rows) == 9 and more == 9
    rows, more = page(keys, 18)
    assert rows == keys[18:] and more is None
    assert page(keys[:10], 0) == (keys[:10], None)
    assert Pending.from_dict(Pending("team", ["IT"], "x", [1], 9).to_dict()) == Pending("team", ["IT"], "x", [1], 9)
