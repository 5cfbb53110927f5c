"""Every message key the code uses exists in both catalogs, with the same placeholders."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from bot.i18n import LANGUAGES, catalog, normalise_language, placeholders, t

ROOT = Path(__file__).resolve().parents[2]
ERRORS = ("TicketError", "NotFound", "PermissionDenied", "InvalidTransition", "ValidationError", "RateLimited",
          "AlreadyClaimed")
KEYWORDS = {name: None for name in ERRORS} | {"N_": None, "t": None}


def used_keys() -> set[str]:
    """Keys marked in the source: error codes, N_() templates and t() calls with a literal."""
    keys: set[str] = set()
    for package in ("tickets", "bot", "config", "scheduler", "cli"):
        for _file, _line, message, _comments, _ctx in extract_from_dir(
                ROOT / package, method_map=[("**.py", "python")], keywords=KEYWORDS,
                options_map={"**.py": {}}):
            if isinstance(message, tuple):
                message = message[0]
            if not message:
                continue
            if message[0].isupper() or " " in message:
                continue  # not a key (e.g. an exception's English text)
            keys.add(message)
    return keys


def expected_catalog_ids(key: str) -> list[str]:
    """Error codes are looked up as error.<code>; outbox templates as msg.<template>."""
    if key.startswith(("error.", "msg.", "status.", "priority.")) or "." in key:
        return [key]
    if key == "usage":
        return ["error.usage"]
    if key == "card":
        return []
    return [key, f"error.{key}", f"msg.{key}"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_used_key_is_translated(lang):
    known = catalog(lang)
    missing = []
    for key in sorted(used_keys()):
        ids = expected_catalog_ids(key)
        if ids and not any(i in known for i in ids):
            missing.append(key)
    assert missing == [], f"missing from {lang}: {missing}"


def test_catalogs_have_the_same_keys_and_placeholders():
    en, id_ = catalog("en"), catalog("id")
    assert set(en) == set(id_), set(en) ^ set(id_)
    for key in en:
        assert placeholders(en[key]) == placeholders(id_[key]), key
        assert en[key].strip() and id_[key].strip(), key


def test_statuses_and_priorities_have_labels():
    from tickets.model import Priority, Status

    for lang in LANGUAGES:
        for status in Status:
            assert f"status.{status.value}" in catalog(lang)
        for priority in Priority:
            assert f"priority.{priority.value}" in catalog(lang)


def test_indonesian_is_really_indonesian():
    assert t("error.not_found", "id", key="IT-9") == "Tiket IT-9 tidak ditemukan."
    assert t("error.not_found", "en", key="IT-9") == "Ticket IT-9 was not found."


def test_platform_locales_map_to_catalog_languages():
    assert normalise_language("id-ID") == "id"
    assert normalise_language("en_US") == "en"
    assert normalise_language("in") == "id"
    assert normalise_language("fr-FR", "id") == "id"
    assert normalise_language(None, "en") == "en"


def test_missing_key_is_visible_not_a_crash():
    assert t("no.such.key", "id") == "no.such.key"


def test_extraction_finds_the_keys_it_should():
    keys = used_keys()
    assert {"claimed", "already_claimed", "not_found", "rate_limited"} <= keys
    assert not any(re.search(r"\s", k) for k in keys)


def test_dynamic_keys_exist():
    """Keys built at run time: reply.<action>, status/priority labels, units."""
    actions = ["claim", "unclaim", "assign", "priority", "due", "wait", "resolve", "close", "reopen", "cancel",
               "comment", "note", "rate", "watch", "snooze"]
    for lang in LANGUAGES:
        known = catalog(lang)
        for action in actions:
            assert f"reply.{action}" in known, (lang, action)
        for unit in ("day", "hour", "minute", "second"):
            assert f"unit.{unit}" in known
