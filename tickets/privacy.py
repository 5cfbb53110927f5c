"""Privacy requests: who may run them, and what an erasure leaves behind.

Standard library only. Exports and erasures of a person's data are for admins (the teams
file's `admins`); the operator names themselves (`tiket privacy ... --as console:admin`) and is
recorded with the request. An erasure replaces the person by a random pseudonym everywhere and
replaces the text they wrote with REDACTED; numbers, times, statuses, priorities and SLA
figures stay, so reports keep counting the tickets.
"""
from __future__ import annotations

import secrets

from tickets.errors import PermissionDenied, ValidationError
from tickets.teams import Actor, Directory

REDACTED = "[redacted]"


def authorize_privacy(directory: Directory, operator: str | None) -> Actor:
    """The operator, if they are an admin; PermissionDenied otherwise."""
    if not operator:
        raise ValidationError("privacy_operator_required")
    actor = Actor(operator.strip())
    if not directory.is_admin(actor):
        raise PermissionDenied("privacy_admin_only", user=actor.user)
    return actor


def check_subject(user: str) -> str:
    user = (user or "").strip()
    if ":" not in user or len(user) > 120 or user.startswith("erased:"):
        raise ValidationError("privacy_bad_user", user=user[:120])
    return user


def pseudonym() -> str:
    """A fresh pseudonym: random, so it cannot be recomputed from the person's id."""
    return f"erased:{secrets.token_hex(6)}"
