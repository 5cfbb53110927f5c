"""`tickets.workflow.WorkflowStore` on the unit of work's session: aliases, tag rows, attachments."""
from __future__ import annotations

import hashlib
import os
import uuid
from datetime import datetime
from pathlib import Path
from typing import Iterable

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from storage.models import CommentRow, RatingRow
from storage.workflows import AttachmentRow, TicketAliasRow, TicketEmbeddingRow, TicketTagRow


class SqlWorkflowStore:
    def __init__(self, session: Session, cipher=None, team_of: dict[int, str] | None = None) -> None:
        self.session = session
        self.cipher = cipher  # storage.crypto.Cipher: a confidential team's text is sealed at rest
        self.team_of = team_of if team_of is not None else {}  # the unit of work's sealing cache

    def moved(self, ticket_id: int, team: str) -> None:
        """The ticket now belongs to `team`: what is written next is sealed (or not) for it, and its
        conversation at rest is sealed for a confidential team (opened again when it leaves one)."""
        self.team_of[ticket_id] = team
        if self.cipher is None or not getattr(self.cipher, "enabled", False):
            return
        for model in (CommentRow, RatingRow):
            column = model.body if model is CommentRow else model.comment
            for row_id, text in self.session.execute(select(model.id, column).where(model.ticket_id == ticket_id)):
                new = self.cipher.seal_for(team, self.cipher.open(text))
                if new != text:
                    self.session.execute(update(model).where(model.id == row_id).values({column.key: new}))

    def set_tags(self, ticket_id: int, tags: Iterable[str]) -> None:
        self.session.execute(delete(TicketTagRow).where(TicketTagRow.ticket_id == ticket_id))
        rows = [{"ticket_id": ticket_id, "tag": tag} for tag in sorted(set(tags))]
        if rows:
            self.session.execute(insert(TicketTagRow), rows)

    def add_alias(self, team: str, number: int, ticket_id: int, at: datetime) -> None:
        self.session.add(TicketAliasRow(team=team, number=number, ticket_id=ticket_id, created_at=at))
        self.session.flush()

    def drop_embedding(self, ticket_id: int) -> None:
        self.session.execute(delete(TicketEmbeddingRow).where(TicketEmbeddingRow.ticket_id == ticket_id))

    def add_attachment(self, ticket_id: int, name: str, content_type: str, data: bytes, by: str, at: datetime,
                       directory: str | None) -> int:
        digest = hashlib.sha256(data).hexdigest()
        row = AttachmentRow(ticket_id=ticket_id, name=name, content_type=content_type, size=len(data),
                            sha256=digest, uploaded_by=by, created_at=at)
        if directory:
            folder = Path(directory) / str(ticket_id)
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            path = folder / f"{uuid.uuid4().hex}.bin"  # never the sender's file name on disk
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            row.path = str(path)
        else:
            row.data = data
        self.session.add(row)
        self.session.flush()
        return row.id

    def attachments(self, ticket_id: int) -> list[dict]:
        stmt = (select(AttachmentRow.id, AttachmentRow.name, AttachmentRow.content_type, AttachmentRow.size,
                       AttachmentRow.uploaded_by, AttachmentRow.created_at)
                .where(AttachmentRow.ticket_id == ticket_id).order_by(AttachmentRow.id))
        return [dict(row._mapping) for row in self.session.execute(stmt)]

    def attachment_data(self, attachment_id: int) -> tuple[dict, bytes] | None:
        row = self.session.get(AttachmentRow, attachment_id)
        if row is None:
            return None
        data = row.data if row.data is not None else Path(row.path).read_bytes()
        return {"id": row.id, "ticket_id": row.ticket_id, "name": row.name, "content_type": row.content_type}, data
