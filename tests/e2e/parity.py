"""Drivers for the parity test: one scripted conversation played on the console, on
Slack (signed HTTP against the fake Web API) and on Discord (SimCord), each on its
own database, and what each ticket looks like afterwards with people as roles."""
from __future__ import annotations

import io
import shutil
from dataclasses import dataclass, field

from config.settings import Settings
from config.teams import load_teams
from config.wiring import build
from storage.db import make_engine
from tests.conftest import FIXTURES, START
from tickets.ports import FixedClock

# the conversation: (who, step, text); the requester's replies are written where they sit
SCRIPT = [
    ("requester", "open", "Printer jammed"),
    ("agent", "claim", ""),
    ("agent", "comment", "please try tray 2"),
    ("agent", "note", "SECRET-NOTE roller is worn, order part 7731"),
    ("requester", "reply", "tray 2 jams as well"),
    ("agent", "wait", "which floor are you on?"),
    ("requester", "reply", "the second floor"),
    ("agent", "resolve", "replaced the roller"),
    ("requester", "rate", "5"),
    ("requester", "reopen", "it jams again"),
]
NOTE_TEXT = "SECRET-NOTE"
AGENTS = {"IT": "andi", "HR": "dewi"}
CHANNELS = {"IT": ("CIT", "it"), "HR": ("CHR", "hr")}


@dataclass
class Outcome:
    """A platform's run: the status after each step, the comments, the history, and
    every text the requester could read there."""

    statuses: list[str] = field(default_factory=list)
    comments: list[tuple] = field(default_factory=list)
    history: list[tuple] = field(default_factory=list)
    requester_read: list[str] = field(default_factory=list)
    outbox: list[tuple] = field(default_factory=list)
    requester: str = ""


def world(tmp_path, template, name: str, **settings):
    """A container of its own (own SQLite database, own clock, own copy of the teams)."""
    path = tmp_path / f"{name}.db"
    shutil.copy(template, path)
    url = f"sqlite:///{path}"
    config = Settings(database_url=url, teams_file=str(FIXTURES / "teams.toml"), _env_file=None, **settings)
    return config, make_engine(url), FixedClock(START), load_teams(FIXTURES / "teams.toml")


def container_for(config, engine, clock, directory, platforms):
    return build(config, clock=clock, directory=directory, platforms=frozenset(platforms), migrate=False,
                 engine=engine)


def status(container, key: str) -> str:
    return ticket_of(container, key).status.value


def ticket_of(container, key: str):
    team, number = key.split("-")
    with container.uow() as uow:
        return uow.tickets.get(team, int(number))


def finish(container, key: str, roles: dict[str, str], out: Outcome) -> Outcome:
    """Comments, history and outbox rows of the ticket, with people as their roles."""
    from sqlalchemy import select

    from storage.models import OutboxRow

    def role(value):
        return roles.get(value, value) if isinstance(value, str) else value

    ticket = ticket_of(container, key)
    out.requester = ticket.requester
    with container.uow() as uow:
        out.comments = [(role(c.author), c.body, c.internal, c.kind)
                        for c in uow.comments(ticket.id, include_internal=True)]
        out.history = [(role(e.actor), e.action, {k: [role(b), role(a)] for k, (b, a) in e.changes.items()})
                       for e in uow.events(ticket.id)]
    with container.engine.connect() as conn:
        found = conn.execute(select(OutboxRow).order_by(OutboxRow.id)).all()
    cipher = getattr(container, "cipher", None)  # confidential teams' texts may be sealed at rest
    out.outbox = [(r.platform, r.target, r.template, cipher.open_params(dict(r.params)) if cipher else dict(r.params))
                  for r in found]
    return out


# -- the console ---------------------------------------------------------------------------
def play_console(container, team: str) -> Outcome:
    from bot.console.app import Console

    key = f"{team}-1"
    screen = io.StringIO()
    console = Console(container, stdin=io.StringIO(), stdout=screen, user="budi", interactive=False)
    names = {"requester": "budi", "agent": AGENTS[team]}
    out = Outcome()
    for who, step, text in SCRIPT:
        console.handle(f"/as {names[who]}")
        start = len(screen.getvalue())
        line = {"open": f"new {team} {text}", "claim": f"claim {key}", "reply": f"comment {key} {text}",
                "rate": f"rate {key} {text}"}.get(step, f"{step} {key} {text}")
        console.handle(f"/ticket {line}")
        if who == "requester":  # the answer to the requester's own command
            out.requester_read.append(screen.getvalue()[start:])
        start = len(screen.getvalue())
        console.flush()
        delivered = screen.getvalue()[start:]
        out.requester_read += [block for block in delivered.split("\n[") if block.lstrip("[").startswith("DM budi]")]
        out.statuses.append(status(container, key))
    roles = {"console:budi": "requester", f"console:{AGENTS[team]}": "agent"}
    return finish(container, key, roles, out)


# -- Slack -------------------------------------------------------------------------------
def play_slack(served, fake, team: str) -> Outcome:
    key = f"{team}-1"
    channel, _ = CHANNELS[team]
    agent = f"U{AGENTS[team].upper()}"
    users = {"requester": "UBUDI", "agent": agent}
    out = Outcome()
    for who, step, text in SCRIPT:
        user = users[who]
        before = len(fake.calls_to("response_url"))
        if step == "open":
            served.send.command(user, f"new {team} {text}", channel=channel)
        elif step == "claim":  # the card's button
            served.send.action(user, {"action_id": "card_claim", "block_id": f"card:{key}", "type": "button",
                                      "value": key}, channel=channel)
        elif step == "rate":  # the rating button in the requester's DM
            served.send.action(user, {"action_id": f"rate_{text}", "block_id": f"rate:{key}", "type": "button",
                                      "value": f"{key}|{text}"}, channel="DBUDI")
        elif step == "reply":  # the requester writes in the card's thread
            served.send.event({"type": "message", "channel": channel, "user": user, "text": text,
                               "ts": fake.next_ts(), "thread_ts": card_ts(fake, channel, key)})
        else:
            served.send.command(user, f"{step} {key} {text}", channel=channel)
        served.deliver()
        if who == "requester":
            out.requester_read += [c.args.get("text", "") for c in fake.calls_to("response_url")[before:]]
        out.statuses.append(status(served.container, key))
    out.requester_read += [str(c.args) for c in fake.calls if c.args.get("channel") in ("DBUDI", "UBUDI")
                           or c.args.get("user") == "UBUDI"]
    roles = {"slack:UBUDI": "requester", f"slack:{agent}": "agent"}
    return finish(served.container, key, roles, out)


def card_ts(fake, channel: str, key: str) -> str:
    return next(m["ts"] for m in fake.messages.get(channel, []) if not m.get("thread_ts") and key in m["text"])


# -- Discord -----------------------------------------------------------------------------
async def play_discord(w, team: str) -> Outcome:
    key = f"{team}-1"
    _, name = CHANNELS[team]
    channel = w.channels[name]
    people = {"requester": w.budi, "agent": getattr(w, AGENTS[team])}
    out = Outcome()
    for who, step, text in SCRIPT:
        person = people[who]
        result = None
        if step == "open":
            result = await person.slash(channel, "ticket new", team=team, title=text)
        elif step == "claim":  # the card's button
            result = await person.click(w.card(key), custom_id=f"tiket:claim:{key}")
        elif step == "rate":  # the rating button in the requester's DM
            dm = next(m for m in reversed(person.user.dm_channel.history()) if m.components)
            result = await person.user.click(dm, custom_id=f"tiket:rate:{key}:{text}")
        elif step == "reply":  # the requester writes in the ticket's thread
            await person.send(w.thread(key), text)
        else:
            options = {"comment": "text", "note": "text", "wait": "reason", "resolve": "note", "reopen": "reason"}
            result = await person.slash(channel, f"ticket {step}", key=key, **{options[step]: text})
        await w.deliver()
        if who == "requester" and result is not None:
            out.requester_read += [m.content for m in ([result.response] if result.response else [])
                                   + list(result.followups)]
        out.statuses.append(status(w.container, key))
    budi = w.budi
    out.requester_read += [m.content + str(m.embeds) for m in budi.user.dm_channel.history()]
    thread = w.thread(key)
    members = {int(m["user_id"]) for m in await w.bot.http.get_thread_members(thread.id)}
    if budi.id in members:  # a private thread that holds the requester
        out.requester_read += [m.content + str(m.embeds) for m in thread.history(viewer=budi)]
    roles = {w.uid("budi"): "requester", w.uid(AGENTS[team]): "agent"}
    return finish(w.container, key, roles, out)
