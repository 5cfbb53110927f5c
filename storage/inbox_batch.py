"""Many inbound requests stored in one transaction (a webhook burst: one commit, not one per call).

Same rows and the same "stored once per key" rule as `storage.inbox.SqlInbox.put`; answers, per
item, whether it was new (False for a key already stored, or repeated earlier in the batch).
"""
from __future__ import annotations

from datetime import datetime
from typing import Iterable

from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from storage.inbox import InboxRow
from tickets.ports import Inbound


class InboxBatch:
    def __init__(self, engine: Engine) -> None:
        self.sessions = sessionmaker(bind=engine, expire_on_commit=False)

    def put_many(self, items: Iterable[Inbound], now: datetime) -> list[bool]:
        from storage.repository import upsert

        items = list(items)
        if not items:
            return []
        rows, first = [], {}
        for index, item in enumerate(items):
            if item.key not in first:
                first[item.key] = index
                rows.append(dict(key=item.key, platform=item.platform, kind=item.kind, payload=item.payload,
                                 reply=item.reply, status="pending", attempts=0, next_attempt_at=now,
                                 received_at=now))
        with self.sessions() as session, session.begin():
            stmt = (upsert(session)(InboxRow).values(rows)
                    .on_conflict_do_nothing(index_elements=["key"]).returning(InboxRow.key))
            stored = set(session.scalars(stmt))
        return [item.key in stored and first[item.key] == index for index, item in enumerate(items)]
