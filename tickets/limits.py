"""Bounds on the work any input can cause, checked before the work starts.

Standard library only. Deadlines lie at most a horizon ahead (configurable,
default two years), so the business-time arithmetic of a deadline walks at most
that many days; report periods lie between 2000 and 2100.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tickets.errors import ValidationError

MIN_YEAR = 2000
MAX_YEAR = 2100
DEFAULT_HORIZON_DAYS = 730


@dataclass(frozen=True)
class Limits:
    deadline_horizon_days: int = DEFAULT_HORIZON_DAYS

    @classmethod
    def from_settings(cls, obj: object | None) -> "Limits":
        if obj is None:
            return cls()
        return cls(deadline_horizon_days=int(getattr(obj, "deadline_horizon_days", DEFAULT_HORIZON_DAYS)))

    @property
    def horizon(self) -> timedelta:
        return timedelta(days=max(1, self.deadline_horizon_days))

    def check_deadline(self, at: datetime, now: datetime) -> None:
        """Refuse a deadline further ahead than the horizon (before anything is computed from it)."""
        if at - now > self.horizon:
            raise ValidationError("due_too_far", days=self.horizon.days)


def year_allowed(year: int) -> bool:
    return MIN_YEAR <= year <= MAX_YEAR


def check_period_days(first: date, last: date, value: str) -> None:
    """A report period's first and last local days must lie in MIN_YEAR..MAX_YEAR."""
    if not (year_allowed(first.year) and year_allowed(last.year)):
        raise ValidationError("period_out_of_range", value=value[:40], first=MIN_YEAR, last=MAX_YEAR)
