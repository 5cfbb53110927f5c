"""Encryption at rest for confidential teams: authenticated encryption (Fernet) of ticket text.

Keys come from settings (`TIKET_ENCRYPTION__KEYS`, comma-separated Fernet keys, newest first);
MultiFernet encrypts with the newest and decrypts with any. A sealed value is a string
``enc1:<token>``: self-describing, so readers open whatever is sealed and pass plain text
through (older rows, non-confidential teams), and `tiket keys rotate` can bring every value
to the newest key in batches (storage/rotation.py).

Sealed: titles and descriptions of tickets in confidential teams, their comments and rating
comments, titles in their audit events, their mail subjects and attachment contents (bot/email),
and, whenever keys are set, the free-text parameters of queued messages and inbound requests.
The domain never sees any of it: the repository and the unit of work seal on write and
open on read.
"""
from __future__ import annotations

import logging
from typing import Any, Iterable, Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

log = logging.getLogger(__name__)

PREFIX = "enc1:"
TEXT_PARAMS = frozenset({"title", "text", "note", "reason", "body", "comment", "description"})
AUDIT_TEXT = frozenset({"title"})


class KeyMissing(Exception):
    """A sealed value and no key that opens it."""


def split_keys(raw: str | None) -> list[str]:
    return [k.strip() for k in (raw or "").split(",") if k.strip()]


class Cipher:
    def __init__(self, keys: Sequence[str] = (), confidential: Iterable[str] = ()) -> None:
        keys = [k.strip() for k in keys if k and k.strip()]
        fernets = [Fernet(k.encode()) for k in keys]  # ValueError for a malformed key
        self.confidential = frozenset(t.upper() for t in confidential)
        self._multi = MultiFernet(fernets) if fernets else None
        self._primary = fernets[0] if fernets else None

    @property
    def enabled(self) -> bool:
        return self._multi is not None

    def seals(self, team: str | None) -> bool:
        return self.enabled and team is not None and team.upper() in self.confidential

    # -- one value --------------------------------------------------------------------
    def seal(self, text: str) -> str:
        if not self.enabled or not isinstance(text, str) or not text or text.startswith(PREFIX):
            return text
        return PREFIX + self._multi.encrypt(text.encode("utf-8")).decode("ascii")

    def seal_for(self, team: str | None, text: str | None) -> str | None:
        return self.seal(text) if text and self.seals(team) else text

    def open(self, value: Any) -> Any:
        if not isinstance(value, str) or not value.startswith(PREFIX):
            return value
        if not self.enabled:
            raise KeyMissing("a sealed value and no TIKET_ENCRYPTION__KEYS")
        try:
            return self._multi.decrypt(value[len(PREFIX):].encode("ascii")).decode("utf-8")
        except InvalidToken:
            raise KeyMissing("no configured key opens this value (was a key removed too early?)") from None

    def is_current(self, value: Any) -> bool:
        """True for plain values and values sealed with the newest key."""
        if not isinstance(value, str) or not value.startswith(PREFIX):
            return True
        try:
            self._primary.decrypt(value[len(PREFIX):].encode("ascii"))
            return True
        except (InvalidToken, AttributeError):
            return False

    def rotate(self, value: Any) -> Any:
        if not isinstance(value, str) or not value.startswith(PREFIX) or self.is_current(value):
            return value
        try:
            return PREFIX + self._multi.rotate(value[len(PREFIX):].encode("ascii")).decode("ascii")
        except InvalidToken:
            raise KeyMissing("no configured key opens this value") from None

    # -- structures ------------------------------------------------------------------
    def seal_params(self, params: dict) -> dict:
        if not self.enabled or not params:
            return params
        return {k: self.seal(v) if k in TEXT_PARAMS and isinstance(v, str) else v for k, v in params.items()}

    def open_params(self, params: dict) -> dict:
        return {k: self.open(v) for k, v in (params or {}).items()}

    def seal_changes(self, team: str | None, changes: dict) -> dict:
        if not self.seals(team) or not changes:
            return changes
        return {k: [self.seal(x) if isinstance(x, str) else x for x in v] if k in AUDIT_TEXT and isinstance(v, list)
                else v for k, v in changes.items()}

    def open_changes(self, changes: dict) -> dict:
        return {k: [self.open(x) for x in v] if isinstance(v, list) else self.open(v)
                for k, v in (changes or {}).items()}


NO_CIPHER = Cipher()


def make_cipher(settings, directory) -> Cipher:
    """The cipher of these settings: keys from TIKET_ENCRYPTION__KEYS, sealing the confidential teams."""
    raw = settings.encryption.keys.get_secret_value() if settings.encryption.keys else ""
    confidential = [t.key for t in directory.teams.values() if t.confidential]
    cipher = Cipher(split_keys(raw), confidential)
    if confidential and not cipher.enabled:
        log.warning("confidential team(s) %s but no TIKET_ENCRYPTION__KEYS: their tickets are stored unencrypted",
                    ", ".join(sorted(confidential)))
    return cipher


def encryption_problems(settings, directory) -> list[str]:
    """What `tiket config check` refuses: a confidential team without a key, a malformed key."""
    raw = settings.encryption.keys.get_secret_value() if settings.encryption.keys else ""
    problems = []
    for index, key in enumerate(split_keys(raw), 1):
        try:
            Fernet(key.encode())
        except (ValueError, TypeError):
            problems.append(f"settings: TIKET_ENCRYPTION__KEYS: key {index} is not a Fernet key "
                            "(44 characters of URL-safe base64; make one with `tiket keys generate`)")
    confidential = sorted(t.key for t in directory.teams.values() if t.confidential)
    if confidential and not split_keys(raw):
        problems.append(f"{settings.teams_file}: team(s) {', '.join(confidential)} are confidential but "
                        "TIKET_ENCRYPTION__KEYS is not set: their tickets would be stored unencrypted "
                        "(make a key with `tiket keys generate`)")
    return problems
