"""Fixtures: a real Dovecot (one per test session, a fresh mailbox per test), aiosmtpd, the wired container."""
from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from config.settings import Settings
from config.teams import load_teams
from tests.adapter.email.servers import Dovecot, SmtpRecorder, dovecot_binary

TEAMS = Path(__file__).parent / "teams.toml"
FROM = "IT Helpdesk <helpdesk@corp.example>"


@pytest.fixture(scope="session")
def dovecot_server():
    if dovecot_binary() is None:
        pytest.skip("dovecot is not installed (scripts/test installs dovecot-imapd)")
    server = Dovecot().start()
    yield server
    server.stop()


class Mailbox:
    """One test's mailbox on the shared Dovecot: its own user, so its own folders."""

    def __init__(self, server: Dovecot) -> None:
        self.server = server
        self.user = f"helpdesk-{uuid.uuid4().hex[:8]}"

    @property
    def url(self) -> str:
        return self.server.url(self.user)

    def deliver(self, mail) -> None:
        self.server.append(mail, user=self.user)

    def folder(self, name: str = "INBOX"):
        return self.server.messages(name, user=self.user)


@pytest.fixture
def mailbox(dovecot_server) -> Mailbox:
    return Mailbox(dovecot_server)


@pytest.fixture
def smtp():
    server = SmtpRecorder().start()
    yield server
    server.stop()


@pytest.fixture
def email_directory():
    return load_teams(TEAMS)


def email_settings(db_url: str, mailbox: Mailbox, smtp: SmtpRecorder, **email) -> Settings:
    values = {"imap_url": mailbox.url, "smtp_url": smtp.url, "from": FROM, "poll_seconds": 0.1, **email}
    return Settings(database_url=db_url, teams_file=str(TEAMS), email=values, _env_file=None)


@pytest.fixture
def mail_container(db_url, engine, clock, email_directory, mailbox, smtp):
    from config.wiring import build

    return build(email_settings(db_url, mailbox, smtp), clock=clock, directory=email_directory,
                 platforms=frozenset({"console", "email"}), migrate=False, engine=engine)


@pytest.fixture
def worker(mail_container):
    from bot.email.runtime import MailWorker

    worker = MailWorker(mail_container)
    yield worker
    worker.fetcher.close()
    sender = mail_container.notifiers.get("email")
    if sender is not None:
        sender.sender.close()
