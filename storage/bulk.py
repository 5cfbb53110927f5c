"""PostgreSQL batch writes as one statement over one JSON document of rows."""
from __future__ import annotations

import json
from datetime import datetime


def recordset(columns: dict[str, str]) -> str:
    return ("jsonb_to_recordset(CAST(:rows AS jsonb)) AS v("
            + ", ".join(f"{name} {kind}" for name, kind in columns.items()) + ")")


def _iso(value):
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def as_rows(rows: list[dict]) -> dict:
    return {"rows": json.dumps(rows, default=_iso)}
