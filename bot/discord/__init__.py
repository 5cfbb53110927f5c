"""The Discord adapter: `/ticket`, cards with persistent buttons, 🎫 intake, ticket threads.

`create_bot(settings, container)` builds the bot; nothing is built at import time.
"""
from __future__ import annotations


def create_bot(settings, container, **options):
    from bot.discord.app import create_bot as _create_bot

    return _create_bot(settings, container, **options)


__all__ = ["create_bot"]
