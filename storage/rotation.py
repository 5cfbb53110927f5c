"""`tiket keys rotate`: bring every sealed value to the newest key, and seal what should be sealed.

Walks each table by id in batches, one short transaction per batch, and reports progress after
each. A value sealed with an older key is re-encrypted with the newest; plain text of a
confidential team (written before its key existed, or before the team became confidential)
is sealed. Values already current are left alone, so a rotation interrupted at any point is
resumed by running it again: what was done is not done twice.
"""
from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Callable

from sqlalchemy import Engine, select, update

from storage.crypto import Cipher
from storage.email import EmailAttachmentRow, EmailMailRow
from storage.inbox import InboxRow
from storage.models import AuditRow, CommentRow, OutboxRow, RatingRow, TicketRow


@dataclass
class Progress:
    table: str
    seen: int
    total: int
    changed: int


def _fix_text(cipher: Cipher, value, confidential: bool):
    if isinstance(value, str) and value and not value.startswith("enc1:"):
        return cipher.seal(value) if confidential else value
    return cipher.rotate(value)


def _fix_bytes(cipher: Cipher, data, confidential: bool):
    """Attachment contents, sealed as storage/email.py does: the base64 of the bytes, sealed as text."""
    if not data:
        return data
    if data.startswith(b"enc1:"):
        return cipher.rotate(data.decode("ascii")).encode("ascii")
    if confidential:
        return cipher.seal(base64.b64encode(data).decode("ascii")).encode("ascii")
    return data


def _fix_json(cipher: Cipher, data: dict, keys: frozenset[str], confidential: bool) -> dict:
    out = {}
    for k, v in (data or {}).items():
        if k in keys and isinstance(v, list):
            out[k] = [_fix_text(cipher, x, confidential) for x in v]
        elif k in keys:
            out[k] = _fix_text(cipher, v, confidential)
        else:
            out[k] = v
    return out


def _plan(cipher: Cipher):
    """(name, model, query of (id, team, *values), columns, fixer) per table."""
    from storage.crypto import AUDIT_TEXT, TEXT_PARAMS

    conf = cipher.seals
    return [
        ("tickets", TicketRow, select(TicketRow.id, TicketRow.team, TicketRow.title, TicketRow.description),
         ("title", "description"), lambda team, vals: [_fix_text(cipher, v, conf(team)) for v in vals]),
        ("comments", CommentRow, select(CommentRow.id, TicketRow.team, CommentRow.body)
         .join(TicketRow, TicketRow.id == CommentRow.ticket_id),
         ("body",), lambda team, vals: [_fix_text(cipher, v, conf(team)) for v in vals]),
        ("ratings", RatingRow, select(RatingRow.id, TicketRow.team, RatingRow.comment)
         .join(TicketRow, TicketRow.id == RatingRow.ticket_id),
         ("comment",), lambda team, vals: [_fix_text(cipher, v, conf(team)) for v in vals]),
        ("audit_events", AuditRow, select(AuditRow.id, AuditRow.team, AuditRow.changes),
         ("changes",), lambda team, vals: [_fix_json(cipher, vals[0], AUDIT_TEXT, conf(team))]),
        ("outbox", OutboxRow, select(OutboxRow.id, OutboxRow.platform, OutboxRow.params),
         ("params",), lambda _team, vals: [_fix_json(cipher, vals[0], TEXT_PARAMS, True)]),
        ("inbox", InboxRow, select(InboxRow.id, InboxRow.platform, InboxRow.payload),
         ("payload",), lambda _team, vals: [_fix_json(cipher, vals[0], TEXT_PARAMS, True)]),
        ("email_attachments", EmailAttachmentRow, select(EmailAttachmentRow.id, TicketRow.team,
                                                         EmailAttachmentRow.content)
         .join(TicketRow, TicketRow.id == EmailAttachmentRow.ticket_id),
         ("content",), lambda team, vals: [_fix_bytes(cipher, vals[0], conf(team))]),
        ("email_mail", EmailMailRow, select(EmailMailRow.id, TicketRow.team, EmailMailRow.subject)
         .join(TicketRow, TicketRow.id == EmailMailRow.ticket_id),
         ("subject",), lambda team, vals: [_fix_text(cipher, v, conf(team)) for v in vals]),
    ]


def rotate(engine: Engine, cipher: Cipher, *, batch: int = 500,
           progress: Callable[[Progress], None] = lambda p: None) -> dict[str, int]:
    """Rotate every table; returns how many rows changed per table."""
    if not cipher.enabled:
        raise ValueError("TIKET_ENCRYPTION__KEYS is not set: there is no key to rotate to")
    from sqlalchemy import func

    changed_by_table: dict[str, int] = {}
    for name, model, query, columns, fix in _plan(cipher):
        with engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(model)).scalar_one()
        last, seen, changed = 0, 0, 0
        while True:
            with engine.begin() as conn:
                rows = conn.execute(query.where(model.id > last).order_by(model.id).limit(batch)).all()
                for row in rows:
                    row_id, team, *values = row
                    new = fix(team, values)
                    if new != values:
                        conn.execute(update(model).where(model.id == row_id).values(dict(zip(columns, new))))
                        changed += 1
            if not rows:
                break
            last, seen = rows[-1][0], seen + len(rows)
            progress(Progress(name, seen, total, changed))
        changed_by_table[name] = changed
    return changed_by_table
