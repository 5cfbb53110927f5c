"""Persistent components: every custom_id carries what it acts on (``tiket:claim:IT-3``),
and the bot registers these classes at start-up (`bot.add_dynamic_items`), so a
button on a card posted before a restart, or by another process, still works.
"""
from __future__ import annotations

import re
from typing import Any

import discord

from bot.i18n import t

KEY = r"(?P<key>[A-Z][A-Z0-9]{0,9}-[0-9]{1,12})"
PRIORITIES = ("low", "normal", "high", "urgent")


async def _act(interaction: discord.Interaction, action: str, key: str, value: Any = None) -> None:
    from bot.discord.handlers import card_action

    await card_action(interaction, action, key, value)


def _key_button(action: str, style: discord.ButtonStyle) -> type:
    """A persistent button that runs `action` on the ticket named in its custom_id."""

    class KeyButton(discord.ui.DynamicItem[discord.ui.Button], template=rf"tiket:{action}:{KEY}"):
        def __init__(self, key: str, lang: str = "en") -> None:
            super().__init__(discord.ui.Button(label=t(f"discord.button.{action}", lang), style=style,
                                               custom_id=f"tiket:{action}:{key}"))
            self.key = key

        @classmethod
        async def from_custom_id(cls, interaction, item, match: re.Match[str]):
            return cls(match["key"])

        async def callback(self, interaction: discord.Interaction) -> None:
            await _act(interaction, action, self.key)

    KeyButton.__name__ = KeyButton.__qualname__ = f"{action.title()}Button"
    return KeyButton


ClaimButton = _key_button("claim", discord.ButtonStyle.primary)
ResolveButton = _key_button("resolve", discord.ButtonStyle.success)
CloseButton = _key_button("close", discord.ButtonStyle.secondary)


class PrioritySelect(discord.ui.DynamicItem[discord.ui.Select], template=rf"tiket:priority:{KEY}"):
    def __init__(self, key: str, lang: str = "en", current: str | None = None) -> None:
        options = [discord.SelectOption(label=t(f"priority.{p}", lang), value=p, default=p == current)
                   for p in PRIORITIES]
        super().__init__(discord.ui.Select(placeholder=t("discord.select.priority", lang), options=options,
                                           custom_id=f"tiket:priority:{key}"))
        self.key = key

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]):
        return cls(match["key"])

    async def callback(self, interaction: discord.Interaction) -> None:
        values = (interaction.data or {}).get("values") or []
        await _act(interaction, "priority", self.key, values[0] if values else None)


class AssignSelect(discord.ui.DynamicItem[discord.ui.UserSelect], template=rf"tiket:assign:{KEY}"):
    def __init__(self, key: str, lang: str = "en") -> None:
        super().__init__(discord.ui.UserSelect(placeholder=t("discord.select.assign", lang),
                                               custom_id=f"tiket:assign:{key}"))
        self.key = key

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]):
        return cls(match["key"])

    async def callback(self, interaction: discord.Interaction) -> None:
        values = (interaction.data or {}).get("values") or []
        await _act(interaction, "assign", self.key, f"discord:{values[0]}" if values else None)


class RateButton(discord.ui.DynamicItem[discord.ui.Button], template=rf"tiket:rate:{KEY}:(?P<score>[1-5])"):
    def __init__(self, key: str, score: int) -> None:
        super().__init__(discord.ui.Button(label="★" * score, style=discord.ButtonStyle.secondary,
                                           custom_id=f"tiket:rate:{key}:{score}"))
        self.key, self.score = key, score

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]):
        return cls(match["key"], int(match["score"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await _act(interaction, "rate", self.key, self.score)


DYNAMIC_ITEMS = (ClaimButton, ResolveButton, CloseButton, PrioritySelect, AssignSelect, RateButton)


def card_view(key: str, status: str, priority: str, lang: str, macros: tuple[str, ...] = ()) -> discord.ui.View | None:
    """The card's controls for a ticket in `status` (none once it is closed); `macros`: the team's
    canned replies, offered in a "Reply with…" select."""
    view = discord.ui.View(timeout=None)
    if status in ("new", "in_progress", "waiting"):
        view.add_item(ClaimButton(key, lang))
        view.add_item(ResolveButton(key, lang))
        view.add_item(CloseButton(key, lang))
        view.add_item(PrioritySelect(key, lang, priority))
        view.add_item(AssignSelect(key, lang))
    elif status == "resolved":
        view.add_item(CloseButton(key, lang))
    else:
        return None
    return view


def rating_view(key: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for score in range(1, 6):
        view.add_item(RateButton(key, score))
    return view
