"""Mail to a confidential team (HR): the attachment contents and subjects are sealed at rest; the team reads them."""
from __future__ import annotations

from pydantic import SecretStr

from config.settings import EncryptionSettings
from tests.adapter.email.mails import mail
from tests.conftest import TEST_ENCRYPTION_KEY
from tests.security.test_encryption import raw_dump


def test_confidential_attachments_and_subjects_are_sealed(db_url, engine, clock, email_directory, mailbox, smtp):
    from bot.email.runtime import MailWorker
    from config.wiring import build
    from storage.email import EmailStore
    from tests.adapter.email.conftest import email_settings

    settings = email_settings(db_url, mailbox, smtp).model_copy(
        update={"encryption": EncryptionSettings(keys=SecretStr(TEST_ENCRYPTION_KEY))})
    container = build(settings, clock=clock, directory=email_directory, platforms=frozenset({"console", "email"}),
                      migrate=False, engine=engine)
    msg = mail(to="hr@corp.example", subject="Surat dokter rahasia Budi", body="lampiran surat sakit")
    msg.add_attachment(b"%PDF-1.4 diagnosa rahasia", maintype="application", subtype="pdf", filename="surat.pdf")
    mailbox.deliver(msg)
    worker = MailWorker(container)
    worker.cycle()
    worker.fetcher.close()
    with container.uow() as uow:
        [ticket] = uow.tickets.search(limit=5)
    assert ticket.team == "HR" and ticket.title == "Surat dokter rahasia Budi"
    [stored] = EmailStore(container.engine, container.cipher).attachments(ticket.id)
    assert stored.content == b"%PDF-1.4 diagnosa rahasia"
    thread = EmailStore(container.engine, container.cipher).thread(ticket.id)
    assert thread and thread[0].subject == "Surat dokter rahasia Budi"
    dump = raw_dump(container.engine)  # tickets, mail map, attachments, inbox, outbox: nothing in the clear
    assert "diagnosa rahasia" not in dump and "Surat dokter rahasia" not in dump
    # a key rotation brings the attachment and the subject to the new key
    from cryptography.fernet import Fernet

    from cli.keys import run_rotate
    from storage.crypto import Cipher

    new = Fernet.generate_key().decode()
    both = build(settings.model_copy(update={"encryption": EncryptionSettings(
        keys=SecretStr(f"{new},{TEST_ENCRYPTION_KEY}"))}), clock=clock, directory=email_directory,
        platforms=frozenset({"console"}), migrate=False, engine=engine)
    assert run_rotate(both, echo=lambda *a, **k: None) == 0
    only_new = EmailStore(engine, Cipher([new], ["HR"]))
    assert only_new.attachments(ticket.id)[0].content == b"%PDF-1.4 diagnosa rahasia"
    assert only_new.thread(ticket.id)[0].subject == "Surat dokter rahasia Budi"
