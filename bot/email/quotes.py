"""Subjects and replies: prefixes off, the ticket tag found, quoted text and signatures removed.

Quoted text is cut with mail-parser-reply (extended with Indonesian reply headers) and, as a
backstop, with the reply headers mail clients write: ``On … wrote:``, ``Pada … menulis:``,
``-----Original Message-----`` / ``-----Pesan Asli-----`` and Outlook's ``From:/Sent:`` block.
"""
from __future__ import annotations

import re

PREFIX_RE = re.compile(r"^\s*(?:(?:re|fwd?|fw|balas|tr|aw|sv|wg|r|rif|antw|bls)\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*)+",
                       re.IGNORECASE)
TAG_RE = re.compile(r"\[([A-Za-z][A-Za-z0-9]{0,9})-(\d{1,9})\]")

HEADER_RULES = [
    re.compile(r"^\s*>?\s*On\b.{0,300}?\bwrote:\s*$", re.IGNORECASE | re.MULTILINE | re.DOTALL),
    re.compile(r"^\s*>?\s*Pada\b.{0,300}?\bmenulis:\s*$", re.IGNORECASE | re.MULTILINE | re.DOTALL),
    re.compile(r"^\s*-{3,}\s*(?:Original Message|Pesan Asli|Forwarded message|Pesan yang diteruskan)\s*-{3,}\s*$",
               re.IGNORECASE | re.MULTILINE),
    re.compile(r"^\s*\*?(?:From|Dari)\s*:\*?.*\n\s*\*?(?:Sent|Date|Dikirim|Tanggal|To|Kepada)\s*:",
               re.IGNORECASE | re.MULTILINE),
    re.compile(r"^_{20,}\s*$", re.MULTILINE),
]
SIGNATURE_RULES = [
    re.compile(r"^-- ?$", re.MULTILINE),
    re.compile(r"^\s*(?:Sent from my|Dikirim dari|Get Outlook for|Kirim dari)\b.*$", re.IGNORECASE | re.MULTILINE),
]
INDONESIAN = {
    "wrote_header": r"^(" + r"(?:> ?)*" + r"Pada\s(?:.+?\s?.+?)\s?menulis:)$",
    "from_header": r"((?:(?:^|\n|\n(?:> ?)*)[* ]*(?:Dari|Dikirim|Kepada|Subjek|Tanggal|Cc):[ *]*(?:\s{,2}).*){2,}"
                   r"(?:\n.*){,1})",
    "disclaimers": ["PERHATIAN:", "Penafian:"],
    "signatures": ["Salam", "Terima kasih", "Hormat saya", "Regards"],
    "sent_from": ["Dikirim dari"],
}


def clean_subject(subject: str) -> str:
    """The subject as a title: no Re:/Fwd:/Fw:/Balas:/Tr: prefixes, no ticket tag, one line."""
    text = re.sub(r"\s+", " ", subject or "").strip()
    for _ in range(5):
        stripped = PREFIX_RE.sub("", TAG_RE.sub("", text)).strip()
        if stripped == text:
            break
        text = stripped
    return text


def subject_tags(subject: str) -> list[str]:
    return [f"{team.upper()}-{int(number)}" for team, number in TAG_RE.findall(subject or "")]


def _parser_reply(text: str) -> str | None:
    try:
        from mailparser_reply import EmailReplyParser
        from mailparser_reply.constants import MAIL_LANGUAGES
    except ImportError:  # pragma: no cover - the dependency is declared
        return None
    base = MAIL_LANGUAGES.get("en", {})
    MAIL_LANGUAGES.setdefault("id", {**base, **INDONESIAN})
    try:
        return EmailReplyParser(languages=["en", "id"]).parse_reply(text)
    except Exception:
        return None


def _cut(text: str, rules: list[re.Pattern]) -> str:
    cut = len(text)
    for rule in rules:
        found = rule.search(text)
        if found and found.start() < cut:
            cut = found.start()
    return text[:cut]


def strip_reply(text: str) -> str:
    """The new part of a reply: quoted mail, reply headers and signatures removed."""
    text = (text or "").replace("\r\n", "\n")
    ours = _cut(text, HEADER_RULES)
    ours = "\n".join(line for line in ours.splitlines() if not line.lstrip().startswith(">"))
    ours = _cut(ours, SIGNATURE_RULES).strip()
    theirs = _parser_reply(text)
    if theirs is not None:
        theirs = _cut(theirs.replace("\r\n", "\n"), HEADER_RULES + SIGNATURE_RULES).strip()
        if theirs and len(theirs) < len(ours):
            ours = theirs
    return ours if ours else text.strip()
