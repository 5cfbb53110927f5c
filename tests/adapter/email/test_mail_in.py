"""Mail in through a real Dovecot: ticket once, moved after commit, failures retried then set aside."""
from __future__ import annotations

from tests.adapter.email.mails import mail, text_of
from tickets.model import Status


def tickets(container):
    with container.uow() as uow:
        return uow.tickets.search(limit=100)


def test_new_mail_becomes_a_ticket_with_an_acknowledgement(mail_container, worker, mailbox, smtp):
    sent = mail(cc="Rina <rina@corp.example>")
    mailbox.deliver(sent)
    assert worker.cycle()["fetched"] == 1
    [ticket] = tickets(mail_container)
    assert (ticket.key, ticket.title, ticket.requester, ticket.source) == ("IT-1", "Printer", "email:budi@corp.example",
                                                                          "email")
    assert "Budi Santoso <budi@corp.example>" in ticket.description and "floor 3" in ticket.description
    assert mailbox.folder("INBOX") == []
    [(flags, raw)] = mailbox.folder("Tiket/Processed")
    assert "\\Seen" in flags and sent["Message-ID"].encode() in raw
    [ack] = smtp.mails("budi@corp.example")
    assert ack["Subject"] == "[IT-1] Printer" and ack["In-Reply-To"] == sent["Message-ID"]
    assert ack["Auto-Submitted"] == "auto-replied" and ack["Message-ID"].endswith("@corp.example>")
    assert "IT-1" in text_of(ack) and ack.get_body(preferencelist=("html",)) is not None
    # the same mail again (a crash before the move, or delivered twice): nothing new
    mailbox.deliver(sent)
    worker.cycle()
    assert len(tickets(mail_container)) == 1 and len(smtp.mails()) == 1
    assert len(mailbox.folder("Tiket/Processed")) == 2 and mailbox.folder("INBOX") == []


def test_crash_between_commit_and_move_processes_nothing_twice(mail_container, worker, mailbox, smtp):
    mailbox.deliver(mail())
    worker.fetcher.sync()
    worker.worker.drain()  # the ticket is committed; the process dies before moving the mail
    worker.fetcher.close()
    from bot.email.runtime import MailWorker

    again = MailWorker(mail_container)  # a new process
    again.cycle()
    again.fetcher.close()
    assert len(tickets(mail_container)) == 1
    assert mailbox.folder("INBOX") == [] and len(mailbox.folder("Tiket/Processed")) == 1


def test_a_failing_mail_is_retried_then_set_aside_and_the_loop_goes_on(mail_container, worker, mailbox, clock,
                                                                        monkeypatch):
    calls = []
    real = worker.handler.on_new

    def flaky(parsed, entry):
        if "poison" in parsed.subject:
            calls.append(1)
            raise RuntimeError("cannot handle this one")
        return real(parsed, entry)
    monkeypatch.setattr(worker.handler, "on_new", flaky)
    mailbox.deliver(mail(subject="poison"))
    mailbox.deliver(mail(subject="Fine mail"))
    worker.cycle()
    assert [t.title for t in tickets(mail_container)] == ["Fine mail"]
    assert len(mailbox.folder("INBOX")) == 1  # left in place
    for _ in range(6):
        clock.advance(minutes=30)
        worker.cycle()
    assert len(calls) == 5
    assert mailbox.folder("INBOX") == []
    [(flags, raw)] = mailbox.folder("Tiket/Failed")
    assert b"poison" in raw and "\\Seen" not in flags
    dead = worker.inbox.rows(platform="email", status="dead")
    assert len(dead) == 1 and "cannot handle" in dead[0].last_error
    # tiket email retry: tried again, and once it works the mail moves on
    monkeypatch.setattr(worker.handler, "on_new", real)
    assert worker.inbox.retry(None, clock.now(), platform="email") == 1
    worker.cycle()
    assert sorted(t.title for t in tickets(mail_container)) == ["Fine mail", "poison"]
    assert mailbox.folder("Tiket/Failed") == [] and len(mailbox.folder("Tiket/Processed")) == 2
