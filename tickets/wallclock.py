"""Wall-clock helpers of the business calendar: local time to UTC across DST gaps.

Standard library only.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

UTC = timezone.utc
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_SECOND = timedelta(seconds=1)


def require_aware(value: datetime, name: str) -> datetime:
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got naive {value.isoformat()}")
    return value.astimezone(UTC)


def localize(tz: ZoneInfo, naive: datetime) -> datetime:
    """Local wall time -> UTC.  Gap times map forward to the jump; ambiguous use fold=0."""
    first = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if first.astimezone(tz).replace(tzinfo=None) == naive:
        return first
    # ``naive`` falls in a gap.  fold=0 and fold=1 resolve it with the offsets
    # from before and after the jump; the jump itself lies between the two.
    second = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    lo, hi = min(first, second), max(first, second)
    # Smallest whole second s in [lo, hi] whose wall time is already >= naive
    # (tz database transitions fall on whole seconds).
    lo_s = (lo - _EPOCH) // _SECOND
    hi_s = -((_EPOCH - hi) // _SECOND)  # ceiling
    while lo_s < hi_s:
        mid = (lo_s + hi_s) // 2
        wall = (_EPOCH + mid * _SECOND).astimezone(tz).replace(tzinfo=None)
        if wall >= naive:
            hi_s = mid
        else:
            lo_s = mid + 1
    return _EPOCH + lo_s * _SECOND
