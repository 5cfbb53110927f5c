"""The ticket repository: rows in, domain tickets out."""
from __future__ import annotations

from datetime import datetime
from typing import Iterable

from sqlalchemy import bindparam, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.crypto import NO_CIPHER, Cipher
from storage.models import TeamCounter, TicketRow
from tickets.errors import ConcurrencyConflict, DuplicateRequest
from tickets.model import Priority, Status, Ticket
from tickets.text import like_pattern

SEALED_SCAN = 5000  # newest confidential tickets a text search opens and matches

FIELDS = ("team", "number", "title", "description", "requester", "reporter", "assignee", "category", "source",
          "source_ref", "due_at", "first_response_due", "resolution_due", "first_response_at", "resolved_at",
          "closed_at", "paused_at", "next_action_at", "created_at", "updated_at", "first_response_seconds",
          "resolution_seconds", "first_response_met", "resolution_met")


def to_ticket(row: TicketRow, cipher: Cipher | None = None) -> Ticket:
    """The domain ticket of a row; with `cipher`, sealed text is opened (without, it stays sealed)."""
    ticket = Ticket(**{name: getattr(row, name) for name in FIELDS}, status=Status(row.status),
                    priority=Priority(row.priority), sla_state=dict(row.sla_state or {}),
                    watchers=set(row.watchers or ()), tags=set(row.tags or ()), fields=dict(row.fields or {}),
                    workflow=dict(row.workflow or {}), id=row.id, version=row.version)
    if cipher is not None:
        ticket.title, ticket.description = cipher.open(ticket.title), cipher.open(ticket.description)
    return ticket


def to_values(ticket: Ticket, cipher: Cipher | None = None) -> dict:
    """The row values of a ticket; with `cipher`, a confidential team's text is sealed."""
    values = {name: getattr(ticket, name) for name in FIELDS}
    values.update(status=ticket.status.value, priority=ticket.priority.value, sla_state=dict(ticket.sla_state),
                  watchers=sorted(ticket.watchers), tags=sorted(ticket.tags), fields=dict(ticket.fields),
                  workflow=dict(ticket.workflow))
    if cipher is not None and cipher.seals(ticket.team):
        values.update(title=cipher.seal(ticket.title), description=cipher.seal(ticket.description))
    return values


# Built once: executing a prepared statement with parameters skips SQLAlchemy's per-call construction.
INSERT_TICKET = insert(TicketRow).returning(TicketRow.id)
UPDATE_TICKET = (update(TicketRow)
                 .where(TicketRow.id == bindparam("_id"), TicketRow.version == bindparam("_version")))


def search_sealed(repo: "SqlTicketRepository", stmt, text: str, limit: int) -> list[Ticket]:
    """Confidential teams' text is sealed, so SQL cannot match it: open the newest SEALED_SCAN rows
    of those teams and match them here (case-insensitive, like the SQL search)."""
    needle, out = text.lower(), []
    for row in repo.session.scalars(stmt.limit(SEALED_SCAN)):
        ticket = repo._ticket(row)
        if needle in ticket.title.lower() or needle in (ticket.description or "").lower():
            out.append(ticket)
            if len(out) >= limit:
                break
    return out


def upsert(session: Session):
    """The dialect's INSERT that knows ON CONFLICT."""
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


class SqlTicketRepository:
    def __init__(self, session: Session, cipher: Cipher = NO_CIPHER) -> None:
        self.session = session
        self.cipher = cipher
        self.team_of: dict[int, str] = {}  # the teams of the tickets seen, for the unit of work's sealing

    def _ticket(self, row: TicketRow) -> Ticket:
        self.team_of[row.id] = row.team
        return to_ticket(row, self.cipher)

    def add(self, ticket: Ticket, *, idempotency_key: str | None = None) -> Ticket:
        values = to_values(ticket, self.cipher) | {"idempotency_key": idempotency_key, "version": 0}
        try:
            ticket.id = self.session.connection().execute(INSERT_TICKET, values).scalar_one()
        except IntegrityError as exc:
            raise DuplicateRequest(idempotency_key) from exc
        ticket.version = 0
        self.team_of[ticket.id] = ticket.team
        return ticket

    def get(self, team: str, number: int, *, for_update: bool = False) -> Ticket | None:
        stmt = select(TicketRow).where(TicketRow.team == team, TicketRow.number == number)
        if for_update:
            stmt = stmt.with_for_update()
        row = self.session.scalars(stmt.execution_options(populate_existing=True)).first()
        if row is None:  # an old key of a moved ticket (issue 15) points to it
            from storage.workflows import TicketAliasRow

            moved = self.session.execute(select(TicketAliasRow.ticket_id).where(
                TicketAliasRow.team == team, TicketAliasRow.number == number)).scalar()
            if moved is not None:
                stmt = select(TicketRow).where(TicketRow.id == moved)
                row = self.session.scalars((stmt.with_for_update() if for_update else stmt)
                                           .execution_options(populate_existing=True)).first()
        return self._ticket(row) if row else None

    def get_by_id(self, ticket_id: int) -> Ticket | None:
        row = self.session.get(TicketRow, ticket_id, populate_existing=True)
        return self._ticket(row) if row else None

    def by_idempotency_key(self, key: str) -> Ticket | None:
        found = self.session.execute(select(TicketRow.id).where(TicketRow.idempotency_key == key)).scalar()
        return self.get_by_id(found) if found is not None else None

    def save(self, ticket: Ticket) -> None:
        values = to_values(ticket, self.cipher) | {"version": ticket.version + 1, "_id": ticket.id,
                                                   "_version": ticket.version}
        result = self.session.connection().execute(UPDATE_TICKET, values)
        if result.rowcount != 1:
            raise ConcurrencyConflict(ticket.key)
        ticket.version += 1

    def next_number(self, team: str) -> int:
        insert = upsert(self.session)
        stmt = insert(TeamCounter).values(team=team, last=1)
        stmt = stmt.on_conflict_do_update(index_elements=["team"], set_={"last": TeamCounter.last + 1})
        return self.session.execute(stmt.returning(TeamCounter.last)).scalar_one()

    def count_created_by(self, requester: str, since: datetime) -> int:
        stmt = select(func.count()).select_from(TicketRow).where(
            TicketRow.requester == requester, TicketRow.created_at >= since)
        return self.session.execute(stmt).scalar_one()

    def search(self, *, teams: Iterable[str] | None = None, statuses: Iterable[str] | None = None,
               assignee: str | None = None, party: str | None = None, text: str | None = None,
               limit: int = 50, tag: str | None = None, category: str | None = None) -> list[Ticket]:
        stmt = select(TicketRow)
        if tag is not None:
            from storage.workflows import TicketTagRow

            stmt = stmt.where(TicketRow.id.in_(select(TicketTagRow.ticket_id).where(TicketTagRow.tag == tag.lower())))
        if category is not None:
            stmt = stmt.where(func.lower(TicketRow.category) == category.lower())
        if teams is not None:
            stmt = stmt.where(TicketRow.team.in_(list(teams)))
        if statuses is not None:
            stmt = stmt.where(TicketRow.status.in_(list(statuses)))
        if assignee is not None:
            stmt = stmt.where(TicketRow.assignee == assignee)
        if party is not None:
            stmt = stmt.where(or_(TicketRow.requester == party, TicketRow.reporter == party,
                                  TicketRow.assignee == party))
        order = (TicketRow.created_at.desc(), TicketRow.id.desc())
        if not text:
            return [self._ticket(row) for row in self.session.scalars(stmt.order_by(*order).limit(limit))]
        pattern = like_pattern(text.lower())  # the text's own % and _ match themselves
        matches = or_(func.lower(TicketRow.title).like(pattern, escape="\\"),
                      func.lower(TicketRow.description).like(pattern, escape="\\"))
        sealed = sorted(self.cipher.confidential) if self.cipher.enabled else []
        if not sealed:
            return [self._ticket(row) for row in self.session.scalars(stmt.where(matches).order_by(*order).limit(limit))]
        found = [self._ticket(row) for row in self.session.scalars(
            stmt.where(TicketRow.team.not_in(sealed), matches).order_by(*order).limit(limit))]
        found += search_sealed(self, stmt.where(TicketRow.team.in_(sealed)).order_by(*order), text, limit)
        found.sort(key=lambda t: (t.created_at, t.id), reverse=True)
        return found[:limit]

