"""Where each ticket lives on Discord (table platform_refs).

Refs: ``card`` -> ``<channel_id>:<message_id>``, ``thread`` -> ``<thread_id>``, ``echo``
-> recent fingerprints of thread messages already stored as comments.
"""
from __future__ import annotations

from storage.platform_refs import PlatformRefs

PLATFORM = "discord"
_refs = PlatformRefs(PLATFORM)
get_refs, set_ref, drop_ref = _refs.get_refs, _refs.set_ref, _refs.drop_ref
ticket_for_ref, remember_echo, take_echo = _refs.ticket_for_ref, _refs.remember_echo, _refs.take_echo
