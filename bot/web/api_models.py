"""The REST API's request and response shapes (they make /api/v1/openapi.json)."""
from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from tickets.model import DESCRIPTION_MAX, TEXT_MAX, TITLE_MAX

REQUESTER_RE = re.compile(r"^(?:[a-z][a-z-]{0,19}:[^\s:][^\s]{0,199}|[^@\s:]{1,64}@[^@\s]{1,190})$")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
Priority = Literal["low", "normal", "high", "urgent"]
Status = Literal["new", "in_progress", "waiting", "resolved", "closed", "cancelled", "awaiting_approval"]


def clean(value: str | None) -> str | None:
    if value is not None and CONTROL_RE.search(value):
        raise ValueError("control characters are not allowed")
    return value


def requester_id(value: str | None) -> str | None:
    """An email address becomes `email:<address>` (the same person as in mail); ids keep their platform."""
    if value is None:
        return None
    value = value.strip()
    if not REQUESTER_RE.match(value):
        raise ValueError("a requester is an email address or <platform>:<id>, e.g. email:budi@example.com")
    return f"email:{value.lower()}" if ":" not in value else value


class TicketIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    team: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9]{0,9}$", examples=["IT"])
    title: str = Field(min_length=1, max_length=TITLE_MAX, examples=["Printer on floor 2 is jammed"])
    description: str = Field("", max_length=DESCRIPTION_MAX)
    priority: Priority | None = None
    category: str | None = Field(None, max_length=100)
    requester: str | None = Field(None, max_length=255, description="email address or <platform>:<id>; "
                                  "the token itself when left out", examples=["budi@example.com"])
    external_reference: str | None = Field(None, max_length=500, description="the caller's own reference "
                                           "(stored as the ticket's source_ref)")

    _clean = field_validator("title", "description", "category", "external_reference")(
        classmethod(lambda cls, v: clean(v)))
    _requester = field_validator("requester")(classmethod(lambda cls, v: requester_id(v)))


class CommentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    body: str = Field(min_length=1, max_length=TEXT_MAX)
    author: str | None = Field(None, max_length=255, description="the ticket's requester, or the token "
                               "itself when left out")

    _clean = field_validator("body")(classmethod(lambda cls, v: clean(v)))
    _author = field_validator("author")(classmethod(lambda cls, v: requester_id(v)))


class CommentOut(BaseModel):
    author: str
    body: str
    internal: bool
    kind: str
    created_at: str | None


class EventOut(BaseModel):
    actor: str
    action: str
    at: str | None
    changes: dict[str, Any]


class TicketOut(BaseModel):
    """The ticket object of `tiket tickets list --json`."""
    key: str
    team: str
    number: int
    title: str
    description: str
    status: Status
    priority: Priority
    category: str | None
    requester: str
    reporter: str
    assignee: str | None
    watchers: list[str]
    source: str
    source_ref: str | None
    created_at: str | None
    updated_at: str | None
    due_at: str | None
    first_response_due: str | None
    resolution_due: str | None
    first_response_at: str | None
    resolved_at: str | None
    closed_at: str | None
    # team workflows (issue 15), as tickets.serialize.ticket_json gives them
    tags: list[str] = []
    fields: dict[str, Any] = {}
    approval: dict[str, Any] | None = None
    moved_from: list[str] = []
    merged_into: str | None = None
    merged: list[str] = []


class RatingOut(BaseModel):
    score: int
    comment: str
    by: str
    resolution: int
    at: str | None


class TicketDetail(TicketOut):
    """The ticket object of `tiket tickets show --json` (public comments only)."""
    comments: list[CommentOut]
    history: list[EventOut]
    ratings: list[RatingOut]
    rating: int | None
    rating_comment: str | None


class TicketPage(BaseModel):
    items: list[TicketOut]
    page: int
    per_page: int
    next_page: int | None


class Problem(BaseModel):
    """RFC 9457 problem details; `type` is a stable code (urn:tiket:problem:<code>)."""
    type: str
    title: str
    status: int
    detail: str | None = None
