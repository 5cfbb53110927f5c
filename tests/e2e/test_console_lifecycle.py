"""The ticket's life as people see it in the console: replies to resolved and closed tickets,
changes that change nothing, closes without a resolve in the figures, cards that follow every
change, and `/ticket list` with and without filters in both languages."""
from __future__ import annotations

import io

from bot.console.app import Console
from cli.common import console_idle
from tickets.teams import Actor


def session(container, text: str, user: str = "budi") -> str:
    out = io.StringIO()
    console = Console(container, stdin=io.StringIO(text), stdout=out, user=user, interactive=False)
    assert console.run(on_idle=console_idle(container)) == 0
    return out.getvalue()


def history(container, key: str) -> list[str]:
    return [e.action for e in container.queries.show(Actor("console:admin"), key).history]


def test_a_requester_reply_to_a_resolved_ticket_reopens_it_and_tells_the_team(container):
    from tickets.places import Place

    out = io.StringIO()
    console = Console(container, stdin=io.StringIO(""), stdout=out, user="budi", interactive=False)
    for line in ("/ticket new IT Printer macet", "/as andi", "/ticket claim IT-1", "/ticket resolve IT-1", "/as budi"):
        console.handle(line)
        console.flush()
    said = container.service.converse(Actor("console:budi"), "IT-1", Place("slack", "dm", "console:budi"),
                                      "masih macet")  # the requester answering in the conversation
    assert said.ticket.status.value == "in_progress"
    console.handle("/ticket show IT-1")
    console.flush()
    out = out.getvalue()
    assert "[thread IT-1] IT-1 was reopened by budi." in out and "[DM andi] IT-1 was reopened by budi." in out
    assert "🎫 IT-1 · Printer macet · in progress" in out  # the card follows
    assert "Status: in progress" in out


def test_after_close_a_reply_says_how_to_follow_up_and_stores_nothing(container):
    out = session(container, "/ticket new IT Printer macet\n/as andi\n/ticket claim IT-1\n/ticket close IT-1\n"
                             "/as budi\n/ticket comment IT-1 masih macet\n/lang id\n/tiket komentar IT-1 halo\n")
    assert ("IT-1 is closed, so a reply no longer reaches the team. To follow up, open a new ticket that names it: "
            "/ticket new IT <title> | follow-up to IT-1") in out
    assert "/tiket buat IT <judul> | lanjutan dari IT-1" in out
    assert history(container, "IT-1") == ["open", "claim", "close"]


def test_changes_that_change_nothing_say_so_and_leave_no_trace(container):
    session(container, "/ticket new IT Printer macet\n/as sari\n/ticket assign IT-1 andi\n")
    before = history(container, "IT-1")
    out = session(container, "/ticket priority IT-1 normal\n/ticket assign IT-1 andi\n/lang id\n"
                             "/tiket prioritas IT-1 sedang\n", user="sari")
    assert "IT-1 already has priority normal; nothing changed." in out
    assert "IT-1 is already assigned to andi; nothing changed." in out
    assert "IT-1 sudah berprioritas normal; tidak ada yang berubah." in out
    assert "[DM" not in out and "[thread" not in out and "🎫" not in out
    assert history(container, "IT-1") == before


def test_a_requester_reply_to_a_waiting_ticket_updates_the_card(container):
    out = session(container, "/ticket new IT Printer macet\n/as andi\n/ticket claim IT-1\n/ticket wait IT-1 model?\n"
                             "/as budi\n/ticket comment IT-1 HP 4000\n")
    cards = [line for line in out.splitlines() if "🎫 IT-1" in line]
    assert "· waiting on requester ·" in cards[-2] and "· in progress ·" in cards[-1], out


def test_a_ticket_closed_without_resolve_counts_in_the_figures(container, clock):
    session(container, "/ticket new IT Printer macet\n/as andi\n/ticket close IT-1 sudah beres\n")
    clock.advance(hours=1)
    from bot.reports import make_reports

    report = make_reports(container).report(Actor("console:sari"), "IT", "7d")
    assert report.overall.first_response.count == 1
    assert report.overall.resolution.count == 1 and report.overall.resolution_sla.total == 1


def listed(container, command: str, user: str = "andi") -> list[str]:
    lines = session(container, command + "\n", user=user).splitlines()
    return sorted(line.split(" [")[0] for line in lines if line.startswith(("IT-", "LOG-")))


def test_list_filters_in_both_languages(container):
    session(container, "/ticket new IT Printer macet\n/ticket new IT Server mati\n/ticket new LOG Kardus\n")
    session(container, "/ticket priority IT-2 urgent\n/ticket assign IT-1 andi\n", user="sari")
    container.service.resolve(Actor("console:rina"), "IT-2")  # IT-2: resolved, so not open
    session(container, "/ticket new IT Keyboard\n/ticket new IT Monitor\n")
    session(container, "/ticket priority IT-4 urgent\n", user="sari")
    assert listed(container, "/ticket list priority urgent") == ["IT-4"]
    assert listed(container, "/lang id\n/tiket daftar prioritas mendesak") == ["IT-4"]
    assert listed(container, "/ticket list status open") == ["IT-1", "IT-3", "IT-4"]
    assert listed(container, "/tiket daftar status terbuka") == ["IT-1", "IT-3", "IT-4"]
    assert listed(container, "/ticket list assignee andi") == ["IT-1"]
    assert listed(container, "/tiket daftar petugas andi") == ["IT-1"]
    assert listed(container, "/ticket list status resolved") == ["IT-2"]


def test_list_by_category(container):
    for title, category in (("Printer", "hardware"), ("Excel", "software"), ("Mouse", "hardware")):
        container.service.open(Actor("console:budi"), "IT", title, category=category)
    assert listed(container, "/ticket list category hardware") == ["IT-1", "IT-3"]
    assert listed(container, "/tiket daftar kategori Software") == ["IT-2"]
    assert "'super' is not a priority" in session(container, "/ticket list priority super\n", user="andi")


def test_bare_list_shows_staff_their_queue_and_requesters_their_own(container):
    session(container, "/ticket new IT Printer macet\n/ticket new LOG Kardus\n")
    session(container, "/ticket new IT Mouse\n", user="dewi")
    staff = session(container, "/ticket list\n", user="andi")
    assert "IT-1 [" in staff and "IT-2 [" in staff and "LOG-1" not in staff
    requester = session(container, "/ticket list\n", user="budi")
    assert "IT-1 [" in requester and "LOG-1 [" in requester and "IT-2" not in requester
