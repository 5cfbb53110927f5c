"""What the current piece of work is about, for the logs: a request or job id and a ticket key.

Adapters and workers bind these around a unit of work; the JSON log formatter adds them to
every line written meanwhile. Ids and keys only: never a message body or a secret.
"""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator

_fields: ContextVar[dict[str, str]] = ContextVar("tiket_log_fields", default={})
ALLOWED = ("request_id", "job_id", "ticket", "platform")


@contextmanager
def bound(**fields: object) -> Iterator[None]:
    """Add fields (request_id, job_id, ticket, platform) to the log lines written inside the block."""
    current = dict(_fields.get())
    current.update({name: str(value) for name, value in fields.items() if name in ALLOWED and value is not None})
    token = _fields.set(current)
    try:
        yield
    finally:
        _fields.reset(token)


def current() -> dict[str, str]:
    return dict(_fields.get())
