"""The team-workflow commands of the `/ticket` table (issue 15): move, merge, tag, category, fields,
approve, reject, macro and attach. Each row is what `tickets.commands._spec` takes (the table module
builds the entries, so this module does not import it): name, English and Indonesian words, usage
lines, syntax, arguments as (name, kind, required, help key), who may use it, and the service call.
Standard library only.
"""
from __future__ import annotations

import mimetypes
from pathlib import Path

from tickets import arguments as a
from tickets.arguments import Command
from tickets.errors import ValidationError
from tickets.fields import parse_assignments

MAX_ATTACH_READ = 50 * 1024 * 1024  # the console never reads more than this (the service's limit is lower)


def move(action: str, rest: str) -> Command:
    """<KEY> <TEAM> [reason]"""
    key, more = a._require_key(action, rest)
    word, after = a.split_first(more)
    team = a.team_key(word) if word else None
    if team is None:
        raise a.usage(action)
    return Command(action, key=key, team=team, text=a.free_text(after))


def merge(action: str, rest: str) -> Command:
    """<KEY> <INTO-KEY>: the second key rides in `text`."""
    key, more = a._require_key(action, rest)
    into, after = a.split_first(more)
    if not into or after:
        raise a.usage(action)
    return Command(action, key=key, text=a.ticket_key(into))


def _attach(inv, c: Command):
    """The console's `attach KEY PATH`: the file is read where the console runs."""
    if inv.source != "console":
        raise ValidationError("attach_console_only")
    path = Path(c.text or "").expanduser()
    try:
        if not path.is_file():
            raise ValidationError("attach_no_file", path=str(path)[:200])
        size = path.stat().st_size
        if size > MAX_ATTACH_READ:
            raise ValidationError("attachment_too_large", name=path.name, max=MAX_ATTACH_READ // 1024)
        data = path.read_bytes()
    except OSError:
        raise ValidationError("attach_no_file", path=str(path)[:200]) from None
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return inv.service.attach(inv.actor, c.key, path.name, data, kind)


KEY = ("key", "key", True, "discord.opt.key")
ROWS = (
    ("move", "move", "pindah", "<KEY> <TEAM> [reason]", "<KODE> <TIM> [alasan]", move,
     (KEY, ("team", "team", True, "discord.opt.team"), ("reason", "text", False, "discord.opt.reason")), "agent",
     lambda inv, c: inv.service.move(inv.actor, c.key, c.team, c.text or "")),
    ("merge", "merge", "gabung", "<KEY> <INTO-KEY>", "<KODE> <KODE-TUJUAN>", merge,
     (KEY, ("into", "text", True, "discord.opt.into")), "agent",
     lambda inv, c: inv.service.merge(inv.actor, c.key, a.ticket_key(c.text or ""))),
    ("tag", "tag", "label", "<KEY> <+tag -tag …>", "<KODE> <+label -label …>", a.key_required_text,
     (KEY, ("tags", "text", True, "discord.opt.tags")), "agent",
     lambda inv, c: inv.service.tag(inv.actor, c.key, c.text)),
    ("category", "category", "kategori", "<KEY> <category>", "<KODE> <kategori>", a.key_required_text,
     (KEY, ("category", "text", True, "discord.opt.category")), "agent",
     lambda inv, c: inv.service.set_category(inv.actor, c.key, c.text)),
    ("fields", "fields", "isian", "<KEY> <name=value …>", "<KODE> <nama=nilai …>", a.key_required_text,
     (KEY, ("values", "text", True, "discord.opt.values")), "agent",
     lambda inv, c: inv.service.set_fields(inv.actor, c.key, parse_assignments(c.text))),
    ("approve", "approve", "setuju", "<KEY> [note]", "<KODE> [catatan]", a.key_optional_text,
     (KEY, ("note", "text", False, "discord.opt.note")), "approver",
     lambda inv, c: inv.service.approve(inv.actor, c.key, c.text or "")),
    ("reject", "reject", "tolak", "<KEY> <reason>", "<KODE> <alasan>", a.key_required_text,
     (KEY, ("reason", "text", True, "discord.opt.reason")), "approver",
     lambda inv, c: inv.service.reject(inv.actor, c.key, c.text or "")),
    ("macro", "macro", "makro", "<KEY> <name>", "<KODE> <nama>", a.key_required_text,
     (KEY, ("name", "text", True, "discord.opt.macro")), "agent",
     lambda inv, c: inv.service.macro(inv.actor, c.key, c.text)),
    ("attach", "attach", "lampirkan", "<KEY> <file path>", "<KODE> <path berkas>", a.key_required_text,
     (KEY, ("path", "text", True, "discord.opt.path")), "party", _attach),
)
NAMES = frozenset(row[0] for row in ROWS)
CHAT_ONLY = frozenset({"attach"})  # commands a platform's own file upload replaces
