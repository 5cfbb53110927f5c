"""The web door with the real email notifier, to a real SMTP server on loopback (aiosmtpd): the
status link and the sign-in link arrive by mail, and an agent's reply reaches the web requester."""
from __future__ import annotations

import re

import pytest

from tests.adapter.web.conftest import BASE, web_directory, web_settings
from tests.adapter.web.test_form import GOOD, csrf
from tickets.teams import Actor


@pytest.fixture
def smtp():
    from tests.adapter.email.servers import SmtpRecorder

    server = SmtpRecorder().start()
    yield server
    server.stop()


@pytest.fixture
def mail_web(db_url, engine, clock, directory, smtp):
    from config.settings import Settings
    from config.wiring import build

    base = web_settings(db_url)
    settings = Settings(database_url=db_url, teams_file=base.teams_file, _env_file=None, web=base.web,
                        email={"smtp_url": smtp.url, "from": "Helpdesk <helpdesk@corp.example>"})
    return build(settings, clock=clock, directory=web_directory(directory), platforms=frozenset({"console", "email"}),
                 migrate=False, engine=engine)


@pytest.fixture
def mail_client(mail_web):
    from starlette.testclient import TestClient

    from bot.web.factory import make_web_app

    return TestClient(make_web_app(mail_web), base_url=BASE)


def body(mail) -> str:
    return mail.get_body(preferencelist=("plain",)).get_content()


def test_the_status_link_arrives_by_mail_and_replies_follow(mail_client, mail_web, smtp):
    assert "email" in mail_web.notifiers
    done = mail_client.post("/t/it?lang=id", data={**GOOD, "csrf": csrf(mail_client.get("/t/it"))})
    assert done.status_code == 201
    link = re.search(r'id="status-link" href="([^"]+)"', done.text).group(1)
    mail_web.dispatcher().drain()
    mails = smtp.mails(to="budi@example.com")
    assert len(mails) == 1 and link in body(mails[0])
    assert "Permintaan Anda IT-1" in body(mails[0])  # the language the form was filled in
    assert "[IT-1]" in mails[0]["Subject"]
    mail_web.service.claim(Actor("console:andi"), "IT-1")
    mail_web.service.comment(Actor("console:andi"), "IT-1", "Coba tahan tombol power 10 detik")
    mail_web.dispatcher().drain()
    assert any("Coba tahan tombol power" in body(m) for m in smtp.mails(to="budi@example.com"))


def test_a_sign_in_link_by_real_mail(mail_client, mail_web, smtp):
    sent = mail_client.post("/t/hr/sign-in", data={"email": "sari@example.com", "csrf": csrf(mail_client.get("/t/hr"))})
    assert sent.status_code == 200
    mail_web.dispatcher().drain()
    (mail,) = smtp.mails(to="sari@example.com")
    link = re.search(r"http://testserver(/t/hr/verify/\S+)", body(mail)).group(1)
    assert mail_client.get(link, follow_redirects=False).status_code == 303
    assert 'value="sari@example.com" readonly' in mail_client.get("/t/hr").text
