"""Turning a Slack message into a ticket (🎫 reaction, the "Create ticket" shortcut,
the team picker), and reading a ticket's ``source_ref`` back.

source_ref: ``slack:<channel>:<ts>:<thread_ts> <permalink>``.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.i18n import t
from bot.render import render_failure
from bot.slack.blocks import clip, team_picker
from tickets.errors import ConcurrencyConflict, TicketError
from tickets.model import DESCRIPTION_MAX, TITLE_MAX

log = logging.getLogger(__name__)


@dataclass
class Origin:
    channel: str
    ts: str
    thread_ts: str
    permalink: str | None = None


def source_ref(origin: Origin) -> str:
    ref = f"slack:{origin.channel}:{origin.ts}:{origin.thread_ts}"
    return f"{ref} {origin.permalink}" if origin.permalink else ref


def parse_source_ref(ref: str | None) -> Origin | None:
    if not ref or not ref.startswith("slack:"):
        return None
    head, _, link = ref.partition(" ")
    parts = head.split(":")
    if len(parts) < 3:
        return None
    channel, ts = parts[1], parts[2]
    thread_ts = parts[3] if len(parts) > 3 and parts[3] else ts
    return Origin(channel, ts, thread_ts, link or None)


def fetch_message(client, channel: str, ts: str) -> dict | None:
    """The message at `ts`: top level (history) or a thread reply (replies). Slack errors
    propagate, so the event counts as failed and Slack's retry is processed again."""
    found = client.conversations_history(channel=channel, latest=ts, inclusive=True, limit=1).get("messages")
    if found and found[0].get("ts") == ts:
        return found[0]
    replies = client.conversations_replies(channel=channel, ts=ts, latest=ts, inclusive=True, limit=1)
    return next((m for m in replies.get("messages") or [] if m.get("ts") == ts), None)


def ephemeral(client, channel: str, user: str, text: str, blocks: list | None = None) -> None:
    try:
        client.chat_postEphemeral(channel=channel, user=user, text=clip(text, 3000), blocks=blocks)
    except Exception as exc:  # not in the channel: tell them privately instead
        log.info("postEphemeral failed (%s); sending a DM", exc)
        client.chat_postMessage(channel=user, text=clip(text, 3000), blocks=blocks)


def from_message(deps, client, *, workspace: str | None, channel: str, message: dict, reactor: str,
                 team: str | None = None) -> None:
    """Open a ticket from `message` on behalf of `reactor`; idempotent per message."""
    actor = deps.actor(client, reactor)
    team_obj = deps.directory.teams.get(team.upper()) if team else deps.directory.team_for_channel("slack", channel)
    lang = deps.lang(actor, team_obj)
    text = (message.get("text") or "").strip()
    ts = message["ts"]
    if not text:
        ephemeral(client, channel, reactor, t("slack.intake.empty", lang))
        return
    if team_obj is None:
        teams = [(k, tm.name) for k, tm in sorted(deps.directory.teams.items())]
        ephemeral(client, channel, reactor, t("slack.picker.prompt", lang),
                  team_picker(teams, channel, ts, lang))
        return
    origin = Origin(channel, ts, message.get("thread_ts") or ts)
    try:
        origin.permalink = client.chat_getPermalink(channel=channel, message_ts=ts).get("permalink")
    except Exception as exc:
        log.info("no permalink for %s/%s: %s", channel, ts, exc)
    title = clip(text.splitlines()[0].strip(), TITLE_MAX)
    author = message.get("user") or reactor
    refs = {"slack:origin": f"{origin.channel}:{origin.thread_ts}"}  # written with the ticket
    if workspace:
        refs["slack:workspace"] = workspace
    try:
        result = deps.service.open(actor, team_obj.key, title, clip(text, DESCRIPTION_MAX),
                                   requester=f"slack:{author}", source="slack", source_ref=source_ref(origin),
                                   idempotency_key=f"slack:msg:{channel}:{ts}", refs=refs)
    except (TicketError, ConcurrencyConflict) as err:
        ephemeral(client, channel, reactor, render_failure(err, lang))
        return
    if not result.created:
        ephemeral(client, channel, reactor, t("slack.intake.exists", lang, key=result.ticket.key))
