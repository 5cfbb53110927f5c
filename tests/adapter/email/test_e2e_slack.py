"""End to end: a mail becomes a ticket, agents work it in Slack (fake Web API), the requester follows by mail.

Real Dovecot, real aiosmtpd, the real Slack app over HTTP; the requester's replies are built
from the mails Tiket sent (threading headers, quoted text) as a mail client builds them.
"""
from __future__ import annotations

import pytest

from config.settings import Settings
from tests.adapter.email.conftest import FROM, TEAMS
from tests.adapter.email.mails import mail, reply_to, text_of
from tests.adapter.email.test_loops import dsn
from tests.adapter.slack.conftest import SECRET, serve
from tests.adapter.slack.fake_slack import FakeSlack
from tickets.model import Status


@pytest.fixture
def fake():
    server = FakeSlack().start()
    yield server
    server.stop()


@pytest.fixture
def both(db_url, engine, clock, email_directory, mailbox, smtp, fake):
    from bot.email.runtime import MailWorker
    from config.wiring import build

    settings = Settings(database_url=db_url, teams_file=str(TEAMS), _env_file=None,
                        slack={"bot_token": "xoxb-test", "signing_secret": SECRET, "api_url": fake.api_url},
                        email={"imap_url": mailbox.url, "smtp_url": smtp.url, "from": FROM})
    container = build(settings, clock=clock, directory=email_directory, platforms=frozenset({"slack", "email"}),
                      migrate=False, engine=engine)
    served, stop = serve(container, fake)
    worker = MailWorker(container)
    yield served, worker
    worker.fetcher.close()
    stop()


def thread_texts(fake, card_ts):
    return [c.args.get("text", "") for c in fake.calls_to("chat.postMessage") if c.args.get("thread_ts") == card_ts]


def current(container, key="IT-1"):
    with container.uow() as uow:
        return uow.tickets.get("IT", int(key.split("-")[1]))


def test_mail_to_slack_and_back(both, fake, mailbox, smtp):
    slack, worker = both
    container = slack.container
    # 1. a mail arrives: a ticket, its card in #CIT, an acknowledgement in the sender's thread
    first = mail(subject="Printer jammed", body="The printer on floor 3 is jammed.\n\n-- \nBudi, Finance")
    mailbox.deliver(first)
    worker.cycle()
    slack.deliver()
    ticket = current(container)
    assert (ticket.requester, ticket.source, ticket.title) == ("email:budi@corp.example", "email", "Printer jammed")
    card_ts = container.refs("slack").get(ticket.id)["card"].split(":")[1]
    [ack] = smtp.mails("budi@corp.example")
    assert ack["Subject"] == "[IT-1] Printer jammed" and ack["In-Reply-To"] == first["Message-ID"]
    # 2. an agent claims and replies on Slack: the requester gets the reply in the same mail thread
    slack.send.command("UANDI", "claim IT-1")
    slack.send.command("UANDI", "comment IT-1 Which printer exactly? Please send the asset tag.")
    slack.deliver()
    worker.cycle()
    reply = [m for m in smtp.mails("budi@corp.example") if "asset tag" in text_of(m)]
    assert len(reply) == 1 and reply[0]["Subject"] == "[IT-1] Printer jammed"
    assert first["Message-ID"] in reply[0]["References"] and reply[0]["Auto-Submitted"] == "auto-generated"
    # 3. the requester answers from the mail client, quoting: a comment in the Slack thread without the quote
    mailbox.deliver(reply_to(reply[0], "It is the HP in room 301, tag A-17."))
    worker.cycle()
    slack.deliver()
    said = thread_texts(fake, card_ts)
    assert any("room 301, tag A-17" in t for t in said)
    assert not any("Which printer exactly?" in t and "room 301" in t for t in said)  # the quote is gone
    assert not any("> " in t and "room 301" in t for t in said)
    # 4. resolve on Slack: the rating request by mail; replying "5" rates the ticket
    slack.send.command("UANDI", "resolve IT-1 replaced the fuser")
    slack.deliver()
    worker.cycle()
    resolved = smtp.mails("budi@corp.example")[-1]
    assert "replaced the fuser" in text_of(resolved) and "5 (great)" in text_of(resolved)
    mailbox.deliver(reply_to(resolved, "5"))
    worker.cycle()
    slack.deliver()
    it1_id = current(container).id
    with container.uow() as uow:
        assert uow.has_rating(it1_id, 1)
    assert current(container).status == Status.RESOLVED
    # 5. an auto-reply and a bounce create nothing
    before = len(smtp.mails())
    mailbox.deliver(mail(subject="Automatic reply: Printer jammed", headers={"Auto-Submitted": "auto-replied"}))
    mailbox.deliver(dsn(resolved["Message-ID"].strip("<>"), "budi@corp.example"))
    # 6. a stranger's mail with [IT-1] in the subject does not land on IT-1
    mailbox.deliver(mail(sender="Mallory <mallory@evil.example>", subject="Re: [IT-1] Printer jammed",
                         body="Please wire the money."))
    worker.cycle()
    slack.deliver()
    it1_id = current(container).id
    with container.uow() as uow:
        keys = sorted(t.key for t in uow.tickets.search(limit=10))
        it1 = uow.comments(it1_id, include_internal=True)
    assert keys == ["IT-1", "IT-2"]  # IT-2 is the stranger's own ticket
    assert not any("wire the money" in c.body for c in it1)
    assert any("bounced" in t for t in thread_texts(fake, card_ts))
    assert len(smtp.mails()) == before + 1 and smtp.mails()[-1]["Subject"].startswith("[IT-2]")
    assert mailbox.folder("INBOX") == []
