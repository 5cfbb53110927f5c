"""No loops, no noise: automatic mail and bounces open nothing; a bounce marks the delivery failed."""
from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import OutboxRow
from tests.adapter.email.mails import mail


def dsn(original_id: str, recipient: str) -> bytes:
    """A delivery status notification (RFC 3464) as a mail server sends it."""
    boundary = "dsn-boundary-1"
    return (
        f"From: Mail Delivery System <MAILER-DAEMON@mx.corp.example>\r\n"
        f"To: helpdesk@corp.example\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        f"Message-ID: {make_msgid(domain='mx.corp.example')}\r\nAuto-Submitted: auto-replied\r\n"
        f"MIME-Version: 1.0\r\n"
        f"Content-Type: multipart/report; report-type=delivery-status; boundary=\"{boundary}\"\r\n\r\n"
        f"--{boundary}\r\nContent-Type: text/plain\r\n\r\nThis is the mail system. Your mail could not be "
        f"delivered.\r\n\r\n"
        f"--{boundary}\r\nContent-Type: message/delivery-status\r\n\r\n"
        f"Reporting-MTA: dns; mx.corp.example\r\n\r\n"
        f"Final-Recipient: rfc822; {recipient}\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        f"Diagnostic-Code: smtp; 550 5.1.1 <{recipient}>: user does not exist\r\n\r\n"
        f"--{boundary}\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"From: IT Helpdesk <helpdesk@corp.example>\r\nTo: {recipient}\r\nMessage-ID: <{original_id}>\r\n"
        f"Subject: [IT-1] Printer\r\n\r\n--{boundary}--\r\n").encode()


def count_tickets(container) -> int:
    with container.uow() as uow:
        return len(uow.tickets.search(limit=100))


def test_automatic_mail_gets_no_ticket_and_no_answer(mail_container, worker, mailbox, smtp):
    for headers, sender in [({"Auto-Submitted": "auto-replied"}, "Budi <budi@corp.example>"),
                            ({"Precedence": "list", "List-Id": "<all.corp.example>"}, "all@corp.example"),
                            ({"X-Auto-Response-Suppress": "OOF"}, "budi@corp.example"),
                            ({}, "noreply@vendor.example"), ({}, "MAILER-DAEMON@corp.example")]:
        mailbox.deliver(mail(sender=sender, subject="Out of office", headers=headers))
    mailbox.deliver(mail(message_id="<tiket.77.it-1@corp.example>"))  # our own mail, looped back
    worker.cycle()
    assert count_tickets(mail_container) == 0 and smtp.mails() == []
    assert mailbox.folder("INBOX") == [] and len(mailbox.folder("Tiket/Processed")) == 6


def test_a_bounce_marks_the_delivery_failed_and_tells_the_thread(mail_container, worker, mailbox, smtp):
    mailbox.deliver(mail(sender="Budi <budi@nowhere.example>"))
    worker.cycle()
    [ack] = smtp.mails("budi@nowhere.example")
    mailbox.deliver(dsn(ack["Message-ID"].strip("<>"), "budi@nowhere.example"))
    worker.cycle()
    assert count_tickets(mail_container) == 1 and len(smtp.mails()) == 1  # nothing opened, nothing answered
    with Session(mail_container.engine) as s:
        rows = list(s.scalars(select(OutboxRow).order_by(OutboxRow.id)))
    [delivery] = [r for r in rows if r.platform == "email"]
    assert delivery.status == "dead" and "user does not exist" in delivery.last_error
    [told] = [r for r in rows if r.template == "email_bounced"]
    assert (told.platform, told.target, told.params["address"]) == ("console", "thread:IT-1", "budi@nowhere.example")
    from bot.render import render_message

    assert "bounced" in render_message(told.template, told.params, "en")


def test_acknowledgements_are_limited_per_sender(mail_container, worker, mailbox, smtp):
    for n in range(7):
        mailbox.deliver(mail(subject=f"Request {n}"))
    worker.cycle()
    assert count_tickets(mail_container) == 7
    assert len(smtp.mails("budi@corp.example")) == 5  # default: 5 an hour


def test_confidential_team_mail_stays_in_the_team(mail_container, worker, mailbox, smtp):
    mailbox.deliver(mail(to="hr@corp.example", subject="Gaji saya salah"))
    worker.cycle()
    with Session(mail_container.engine) as s:
        rows = list(s.scalars(select(OutboxRow)))
    assert rows and all(r.target.split(":")[0] in ("card", "thread", "user") for r in rows)
    assert not [r for r in rows if r.target.startswith(("origin:", "team:"))]
    [ack] = smtp.mails("budi@corp.example")
    assert ack["Subject"].startswith("[HR-1]") and "Tim HR" in ack.get_body(("plain",)).get_content()
