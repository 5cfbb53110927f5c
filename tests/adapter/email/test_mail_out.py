"""Mail out: the requester follows the ticket in one mail thread; internal notes never; SMTP errors retried."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import OutboxRow
from tests.adapter.email.mails import mail, reply_to, text_of
from tickets.model import Status
from tickets.teams import Actor

ANDI = Actor("console:andi")


def ticket(container, key="IT-1"):
    with container.uow() as uow:
        return uow.tickets.get(*key.split("-")[0:1], int(key.split("-")[1]))


def comments(container, key="IT-1"):
    with container.uow() as uow:
        return [(c.author, c.body, c.internal) for c in uow.comments(ticket(container, key).id, include_internal=True)]


def test_the_requester_follows_the_ticket_in_one_thread(mail_container, worker, mailbox, smtp):
    first = mail(subject="Re: Printer jammed")
    mailbox.deliver(first)
    worker.cycle()
    service = mail_container.service
    service.claim(ANDI, "IT-1")
    service.note(ANDI, "IT-1", "internal: toner supplier is slow")
    service.comment(ANDI, "IT-1", "Which printer exactly?")
    service.wait(ANDI, "IT-1", "need the asset tag")
    worker.cycle()
    inbox = smtp.mails("budi@corp.example")
    subjects = {m["Subject"] for m in inbox}
    assert subjects == {"[IT-1] Printer jammed"}
    assert all(m["In-Reply-To"] == first["Message-ID"] and first["Message-ID"] in m["References"] for m in inbox)
    assert len({m["Message-ID"] for m in inbox}) == len(inbox)
    bodies = "\n".join(text_of(m) for m in inbox)
    assert "Which printer exactly?" in bodies and "asset tag" in bodies
    assert "toner supplier" not in bodies  # internal notes never
    assert all(m["Auto-Submitted"] == "auto-generated" for m in inbox[1:])
    # the requester answers from the mail client, quoting: the ticket resumes, the quote is gone
    answer = reply_to(inbox[-1], "It is the HP in room 301, tag A-17.")
    mailbox.deliver(answer)
    worker.cycle()
    assert ticket(mail_container).status == Status.IN_PROGRESS
    author, body, internal = comments(mail_container)[-1]
    assert (author, body, internal) == ("email:budi@corp.example", "It is the HP in room 301, tag A-17.", False)
    # resolved -> rating request; replying 5 rates it
    service.resolve(ANDI, "IT-1", "replaced the fuser")
    worker.cycle()
    resolved = smtp.mails("budi@corp.example")[-1]
    assert "replaced the fuser" in text_of(resolved) and "1 (bad) to 5" in text_of(resolved)
    mailbox.deliver(reply_to(resolved, "5"))
    worker.cycle()
    rated = ticket(mail_container).id
    with mail_container.uow() as uow:
        assert uow.has_rating(rated, 1)
    assert ticket(mail_container).status == Status.RESOLVED
    service.close(ANDI, "IT-1")
    worker.cycle()
    assert "closed" in text_of(smtp.mails("budi@corp.example")[-1])


def test_a_reply_to_a_resolved_ticket_reopens_it(mail_container, worker, mailbox, smtp):
    mailbox.deliver(mail())
    worker.cycle()
    mail_container.service.resolve(ANDI, "IT-1")
    worker.cycle()
    mailbox.deliver(reply_to(smtp.mails()[-1], "Sorry, it jammed again."))
    worker.cycle()
    assert ticket(mail_container).status in (Status.NEW, Status.IN_PROGRESS)
    assert comments(mail_container)[-1][1] == "Sorry, it jammed again."


def test_subject_tag_is_honoured_only_for_people_of_the_ticket(mail_container, worker, mailbox, smtp):
    mailbox.deliver(mail(cc="Rina <rina@corp.example>"))
    worker.cycle()
    mailbox.deliver(mail(sender="Mallory <mallory@evil.example>", subject="Re: [IT-1] Printer", body="attach me"))
    mailbox.deliver(mail(sender="Rina <rina@corp.example>", subject="[IT-1] Printer", body="Same on floor 2."))
    mailbox.deliver(mail(sender="Andi <andi@corp.example>", subject="RE: [IT-1] Printer", body="On my way."))
    worker.cycle()
    with mail_container.uow() as uow:
        found = {t.key: t for t in uow.tickets.search(limit=10)}
    assert set(found) == {"IT-1", "IT-2"} and found["IT-2"].requester == "email:mallory@evil.example"
    said = comments(mail_container)
    assert ("email:budi@corp.example", "Rina <rina@corp.example>:\nSame on floor 2.", False) in said
    assert ("slack:UANDI", "On my way.", False) in said  # staff, linked in [people]
    assert not any("attach me" in body for _, body, _ in said)


def test_smtp_errors_are_retried_and_sent_once(mail_container, worker, mailbox, smtp, clock):
    smtp.refuse_next = 2
    mailbox.deliver(mail())
    worker.cycle()
    assert smtp.mails() == []
    for _ in range(3):
        clock.advance(minutes=5)
        worker.deliver()
    assert len(smtp.mails()) == 1
    with Session(mail_container.engine) as s:
        [row] = s.scalars(select(OutboxRow).where(OutboxRow.platform == "email"))
    assert row.status == "sent" and row.attempts == 3
    clock.advance(hours=1)
    worker.deliver()
    assert len(smtp.mails()) == 1


def test_a_mail_above_the_limit_is_refused_once_politely(mail_container, worker, mailbox, smtp):
    big = mail(subject="Scans")
    big.add_attachment(b"\0" * 20_000_000, maintype="application", subtype="octet-stream", filename="scan.bin")
    mailbox.deliver(big)
    mailbox.deliver(mail(sender="noreply@vendor.example", subject="Huge newsletter", body="x" * 11_000_000))
    worker.cycle()
    worker.cycle()
    with mail_container.uow() as uow:
        assert uow.tickets.search(limit=10) == []
    [refusal] = smtp.mails()
    assert refusal["To"] == "Budi Santoso <budi@corp.example>" or "budi@corp.example" in refusal["To"]
    assert refusal["In-Reply-To"] == big["Message-ID"] and refusal["Auto-Submitted"] == "auto-replied"
    assert "MB" in text_of(refusal) and mailbox.folder("INBOX") == []


def test_no_subject_attachment_only_mail_gets_a_ticket(mail_container, worker, mailbox, smtp):
    from storage.email import EmailStore

    msg = mail(subject=None, body="")
    msg.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf", filename="faktur.pdf")
    msg["Content-Language"] = "id"  # the sender's client writes Indonesian
    mailbox.deliver(msg)
    mailbox.deliver(mail(subject="x" * 5000))
    worker.cycle()
    first, second = ticket(mail_container, "IT-1"), ticket(mail_container, "IT-2")
    assert first.title == "(tanpa subjek)" and "faktur.pdf" in first.description
    assert len(second.title) == 150
    [stored] = EmailStore(mail_container.engine).attachments(first.id)
    assert (stored.filename, stored.content_type, stored.size, stored.content) == (
        "faktur.pdf", "application/pdf", 8, b"%PDF-1.4")


def test_the_per_requester_rate_limit_applies_to_mail(db_url, engine, clock, email_directory, mailbox, smtp):
    from dataclasses import replace

    from bot.email.runtime import MailWorker
    from config.wiring import build
    from tests.adapter.email.conftest import email_settings

    container = build(email_settings(db_url, mailbox, smtp), clock=clock,
                      directory=replace(email_directory, rate_limit_per_hour=2),
                      platforms=frozenset({"console", "email"}), migrate=False, engine=engine)
    worker = MailWorker(container)
    for n in range(3):
        mailbox.deliver(mail(subject=f"Request {n}"))
    worker.cycle()
    worker.fetcher.close()
    with container.uow() as uow:
        assert len(uow.tickets.search(limit=10)) == 2
    answers = smtp.mails("budi@corp.example")
    assert [m["Subject"] for m in answers[:2]] == ["[IT-1] Request 0", "[IT-2] Request 1"]
    assert answers[2]["Subject"] == "Re: Request 2" and "more than 2 requests" in text_of(answers[2])
    assert mailbox.folder("INBOX") == []


def test_a_confidential_teams_mail_is_sealed_at_rest(db_url, engine, clock, email_directory, mailbox, smtp):
    from cryptography.fernet import Fernet
    from sqlalchemy import text

    from bot.email.runtime import MailWorker
    from config.settings import Settings
    from config.wiring import build
    from storage.email import EmailStore
    from tests.adapter.email.conftest import FROM, TEAMS

    settings = Settings(database_url=db_url, teams_file=str(TEAMS), _env_file=None,
                        encryption={"keys": Fernet.generate_key().decode()},
                        email={"imap_url": mailbox.url, "smtp_url": smtp.url, "from": FROM})
    container = build(settings, clock=clock, directory=email_directory, platforms=frozenset({"console", "email"}),
                      migrate=False, engine=engine)
    worker = MailWorker(container)
    secret = mail(to="hr@corp.example", subject="Gaji saya salah", body="Slip gaji November")
    secret.add_attachment(b"slip-gaji-budi", maintype="application", subtype="pdf", filename="slip.pdf")
    mailbox.deliver(secret)
    worker.cycle()
    worker.fetcher.close()
    with engine.connect() as conn:
        subjects = [r[0] for r in conn.execute(text("SELECT subject FROM email_mail"))]
        [content] = [r[0] for r in conn.execute(text("SELECT content FROM email_attachments"))]
    assert subjects and all(s.startswith("enc1:") for s in subjects)
    assert bytes(content).startswith(b"enc1:") and b"slip-gaji" not in bytes(content)
    [ack] = smtp.mails("budi@corp.example")
    assert ack["Subject"] == "[HR-1] Gaji saya salah"  # opened for the mail
    with container.uow() as uow:
        ticket_id = uow.tickets.get("HR", 1).id
    [stored] = EmailStore(engine, container.cipher).attachments(ticket_id)
    assert stored.content == b"slip-gaji-budi"


def test_a_linked_sender_is_the_reporter_and_follows_by_mail(mail_container, worker, mailbox, smtp):
    mailbox.deliver(mail(sender="Budi <budi.linked@corp.example>", subject="VPN"))
    worker.cycle()
    opened = ticket(mail_container)
    assert (opened.requester, opened.reporter) == ("email:budi.linked@corp.example", "slack:UBUDI")  # [people]
    [ack] = smtp.mails("budi.linked@corp.example")  # one mail: the acknowledgement, no "opened for you"
    assert ack["Subject"] == "[IT-1] VPN"
