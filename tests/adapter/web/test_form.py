"""The request form over HTTP through the real app: lists, CSRF, honeypot, errors kept with values,
rate limits, the per-requester limit, attachments, 413, success with the status link, sign-in teams."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from storage.models import OutboxRow, TicketRow, UserRow
from storage.web import WebAttachmentRow

GOOD = {"title": "Laptop will not boot", "description": "Black screen since this morning", "category": "hardware",
        "priority": "high", "name": "Budi Santoso", "email": "Budi@Example.com"}


def csrf(page) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)


def count(container, table=TicketRow) -> int:
    with container.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(table))


def test_index_lists_only_teams_whose_form_is_on(client):
    page = client.get("/")
    assert page.status_code == 200
    assert 'href="/t/it"' in page.text and 'href="/t/hr"' in page.text and "/t/log" not in page.text
    assert client.get("/t/log").status_code == 404  # web_form = "off"
    assert client.get("/t/IT").status_code == 404  # the key, lowercase
    assert client.get("/t/nope").status_code == 404


def test_the_form_has_labels_for_every_field_and_the_teams_choices(client):
    page = client.get("/t/it", headers={"Accept-Language": "id-ID,id;q=0.9,en;q=0.5"})
    assert page.status_code == 200 and '<html lang="id">' in page.text and "Permintaan baru untuk IT Helpdesk" in page.text
    for field in ("title", "description", "category", "priority", "name", "email", "attachments"):
        assert f'<label for="{field}">' in page.text and f'id="{field}"' in page.text, field
    assert '<option value="software"' in page.text
    assert "lang=en" in page.text  # the switch
    english = client.get("/t/it?lang=en", headers={"Accept-Language": "id"})
    assert "New request for IT Helpdesk" in english.text
    assert "New request" in client.get("/t/it", headers={"Accept-Language": "id"}).text  # the switch is remembered


def test_a_submission_opens_a_ticket_for_the_email_requester(client, web_container):
    token = csrf(client.get("/t/it"))
    done = client.post("/t/it", data={**GOOD, "csrf": token})
    assert done.status_code == 201, done.text
    assert "IT-1" in done.text
    link = re.search(r'id="status-link" href="([^"]+)"', done.text).group(1)
    assert link.startswith("http://testserver/s/")
    with web_container.uow() as uow:
        ticket = uow.tickets.get("IT", 1)
    assert (ticket.requester, ticket.source, ticket.priority.value, ticket.category) == (
        "email:budi@example.com", "web", "high", "hardware")
    with web_container.engine.connect() as conn:
        assert conn.scalar(select(UserRow.display_name).where(UserRow.user_id == "email:budi@example.com")) == "Budi Santoso"
    again = client.post("/t/it", data={**GOOD, "csrf": token})  # the same form sent twice: one ticket
    assert "IT-1" in again.text and count(web_container) == 1


def test_errors_are_listed_at_the_top_and_values_kept(client, web_container):
    page = client.post("/t/it", data={**GOOD, "title": "", "email": "not-an-address", "csrf": csrf(client.get("/t/it"))})
    assert page.status_code == 422
    summary = page.text.index('id="error-summary"')
    assert summary < page.text.index('id="title"')
    assert 'href="#title"' in page.text and 'href="#email"' in page.text
    assert 'value="Budi Santoso"' in page.text and "Black screen since this morning" in page.text
    assert 'aria-invalid="true" aria-describedby="email-error"' in page.text
    assert count(web_container) == 0


def test_csrf_and_honeypot(client, web_container):
    assert client.post("/t/it", data={**GOOD, "csrf": "forged.token"}).status_code == 400
    client.cookies.clear()
    stale = client.post("/t/it", data={**GOOD, "csrf": csrf(client.get("/t/it"))}, cookies={"tiket_csrf": "other"})
    assert stale.status_code == 400  # a token from another browser
    client.cookies.clear()
    bot = client.post("/t/it", data={**GOOD, "website": "http://spam", "csrf": csrf(client.get("/t/it"))})
    assert bot.status_code == 400
    assert count(web_container) == 0


def test_rate_limits_per_email_and_per_requester(client, web_container):
    limit = web_container.settings.web.rate_per_email_per_hour
    for n in range(limit):
        assert client.post("/t/it", data={**GOOD, "title": f"n{n}", "csrf": csrf(client.get("/t/it"))}).status_code == 201
    refused = client.post("/t/it", data={**GOOD, "csrf": csrf(client.get("/t/it"))})
    assert refused.status_code == 422 and "Too many requests" in refused.text
    assert count(web_container) == limit


def test_the_per_requester_ticket_limit_is_the_services(client, web_container):
    from dataclasses import replace

    web_container.service.directory = replace(web_container.service.directory, rate_limit_per_hour=1)
    assert client.post("/t/it", data={**GOOD, "csrf": csrf(client.get("/t/it"))}).status_code == 201
    second = client.post("/t/it", data={**GOOD, "csrf": csrf(client.get("/t/it"))})
    assert second.status_code == 422 and 'value="Laptop will not boot"' in second.text
    assert count(web_container) == 1


def test_attachments_are_checked_and_kept(client, web_container):
    ok = client.post("/t/it", data={**GOOD, "csrf": csrf(client.get("/t/it"))},
                     files=[("attachments", ("screen.png", b"\x89PNG fake", "image/png"))])
    assert ok.status_code == 201
    bad = client.post("/t/it", data={**GOOD, "csrf": csrf(client.get("/t/it"))},
                      files=[("attachments", ("run.exe", b"MZ", "application/x-msdownload"))])
    assert bad.status_code == 422 and "run.exe" in bad.text
    with web_container.engine.connect() as conn:
        rows = conn.execute(select(WebAttachmentRow.filename, WebAttachmentRow.ticket_id)).all()
    assert [r.filename for r in rows] == ["screen.png"] and rows[0].ticket_id is not None


def test_a_body_over_the_limit_is_413(client, web_container):
    size = web_container.settings.web.max_body_bytes
    big = client.post("/t/it", data={**GOOD, "csrf": csrf(client.get("/t/it"))},
                      files=[("attachments", ("big.pdf", b"x" * (size + 1), "application/pdf"))])
    assert big.status_code == 413
    assert count(web_container) == 0


def test_the_status_link_is_mailed_when_email_is_configured(client, web_container):
    web_container.notifiers["email"] = object()  # stands in for the email channel's notifier
    done = client.post("/t/it", data={**GOOD, "csrf": csrf(client.get("/t/it"))})
    assert "sent the link to your email" in done.text
    with web_container.engine.connect() as conn:
        mail = conn.execute(select(OutboxRow).where(OutboxRow.platform == "email")).one()
    assert mail.target == "user:email:budi@example.com" and mail.template == "web_status_link"
    assert mail.params["link"] in done.text


def test_a_sign_in_team_takes_requests_only_after_the_mailed_link(client, web_container):
    web_container.notifiers["email"] = object()
    first = client.get("/t/hr")
    assert 'action="/t/hr/sign-in"' in first.text and 'id="title"' not in first.text
    sent = client.post("/t/hr/sign-in", data={"email": "sari@example.com", "csrf": csrf(first)})
    assert sent.status_code == 200
    refused = client.post("/t/hr", data={**GOOD, "category": "cuti", "csrf": csrf(client.get("/t/hr"))})
    assert refused.status_code == 400 and count(web_container) == 0
    with web_container.engine.connect() as conn:
        mail = conn.execute(select(OutboxRow).where(OutboxRow.template == "web_sign_in")).one()
    path = mail.params["link"].replace("http://testserver", "")
    assert client.get(path.replace("/verify/", "/verify/9")).status_code == 404
    verified = client.get(path, follow_redirects=False)
    assert verified.status_code == 303
    assert client.get(path).status_code == 404  # once only
    form = client.get("/t/hr")
    assert 'value="sari@example.com" readonly' in form.text
    done = client.post("/t/hr", data={**GOOD, "email": "someone@else.com", "category": "cuti", "priority": "", "csrf": csrf(form)})
    assert done.status_code == 201
    with web_container.uow() as uow:
        assert uow.tickets.get("HR", 1).requester == "email:sari@example.com"  # the proven address, not the field


def test_rate_limit_per_client_address(db_url, engine, clock, directory):
    from starlette.testclient import TestClient

    from bot.web.factory import make_web_app
    from config.wiring import build
    from tests.adapter.web.conftest import BASE, web_directory, web_settings

    container = build(web_settings(db_url, rate_per_ip_per_hour=2), clock=clock, directory=web_directory(directory),
                      platforms=frozenset({"console"}), migrate=False, engine=engine)
    client = TestClient(make_web_app(container), base_url=BASE)
    for n in range(2):
        page = client.get("/t/it")
        assert client.post("/t/it", data={**GOOD, "email": f"p{n}@example.com", "csrf": csrf(page)}).status_code == 201
    third = client.post("/t/it", data={**GOOD, "email": "p3@example.com", "csrf": csrf(client.get("/t/it"))})
    assert third.status_code == 422 and "Too many requests" in third.text and 'value="p3@example.com"' in third.text
    assert count(container) == 2
