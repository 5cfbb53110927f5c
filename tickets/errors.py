"""Errors the ticket domain raises.

Every error carries a message key and parameters; adapters translate it through
the message catalog, so no user ever sees a stack trace or an untranslated text.
"""
from __future__ import annotations


class TicketError(Exception):
    """A refusal the user should see, as a catalog key plus parameters."""

    def __init__(self, code: str, /, **params: object) -> None:
        super().__init__(code)
        self.key = code
        self.params = params

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"{type(self).__name__}({self.key!r}, {self.params!r})"


class NotFound(TicketError):
    pass


class PermissionDenied(TicketError):
    pass


class InvalidTransition(TicketError):
    pass


class ValidationError(TicketError):
    pass


class RateLimited(TicketError):
    pass


class AlreadyClaimed(TicketError):
    pass


class ConcurrencyConflict(Exception):
    """Raised by a repository when a ticket changed under us; services retry."""


class DuplicateRequest(Exception):
    """Raised by storage when a create's idempotency key is already taken."""
