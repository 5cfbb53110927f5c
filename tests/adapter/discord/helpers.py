"""Small helpers shared by the Discord adapter tests."""
from __future__ import annotations


def said(result) -> str:
    """Everything the bot answered to one interaction (the response and follow-ups)."""
    parts = []
    if result.response is not None:
        parts.append(result.response.content)
    parts.extend(f.content for f in result.followups)
    return "\n".join(parts)


def private(result) -> bool:
    messages = ([result.response] if result.response is not None else []) + list(result.followups)
    return bool(messages) and all(m.ephemeral for m in messages)


def callback_types(world) -> list[int]:
    """The type of every interaction callback the bot sent (5 = deferred, 8 = choices, 9 = modal)."""
    return [r.json.get("type") for r in world.env.http_requests
            if r.method == "POST" and r.path.startswith("/interactions/") and isinstance(r.json, dict)]


def always_deferred(world) -> bool:
    """Every answer was deferred first (3-second rule), apart from autocomplete and modals."""
    types = callback_types(world)
    return bool(types) and set(types) <= {5, 8, 9}
