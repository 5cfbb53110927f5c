"""The command table: one entry per `/ticket` command.

Each entry holds the command's words in English and Indonesian, its arguments
(name, kind, required) and their syntax, its usage line in both languages, the
catalog key of its one-line description, who may use it, and the call it makes.
The grammar, help, the console, Slack (slash command, modal, card buttons) and
Discord (subcommands, buttons) all read this table; none keeps a copy.

Standard library only: descriptions are catalog keys, translated by the adapters.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Mapping

from tickets import arguments as a
from tickets import commands_workflows as workflow_rows
from tickets.arguments import Command
from tickets.dates import DueSpec, clip, parse_due
from tickets.errors import ValidationError
from tickets.periods import is_period
from tickets.messages import N_
from tickets.teams import Actor

LANGUAGES = ("en", "id")


@dataclass(frozen=True)
class Arg:
    """One argument: `kind` says how it is read (key, team, text, title, user, priority,
    rating, when, duration, period, scope, status, topic); `help` is its description's
    catalog key."""

    name: str
    kind: str
    required: bool = False
    help: str = ""


@dataclass
class Invocation:
    """What a command's call needs besides the command itself."""

    actor: Actor
    service: Any
    queries: Any
    now: datetime
    tz: Callable[[str], str] = lambda key: "UTC"
    resolve_user: Callable[[str], str] = lambda user: user
    source: str = "console"
    source_ref: str | None = None
    idempotency_key: str | None = None
    calendar: Callable[[str], Any] = lambda key: None  # the team's BusinessCalendar, for due/snooze
    refs: dict[str, str] | None = None  # platform references a new ticket gets with it ("slack:workspace": ...)


Call = Callable[[Invocation, Command], Any]


@dataclass(frozen=True)
class Spec:
    name: str
    words: Mapping[str, str]  # language -> the word typed after /ticket
    usage: Mapping[str, str]  # language -> usage line (after /ticket)
    summary: str  # catalog key of the one-line description
    syntax: Callable[[str, str], Command] | None
    args: tuple[Arg, ...] = ()
    who: str = "anyone"  # anyone | party | agent | supervisor | requester (catalog: who.<who>)
    call: Call | None = None  # None: answered by the adapter's renderer (help, list, show, ...)
    changes: bool = False  # changes a ticket (so deliveries are due)
    aliases: tuple[str, ...] = field(default=())

    def word(self, lang: str) -> str:
        return self.words.get(lang) or self.words["en"]


def _key(help_key: str = "discord.opt.key") -> Arg:
    return Arg("key", "key", True, help_key)


def _text(name: str, required: bool = False) -> Arg:
    return Arg(name, "text", required, f"discord.opt.{name}")


def _spec(name: str, en: str, id_: str, usage_en: str, usage_id: str, syntax, args=(), who="anyone",
          call: Call | None = None) -> Spec:
    return Spec(name, {"en": en, "id": id_}, {"en": f"{en} {usage_en}".strip(), "id": f"{id_} {usage_id}".strip()},
                N_(f"command.{name}"), syntax, tuple(args), who, call, changes=call is not None)


def _text_call(method: str) -> Call:
    return lambda inv, c: getattr(inv.service, method)(inv.actor, c.key, c.text or "")


def _key_call(method: str) -> Call:
    return lambda inv, c: getattr(inv.service, method)(inv.actor, c.key)


def _open(inv: Invocation, c: Command):
    return inv.service.open(inv.actor, c.team, c.title, c.description or "", source=inv.source,
                            source_ref=inv.source_ref, idempotency_key=inv.idempotency_key, refs=inv.refs)


def _when(inv: Invocation, c: Command):
    """The deadline typed, in the team's business time and zone (tickets/dates.py)."""
    spec = c.due or DueSpec(duration=c.duration)
    return spec.resolve(inv.now, inv.calendar(c.key) or inv.tz(c.key))


def _due(inv: Invocation, c: Command):
    return inv.service.set_due(inv.actor, c.key, _when(inv, c))


def _snooze(inv: Invocation, c: Command):
    return inv.service.snooze(inv.actor, c.key, _when(inv, c), c.text or "")


KEY, TEAM = _key(), Arg("team", "team", False, "discord.opt.team")
TABLE: tuple[Spec, ...] = (
    Spec("form", {"en": "new", "id": "buat"}, {"en": "new [TEAM]", "id": "buat [TIM]"}, N_("command.form"), None),
    _spec("new", "new", "buat", "<TEAM> <title> [| description]", "<TIM> <judul> [| deskripsi]", a.new,
          [TEAM, Arg("title", "title", False, "discord.opt.title"), _text("description")], "anyone", _open),
    _spec("list", "list", "daftar", "[mine|assigned|team <TEAM>|open|all|status <status>|priority <level>|"
          "category <name>|assignee <user>|search <text>]",
          "[saya|ditugaskan|tim <TIM>|terbuka|semua|status <status>|prioritas <tingkat>|kategori <nama>|"
          "petugas <pengguna>|cari <teks>]", a.listing,
          [Arg("scope", "scope", False, "discord.opt.scope"), TEAM, Arg("status", "status", False, "discord.opt.status"),
           Arg("text", "text", False, "discord.opt.search")]),
    _spec("show", "show", "lihat", "<KEY>", "<KODE>", a.key_only, [KEY], "party"),
    _spec("claim", "claim", "ambil", "<KEY>", "<KODE>", a.key_only, [KEY], "agent", _key_call("claim")),
    _spec("unclaim", "unclaim", "lepas", "<KEY>", "<KODE>", a.key_only, [KEY], "agent", _key_call("unclaim")),
    _spec("assign", "assign", "tugaskan", "<KEY> <user>", "<KODE> <pengguna>", a.assign,
          [KEY, Arg("user", "user", True, "discord.opt.user")], "supervisor",
          lambda inv, c: inv.service.assign(inv.actor, c.key, inv.resolve_user(c.user))),
    _spec("priority", "priority", "prioritas", "<KEY> <low|normal|high|urgent>",
          "<KODE> <rendah|sedang|tinggi|mendesak>", a.priority,
          [KEY, Arg("level", "priority", True, "discord.opt.priority")], "agent",
          lambda inv, c: inv.service.set_priority(inv.actor, c.key, c.priority)),
    _spec("due", "due", "tenggat", "<KEY> <tomorrow|friday [10:00]|17/12|17 Dec|end of week|3d|4h>",
          "<KODE> <besok|jumat [10:00]|17/12|17 Des|akhir minggu|3hari|4jam>", a.due,
          [KEY, Arg("when", "when", True, "discord.opt.when")], "agent", _due),
    _spec("wait", "wait", "tunggu", "<KEY> [reason]", "<KODE> [alasan]", a.key_optional_text,
          [KEY, _text("reason")], "agent", _text_call("wait")),
    _spec("resolve", "resolve", "selesai", "<KEY> [note]", "<KODE> [catatan]", a.key_optional_text,
          [KEY, _text("note")], "agent", _text_call("resolve")),
    _spec("close", "close", "tutup", "<KEY> [note]", "<KODE> [catatan]", a.key_optional_text,
          [KEY, _text("note")], "party", _text_call("close")),
    _spec("reopen", "reopen", "buka", "<KEY> [reason]", "<KODE> [alasan]", a.key_optional_text,
          [KEY, _text("reason")], "party", _text_call("reopen")),
    _spec("cancel", "cancel", "batal", "<KEY>", "<KODE>", a.key_only, [KEY], "requester", _key_call("cancel")),
    _spec("comment", "comment", "komentar", "<KEY> <text>", "<KODE> <teks>", a.key_required_text,
          [KEY, _text("text", True)], "party", _text_call("comment")),
    _spec("note", "note", "catatan", "<KEY> <text>", "<KODE> <teks>", a.key_required_text,
          [KEY, _text("text", True)], "agent", _text_call("note")),
    _spec("rate", "rate", "nilai", "<KEY> <1-5> [comment]", "<KODE> <1-5> [komentar]", a.rate,
          [KEY, Arg("score", "rating", True, "discord.opt.score"), _text("comment")], "requester",
          lambda inv, c: inv.service.rate(inv.actor, c.key, c.rating, c.text or "")),
    _spec("watch", "watch", "pantau", "<KEY>", "<KODE>", a.key_only, [KEY], "party", _key_call("watch")),
    _spec("history", "history", "riwayat", "<KEY>", "<KODE>", a.key_only, [KEY], "party"),
    _spec("help", "help", "bantuan", "[command]", "[perintah]", None,
          [Arg("command", "topic", False, "discord.opt.command")]),
    _spec("snooze", "snooze", "tunda", "<KEY> <4h|tomorrow|monday 10:00> [reason]",
          "<KODE> <4jam|besok|senin 10:00> [alasan]", a.snooze,
          [KEY, Arg("duration", "duration", True, "discord.opt.duration"), _text("reason")], "agent", _snooze),
    _spec("stats", "stats", "statistik", "[TEAM] [period]", "[TIM] [periode]", a.report,
          [TEAM, Arg("period", "period", False, "discord.opt.period")], "agent"),
    _spec("export", "export", "ekspor", "[TEAM] [period]", "[TIM] [periode]", a.report,
          [TEAM, Arg("period", "period", False, "discord.opt.period")], "agent"),
)

# the team workflows (issue 15): tickets/commands_workflows.py
TABLE += tuple(_spec(name, en, id_, usage_en, usage_id, syntax, [Arg(*arg) for arg in args], who, call)
               for name, en, id_, usage_en, usage_id, syntax, args, who, call in workflow_rows.ROWS)
COMMANDS: dict[str, Spec] = {spec.name: spec for spec in TABLE}
# the general usage line (no command yet), per language
GENERAL_USAGE = {"en": "<command> [arguments] (see: help)", "id": "<perintah> [argumen] (lihat: bantuan)"}
# every word (lower case) in either language -> command name ("form" is reached through "new")
WORDS: dict[str, str] = {spec.words[lang]: spec.name for spec in TABLE if spec.name != "form" for lang in LANGUAGES}


def spec_for(word: str) -> Spec | None:
    """The command a typed word (either language, any case) or a canonical name names."""
    name = WORDS.get(word.strip().lower())
    return COMMANDS.get(name) if name else None


def usage(name: str, lang: str = "en") -> str:
    """The usage line of a command (or the general one for "") in `lang`, after `/ticket`."""
    spec = COMMANDS.get(name)
    if spec is None:
        return GENERAL_USAGE.get(lang) or GENERAL_USAGE["en"]
    return spec.usage.get(lang) or spec.usage["en"]


def help_topics(lang: str) -> list[tuple[str, str]]:
    """(usage line, description key) for every command a user types, in `lang`'s words."""
    return [(usage(spec.name, lang), spec.summary) for spec in TABLE if spec.name != "form"]


# -- commands from named values (buttons, forms, Discord options) ------------------------
def _read(kind: str, raw: Any, name: str) -> dict[str, Any]:
    """The Command fields one argument value gives."""
    text = raw.strip() if isinstance(raw, str) else raw
    if kind == "key":
        return {"key": a.ticket_key(str(text))}
    if kind == "team":
        team = a.team_key(str(text))
        if team is None:
            raise a.usage(name)
        return {"team": team}
    if kind == "title":
        return {"title": text}
    if kind == "user":
        return {"user": str(text)}
    if kind == "priority":
        return {"priority": a.priority_level(str(text))}
    if kind == "rating":
        return {"rating": a.rating(str(text))}
    if kind == "when":
        spec = parse_due(str(text))
        return {"due": spec, "duration": spec.duration}
    if kind == "duration":  # snooze takes a deadline too ("4h", "besok", "senin 10:00")
        spec = parse_due(str(text))
        return {"due": spec, "duration": spec.duration}
    if kind == "period":
        if not is_period(str(text)):
            raise a.usage(name)
        return {"scope": text}
    if kind == "scope":
        scope = a.LIST_SCOPES.get(str(text).lower())
        if scope is None:
            raise a.usage(name)
        return {"scope": scope}
    if kind == "status":
        status = a.STATUSES.get(str(text).lower().replace(" ", "_").replace("-", "_"))
        if status is None:
            raise a.usage(name)
        return {"status": status}
    if kind == "topic":
        topic = spec_for(str(text))
        if topic is None:
            raise ValidationError("unknown_command", word=clip(str(text)))
        return {"text": topic.name}
    return {"text": a.free_text(str(text))}


def build(name: str, values: Mapping[str, Any]) -> Command:
    """A Command from named argument values (a button, a form, a Discord subcommand's options),
    read and checked by the same argument kinds as typed text. Raises ValidationError."""
    spec = COMMANDS.get(name)
    if spec is None:
        raise ValidationError("unknown_command", word=clip(str(name)))
    fields: dict[str, Any] = {}
    for arg in spec.args:
        raw = values.get(arg.name)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if arg.required:
                raise a.usage(name)
            continue
        fields.update(_read(arg.kind, raw, name))
        if arg.name == "description":
            fields["description"] = fields.pop("text")
    if name == "new":
        if not fields.get("title"):
            return Command("form", team=fields.get("team"))
        if not fields.get("team"):
            raise a.usage(name)
        if len(fields["title"]) > a.TITLE_MAX:
            raise ValidationError("title_too_long", max=a.TITLE_MAX)
    if name == "list":
        scope = fields.get("scope") or ("status" if "status" in fields else "search" if "text" in fields
                                        else "team" if "team" in fields else "mine")
        needs = {"status": "status", "search": "text", "team": "team", "tag": "text", "category": "text"}
        if scope in needs and needs[scope] not in fields:
            raise a.usage(name)
        fields["scope"] = scope
    return Command(name, **fields)
