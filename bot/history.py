"""How one value of a history entry reads: people by name, moments as dates in the team's zone."""
from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from bot.i18n import format_when

_ISO_MOMENT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}")


def shown_value(value: Any, lang: str, tz: str = "UTC", names=None) -> str:
    """``None`` -> "-", ``console:budi`` -> "budi", an ISO moment -> "1 Dec 2026 17:00 (WIB)"."""
    if value is None:
        return "-"
    if isinstance(value, str) and _ISO_MOMENT.match(value):
        try:
            return format_when(datetime.fromisoformat(value.replace("Z", "+00:00")), lang, tz)
        except ValueError:
            return value
    if isinstance(value, str) and ":" in value and " " not in value:
        return names(value) if names is not None else value.split(":", 1)[1]
    return str(value)
