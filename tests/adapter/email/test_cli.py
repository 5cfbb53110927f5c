"""`tiket config check [--connect]`, `tiket email status|retry`, `tiket run email` against the real servers."""
from __future__ import annotations

import json
import threading
import time

import pytest
from cryptography.fernet import Fernet
from typer.testing import CliRunner

from tests.adapter.email.conftest import FROM, TEAMS
from tests.adapter.email.mails import mail


@pytest.fixture
def cli(monkeypatch, db_url, mailbox, smtp):
    from cli.main import app

    for name, value in {"TIKET_DATABASE_URL": db_url, "TIKET_TEAMS_FILE": str(TEAMS),
                        "TIKET_EMAIL__IMAP_URL": mailbox.url, "TIKET_EMAIL__SMTP_URL": smtp.url,
                        "TIKET_EMAIL__FROM": FROM, "TIKET_EMAIL__POLL_SECONDS": "0.2",
                        "TIKET_ENCRYPTION__KEYS": Fernet.generate_key().decode()}.items():
        monkeypatch.setenv(name, value)
    for name in ("TIKET_SLACK__BOT_TOKEN", "TIKET_DISCORD__TOKEN"):
        monkeypatch.delenv(name, raising=False)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args), catch_exceptions=False)


def test_config_check_connects_to_both_servers_and_masks_the_password(cli, mailbox):
    done = cli("config", "check", "--connect")
    assert done.exit_code == 0, done.output
    assert "imap: logged in as" in done.output and "(IDLE)" in done.output and "smtp: connected" in done.output
    assert "email" in done.output.splitlines()[0] and "secret" not in done.output


def test_config_check_names_what_is_wrong(cli, monkeypatch, mailbox):
    monkeypatch.setenv("TIKET_EMAIL__IMAP_URL", mailbox.url.replace(":secret@", ":wrong-s3cret@"))
    done = cli("config", "check", "--connect")
    assert done.exit_code == 1 and "imap: cannot log in" in done.output and "wrong-s3cret" not in done.output
    monkeypatch.setenv("TIKET_EMAIL__SMTP_URL", "http://mx.corp.example")
    monkeypatch.delenv("TIKET_EMAIL__FROM")
    done = cli("config", "check")
    assert done.exit_code == 1
    assert "smtp://, smtp+starttls:// or smtps://" in done.output and "TIKET_EMAIL__FROM" in done.output


def test_email_status_lists_failed_mail_and_retry_requeues_it(cli, mail_container, worker, mailbox, clock,
                                                              monkeypatch):
    monkeypatch.setattr(worker.handler, "on_new", lambda parsed, entry: 1 / 0)
    mailbox.deliver(mail(subject="poison"))
    for _ in range(6):
        worker.cycle()
        clock.advance(hours=1)
    data = json.loads(cli("email", "status", "--json").output)
    assert data["last_fetch"] and data["backlog"] == 0 and len(data["failed"]) == 1
    assert "ZeroDivisionError" in data["failed"][0]["error"] and data["failed"][0]["attempts"] == 5
    text = cli("email", "status").output
    assert "1 failed" in text and "ZeroDivisionError" in text
    assert "1 mail(s) queued again" in cli("email", "retry").output
    assert json.loads(cli("email", "status", "--json").output)["backlog"] == 1


def test_tiket_run_email_without_a_mailbox_says_what_to_set(cli, monkeypatch):
    monkeypatch.delenv("TIKET_EMAIL__IMAP_URL")
    done = cli("run", "email")
    assert done.exit_code == 2 and "TIKET_EMAIL__IMAP_URL" in done.output


def test_the_mail_process_runs_until_stopped(mail_container, mailbox, smtp):
    """`tiket run` starts this next to the other processes when the IMAP URL is set (IDLE wakes it)."""
    from bot.email.runtime import start_email_background

    stop = start_email_background(mail_container)
    try:
        mailbox.deliver(mail(subject="While running"))
        deadline = time.monotonic() + 20
        while not smtp.mails():
            assert time.monotonic() < deadline, "no acknowledgement from the running mail process"
            time.sleep(0.05)  # bounded wait for the background thread
    finally:
        stop()
    assert smtp.mails()[0]["Subject"] == "[IT-1] While running"
    assert not [t for t in threading.enumerate() if t.name == "tiket-mail"]


def test_tiket_run_starts_the_mail_process_when_the_imap_url_is_set(cli, monkeypatch):
    import bot.email.runtime as runtime

    called = []
    monkeypatch.setattr(runtime, "run_email", lambda container: called.append(container.settings.email.imap_url))
    monkeypatch.setattr("scheduler.runtime.start_scheduler", lambda container: lambda: None)
    done = cli("run")
    assert done.exit_code == 0, done.output
    assert len(called) == 1
