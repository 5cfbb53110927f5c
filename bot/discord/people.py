"""How Discord shows people: a mention (<@id>) in messages, a display name in cards
and lists; other platforms' ids fall back to render.who()."""
from __future__ import annotations

import asyncio
from typing import Any, Callable

from bot.render import who


def mention(user: str | None) -> str:
    """``discord:42`` -> ``<@42>``; anything else as render.who() shows it."""
    if user and user.startswith("discord:") and user[8:].isascii() and user[8:].isdigit():
        return f"<@{user[8:]}>"
    return who(user)


def display_name(lookup: Callable[[int], Any], user: str | None) -> str:
    """The name a Discord user goes by (server nickname, global name, user name), else a mention."""
    if not (user and user.startswith("discord:") and user[8:].isascii() and user[8:].isdigit()):
        return who(user)
    try:
        found = lookup(int(user[8:]))
    except Exception:  # gone, or the API refused: a mention still shows who it was
        found = None
    if found is None:
        return mention(user)
    if isinstance(found, dict):  # a REST user object
        return str(found.get("global_name") or found.get("username") or mention(user))
    return str(getattr(found, "display_name", None) or mention(user))


def display_namer(interaction: Any) -> Callable[[str | None], str]:
    """Names as the interaction's server shows them: member cache, user cache, then the API.
    Call it from a worker thread (the runner's), never on the event loop."""
    guild = getattr(interaction, "guild", None)
    client = getattr(interaction, "client", None)

    def lookup(user_id: int):
        member = guild.get_member(user_id) if guild is not None else None
        found = member or (client.get_user(user_id) if client is not None else None)
        if found is None and client is not None:
            try:
                asyncio.get_running_loop()
                return None  # on the loop itself: never block it
            except RuntimeError:
                pass
            future = asyncio.run_coroutine_threadsafe(client.fetch_user(user_id), client.loop)
            found = future.result(timeout=10)
        return found

    return lambda user: display_name(lookup, user)
