"""The requester's status page through the real app: what it shows and hides, reply, reopen, rate,
and the same 404 for every wrong or revoked link."""
from __future__ import annotations

import re

from sqlalchemy import select

from storage.models import OutboxRow
from storage.web import WebStore
from tests.adapter.web.test_form import GOOD, csrf
from tickets.teams import Actor

ANDI = Actor("console:andi")


def open_by_form(client) -> str:
    done = client.post("/t/it", data={**GOOD, "priority": "normal", "csrf": csrf(client.get("/t/it"))},
                       files=[("attachments", ("note.txt", b"error 0x42", "text/plain"))])
    assert done.status_code == 201, done.text
    return re.search(r'id="status-link" href="http://testserver([^"]+)"', done.text).group(1)


def test_the_page_shows_the_ticket_and_only_the_public_conversation(client, web_container):
    path = open_by_form(client)
    service = web_container.service
    service.claim(ANDI, "IT-1")
    service.comment(ANDI, "IT-1", "Please hold the power button for 10 seconds")
    service.note(ANDI, "IT-1", "INTERNAL: probably the mainboard")
    page = client.get(path)
    assert page.status_code == 200
    text = page.text
    assert "IT-1" in text and "Laptop will not boot" in text
    assert 'id="ticket-status">in progress<' in text
    assert 'id="ticket-assignee">andi<' in text
    assert re.search(r'id="ticket-left">8\s?h left<', text), text  # the resolution target in business time (24/7)
    assert "Please hold the power button" in text and "INTERNAL" not in text and "mainboard" not in text
    assert "note.txt" in text
    file = re.search(r'href="(/s/[^"]+/files/\d+)"', text).group(1)
    assert client.get(file).content == b"error 0x42"
    assert client.get(file.rsplit("/", 1)[0] + "/999").status_code == 404
    assert page.headers["referrer-policy"] == "no-referrer"


def test_a_reply_lands_in_the_thread_like_any_public_reply(client, web_container):
    path = open_by_form(client)
    web_container.service.claim(ANDI, "IT-1")
    page = client.get(path)
    empty = client.post(f"{path}/reply", data={"text": "  ", "csrf": csrf(page)})
    assert empty.status_code == 422 and 'href="#reply-text"' in empty.text
    sent = client.post(f"{path}/reply", data={"text": "Tried it, still black", "csrf": csrf(page)},
                       follow_redirects=False)
    assert sent.status_code == 303
    assert "Tried it, still black" in client.get(path).text
    with web_container.engine.connect() as conn:
        rows = conn.execute(select(OutboxRow.target, OutboxRow.params).where(
            OutboxRow.template == "comment_added")).all()
    assert ("thread:IT-1", "Tried it, still black") in [(r.target, r.params["text"]) for r in rows]
    assert ("user:console:andi", "Tried it, still black") in [(r.target, r.params["text"]) for r in rows]
    view = web_container.queries.show(ANDI, "IT-1")
    assert [(c.author, c.body) for c in view.comments] == [("email:budi@example.com", "Tried it, still black")]


def test_reopen_and_rate_after_resolution(client, web_container):
    path = open_by_form(client)
    service = web_container.service
    service.claim(ANDI, "IT-1")
    assert 'action="' + path + '/rate"' not in client.get(path).text  # nothing to rate yet
    service.resolve(ANDI, "IT-1")
    page = client.get(path)
    assert f'action="{path}/rate"' in page.text and f'action="{path}/reopen"' in page.text
    assert client.post(f"{path}/rate", data={"score": "9", "csrf": csrf(page)}).status_code == 422
    reopened = client.post(f"{path}/reopen", data={"text": "It broke again", "csrf": csrf(page)})
    assert reopened.status_code == 200 and "It broke again" in reopened.text
    with web_container.uow() as uow:
        assert uow.tickets.get("IT", 1).status.value == "in_progress"
    service.resolve(ANDI, "IT-1")
    page = client.get(path)
    rated = client.post(f"{path}/rate", data={"score": "4", "text": "quick", "csrf": csrf(page)})
    assert rated.status_code == 200 and 'id="rated"' in rated.text
    again = client.post(f"{path}/rate", data={"score": "5", "csrf": csrf(page)})
    assert again.status_code == 404 or 'id="rated"' in again.text  # one rating per resolution


def test_wrong_forged_and_revoked_links_get_the_same_404(client, web_container):
    path = open_by_form(client)
    link_id, _, sig = path.rsplit("/", 1)[1].partition(".")
    forged = [f"/s/{link_id}.{'A' * len(sig)}", f"/s/{int(link_id) + 1}.{sig}", "/s/nothing", "/s/1.",
              f"/s/{link_id}"]
    answers = [client.get(p) for p in forged]
    assert {a.status_code for a in answers} == {404}
    assert len({a.text.replace(p, "") for a, p in zip(answers, forged)}) == 1  # the same page, bar its own address
    assert "IT-1" not in answers[0].text
    assert client.post(f"{forged[0]}/reply", data={"text": "x"}).status_code == 404
    ticket_id = WebStore(web_container.engine).ticket_id("IT", 1)
    assert WebStore(web_container.engine).revoke_links(ticket_id, web_container.clock.now()) == 1
    revoked = client.get(path)
    assert revoked.status_code == 404 and revoked.text.replace(path, "") == answers[0].text.replace(forged[0], "")


def test_a_confidential_ticket_shows_its_details_only_through_its_own_link(client, web_container):
    from bot.web.links import Links

    web_container.service.open(Actor("email:sari@example.com"), "HR", "Salary slip", "private details",
                               category="cuti")
    links = Links.from_container(web_container, WebStore(web_container.engine))
    own = links.status_url(WebStore(web_container.engine).ticket_id("HR", 1), "email:sari@example.com")
    page = client.get(own.replace("http://testserver", ""))
    assert page.status_code == 200 and "private details" in page.text
    other = open_by_form(client)
    assert "Salary slip" not in client.get(other).text


def test_tiket_web_links_revoke(client, web_container):
    from typer.testing import CliRunner

    from cli.main import app

    path = open_by_form(client)
    env = {"TIKET_DATABASE_URL": web_container.settings.database_url,
           "TIKET_TEAMS_FILE": web_container.settings.teams_file}
    assert CliRunner().invoke(app, ["web", "links", "revoke", "IT-9"], env=env).exit_code == 1
    assert CliRunner().invoke(app, ["web", "links", "revoke", "nonsense"], env=env).exit_code == 2
    done = CliRunner().invoke(app, ["web", "links", "revoke", "it-1"], env=env)
    assert done.exit_code == 0 and "1 status link(s) revoked" in done.output
    assert client.get(path).status_code == 404
