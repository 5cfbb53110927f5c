"""What a message from a person writing in from outside (WhatsApp; any chat-like channel) means.

The adapter hands over the message (its text, the id of a list row the person picked, the
media it kept), what Tiket last asked the person (`Pending`, kept in storage) and the
person's tickets still in play; `decide` answers with one `Step`: open a ticket, reply on
one, rate one, or ask which team / which ticket first. Standard library only, no I/O.

Rules:
- a first message with no ticket in play: one team takes the channel -> open at once;
  several -> ask which (a list), the message waits as the draft until one is chosen;
- later messages are public replies on their ticket in play; with several, ask which;
  a reply to a resolved ticket reopens it (the service resumes a waiting one);
- ``baru`` / ``new`` starts a new request (the rest of the message, or the next one);
- list ids: ``team:<KEY>``, ``ticket:<KEY>``, ``rate:<KEY>:<1-5>``, ``more:<offset>``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

NEW_WORDS = frozenset({"baru", "new"})
ROWS = 10  # the most rows a list may show (WhatsApp's limit)
TITLE_MAX = 150
IN_PLAY = ("new", "in_progress", "waiting", "resolved")

_EN = frozenset("the is my i not please help can you need to and it a working hello hi thanks thank broken with "
                "have of for this my our we printer does doesn't can't cannot want would could there what how".split())
_ID = frozenset("saya tidak yang dan ini itu tolong bisa mohon ada di ke dari untuk rusak minta halo terima kasih "
                "sudah belum mau kami kita apa bagaimana gak nggak tdk sy pak bu mati tolonglah".split())


def detect_language(text: str, default: str = "id") -> str:
    """``en`` when the words look English rather than Indonesian, else `default`."""
    words = re.findall(r"[a-z']+", (text or "").lower())
    en = sum(w in _EN for w in words)
    id_ = sum(w in _ID for w in words)
    return "en" if en > id_ else "id" if id_ > en else default


def title_from(text: str, fallback: str = "") -> str:
    """The first non-empty line, cut to fit a title."""
    for line in (text or "").splitlines():
        line = line.strip()
        if line:
            return line if len(line) <= TITLE_MAX else line[:TITLE_MAX - 1].rstrip() + "…"
    return fallback


@dataclass
class Pending:
    """What Tiket asked the person and waits for; stored between messages."""

    kind: str | None = None  # team | ticket | new | None
    options: list[str] = field(default_factory=list)  # team keys or ticket keys offered
    draft: str = ""  # what they wrote before choosing
    media: list[int] = field(default_factory=list)  # kept media waiting for their ticket
    offset: int = 0

    def to_dict(self) -> dict:
        return {"kind": self.kind, "options": self.options, "draft": self.draft, "media": self.media,
                "offset": self.offset}

    @classmethod
    def from_dict(cls, data: dict | None) -> "Pending":
        data = data or {}
        return cls(data.get("kind"), list(data.get("options") or []), data.get("draft") or "",
                   [int(m) for m in data.get("media") or []], int(data.get("offset") or 0))


@dataclass
class ChatMessage:
    text: str = ""
    choice: str | None = None  # the id of the list row / button picked
    media: list[int] = field(default_factory=list)  # media kept from this message


@dataclass
class InPlay:
    key: str
    title: str
    status: str


@dataclass
class Step:
    action: str  # open | reply | rate | ask_team | ask_ticket | ask_text | no_team
    pending: Pending  # what to store after this step
    team: str | None = None
    key: str | None = None
    text: str = ""
    media: list[int] = field(default_factory=list)
    score: int | None = None
    reopen: bool = False


def page(options: list[str], offset: int) -> tuple[list[str], int | None]:
    """The rows to show from `offset` (at most ROWS, the last one a "more" row when needed)."""
    rest = options[offset:]
    if len(rest) <= ROWS:
        return rest, None
    return rest[:ROWS - 1], offset + ROWS - 1


def _join(*parts: str) -> str:
    return "\n".join(p for p in parts if p)


def decide(msg: ChatMessage, pending: Pending, tickets: list[InPlay], teams: list[tuple[str, str]]) -> Step:
    """One message in, one step out (see the module's rules)."""
    team_keys = [k for k, _ in teams]
    by_key = {t.key: t for t in tickets}
    choice = msg.choice or ""
    if choice.startswith("rate:"):
        _, key, score = (choice.split(":") + ["", ""])[:3]
        if score.isascii() and score.isdigit():
            return Step("rate", pending, key=key, score=int(score))
    if choice.startswith("more:") and pending.kind in ("team", "ticket") and choice[5:].isascii() and choice[5:].isdigit():
        asked = replace(pending, offset=int(choice[5:]))
        return Step("ask_team" if pending.kind == "team" else "ask_ticket", asked)
    if choice.startswith("team:") and choice[5:] in team_keys:
        return _open(choice[5:], pending, msg)
    if choice.startswith("ticket:") and choice[7:] in by_key:
        return _reply(by_key[choice[7:]], pending, msg)
    text = msg.text.strip()
    first, _, rest = text.partition(" ")
    if first.lower().strip(".!,:") in NEW_WORDS:
        fresh = Pending(draft="", media=[])
        if not rest.strip() and not msg.media:
            return Step("ask_text", replace(fresh, kind="new"))
        return _new_request(ChatMessage(rest.strip(), None, msg.media), fresh, teams)
    if pending.kind == "team":
        picked = _match_team(text, pending.options, teams)
        if picked:
            return _open(picked, pending, ChatMessage("", None, msg.media))
        return Step("ask_team", _add(pending, msg))
    if pending.kind == "ticket":
        picked = _match_ticket(text, pending.options, by_key)
        if picked:
            return _reply(by_key[picked], pending, ChatMessage("", None, msg.media))
        return Step("ask_ticket", _add(pending, msg))
    if pending.kind == "new" or not tickets:
        return _new_request(msg, pending, teams)
    if len(tickets) == 1:
        return _reply(tickets[0], pending, msg)
    options = [t.key for t in tickets]
    return Step("ask_ticket", Pending("ticket", options, _join(pending.draft, text), pending.media + msg.media))


def _add(pending: Pending, msg: ChatMessage) -> Pending:
    return replace(pending, draft=_join(pending.draft, msg.text.strip()), media=pending.media + msg.media)


def _new_request(msg: ChatMessage, pending: Pending, teams: list[tuple[str, str]]) -> Step:
    draft = Pending(draft=_join(pending.draft, msg.text.strip()), media=pending.media + msg.media)
    if not teams:
        return Step("no_team", Pending())
    if len(teams) == 1:
        return _open(teams[0][0], draft, ChatMessage())
    return Step("ask_team", replace(draft, kind="team", options=[k for k, _ in teams], offset=0))


def _open(team: str, pending: Pending, msg: ChatMessage) -> Step:
    return Step("open", Pending(), team=team, text=_join(pending.draft, msg.text.strip()),
                media=pending.media + msg.media)


def _reply(ticket: InPlay, pending: Pending, msg: ChatMessage) -> Step:
    return Step("reply", Pending(), key=ticket.key, text=_join(pending.draft, msg.text.strip()),
                media=pending.media + msg.media, reopen=ticket.status == "resolved")


def _match_team(text: str, options: list[str], teams: list[tuple[str, str]]) -> str | None:
    wanted = text.strip().lower()
    if wanted.isascii() and wanted.isdigit() and 1 <= int(wanted) <= len(options):
        return options[int(wanted) - 1]
    for key, name in teams:
        if key in options and wanted in (key.lower(), name.lower()):
            return key
    return None


def _match_ticket(text: str, options: list[str], by_key: dict[str, InPlay]) -> str | None:
    wanted = text.strip().upper()
    if wanted.isascii() and wanted.isdigit() and 1 <= int(wanted) <= len(options):
        wanted = options[int(wanted) - 1]
    return wanted if wanted in options and wanted in by_key else None
