"""Ticket entities and the lifecycle table."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

from tickets.errors import InvalidTransition, ValidationError
from tickets.text import clean_line, clean_text

TITLE_MAX = 150
DESCRIPTION_MAX = 4000
TEXT_MAX = 4000


class Status(str, enum.Enum):
    NEW = "new"
    IN_PROGRESS = "in_progress"
    WAITING = "waiting"
    RESOLVED = "resolved"
    CLOSED = "closed"
    CANCELLED = "cancelled"
    AWAITING_APPROVAL = "awaiting_approval"  # a category that needs a yes first (tickets/approvals.py)

    @property
    def is_open(self) -> bool:
        return self in OPEN_STATUSES


OPEN_STATUSES = frozenset({Status.NEW, Status.IN_PROGRESS, Status.WAITING, Status.AWAITING_APPROVAL})


class Priority(str, enum.Enum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


# action -> (allowed source statuses, target status or None to keep)
TRANSITIONS: dict[str, tuple[frozenset[Status], Status | None]] = {
    "claim": (frozenset({Status.NEW, Status.IN_PROGRESS, Status.WAITING}), Status.IN_PROGRESS),
    "assign": (frozenset({Status.NEW, Status.IN_PROGRESS, Status.WAITING}), Status.IN_PROGRESS),
    "unclaim": (frozenset({Status.IN_PROGRESS, Status.WAITING}), Status.NEW),
    "wait": (frozenset({Status.IN_PROGRESS}), Status.WAITING),
    "resume": (frozenset({Status.WAITING}), Status.IN_PROGRESS),
    "resolve": (frozenset({Status.NEW, Status.IN_PROGRESS, Status.WAITING}), Status.RESOLVED),
    "close": (frozenset({Status.NEW, Status.IN_PROGRESS, Status.WAITING, Status.RESOLVED, Status.AWAITING_APPROVAL}),
              Status.CLOSED),
    "reopen": (frozenset({Status.RESOLVED, Status.CLOSED}), Status.NEW),
    "cancel": (frozenset({Status.NEW, Status.AWAITING_APPROVAL}), Status.CANCELLED),
    "approve": (frozenset({Status.AWAITING_APPROVAL}), Status.NEW),
    "reject": (frozenset({Status.AWAITING_APPROVAL}), Status.CLOSED),
    "merge": (frozenset({Status.NEW, Status.IN_PROGRESS, Status.WAITING, Status.RESOLVED}), Status.CLOSED),
}


def check_transition(action: str, current: Status) -> Status | None:
    """Return the status `action` leads to from `current`, or refuse it."""
    sources, target = TRANSITIONS[action]
    if current not in sources:
        raise InvalidTransition("invalid_transition", action=action, status=current.value)
    return target


def validate_title(title: str | None) -> str:
    title = clean_line(title)
    if not title:
        raise ValidationError("title_required")
    if len(title) > TITLE_MAX:
        raise ValidationError("title_too_long", max=TITLE_MAX)
    return title


def validate_text(text: str | None, *, required: bool = False, limit: int = TEXT_MAX) -> str:
    text = clean_text(text)
    if required and not text:
        raise ValidationError("text_required")
    if len(text) > limit:
        raise ValidationError("description_too_long", max=limit)
    return text


@dataclass
class Ticket:
    team: str
    number: int
    title: str
    requester: str
    reporter: str
    created_at: datetime
    updated_at: datetime
    description: str = ""
    status: Status = Status.NEW
    priority: Priority = Priority.NORMAL
    assignee: str | None = None
    category: str | None = None
    source: str = "console"
    source_ref: str | None = None  # link back to the origin message
    due_at: datetime | None = None  # explicit deadline
    first_response_due: datetime | None = None
    resolution_due: datetime | None = None
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    paused_at: datetime | None = None
    next_action_at: datetime | None = None
    # business-time measurements the SLA policy records (reports aggregate them in SQL)
    first_response_seconds: int | None = None
    resolution_seconds: int | None = None
    first_response_met: bool | None = None
    resolution_met: bool | None = None
    sla_state: dict = field(default_factory=dict)
    watchers: set[str] = field(default_factory=set)
    tags: set[str] = field(default_factory=set)
    fields: dict = field(default_factory=dict)  # custom field values of its category (tickets.fields)
    workflow: dict = field(default_factory=dict)  # approval, moves and merges (tickets.workflow)
    id: int | None = None
    version: int = 0

    @property
    def key(self) -> str:
        return f"{self.team}-{self.number}"

    def is_party(self, user: str) -> bool:
        return user in (self.requester, self.reporter, self.assignee) or user in self.watchers


@dataclass
class Comment:
    ticket_id: int
    author: str
    body: str
    internal: bool
    created_at: datetime
    kind: str = "comment"  # comment | note | resolution | rating | reason
    id: int | None = None


@dataclass
class AuditEvent:
    ticket_id: int
    actor: str
    action: str
    at: datetime
    changes: dict  # field -> [before, after]
    id: int | None = None
    team: str | None = None  # the ticket's team, stored with the event so reports need no join (set it)


@dataclass
class Rating:
    ticket_id: int
    resolution: int  # which resolution of the ticket (1st, 2nd after reopen, ...)
    score: int
    comment: str
    by: str
    at: datetime


def parse_key(key: str) -> tuple[str, int]:
    team, _, number = key.strip().upper().rpartition("-")
    if not team or not (number.isascii() and number.isdigit()) or len(number) > 9:
        raise ValidationError("bad_key", value=key)
    return team, int(number)
