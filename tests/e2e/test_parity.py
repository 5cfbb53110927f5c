"""Parity: the same conversation on the console, Slack and Discord gives the same ticket.

open, claim, public reply, internal note, requester reply, wait, requester answers,
resolve, rate, reopen: for an ordinary team and a confidential one. Each platform
runs on its own database; the statuses after every step, the comments (with their
visibility) and the history must be identical, and no text of the internal note may
reach anything the requester can read (their command answers, their DMs, a private
thread that holds them, the origin thread; on every platform's outbox too).
"""
from __future__ import annotations

import asyncio

import pytest

from tests.adapter.discord.harness import discord_world
from tests.adapter.slack.conftest import fake, serve, slack_settings  # noqa: F401 (fake: a fixture)
from tests.e2e.parity import NOTE_TEXT, SCRIPT, container_for, play_console, play_discord, play_slack, world
from tickets.places import requester_in_thread

EXPECTED_STATUSES = ["new", "in_progress", "in_progress", "in_progress", "in_progress", "waiting", "in_progress",
                     "resolved", "resolved", "in_progress"]


def run_all(team, tmp_path, sqlite_template, fake):
    config, engine, clock, directory = world(tmp_path, sqlite_template, "console")
    console = play_console(container_for(config, engine, clock, directory, {"console"}), team)

    _, engine, clock, directory = world(tmp_path, sqlite_template, "slack")
    slack_config = slack_settings(f"sqlite:///{tmp_path / 'slack.db'}", fake)
    served, stop = serve(container_for(slack_config, engine, clock, directory, {"slack"}), fake)
    try:
        slack = play_slack(served, fake, team)
    finally:
        stop()

    config, engine, clock, directory = world(tmp_path, sqlite_template, "discord")

    async def discord_run():
        async with discord_world(config, engine, clock, directory) as w:
            await w.sync()
            return await play_discord(w, team)
    discord = asyncio.run(discord_run())
    return {"console": console, "slack": slack, "discord": discord}


@pytest.mark.parametrize("team", ["IT", "HR"])
def test_the_same_conversation_gives_the_same_ticket_everywhere(team, tmp_path, sqlite_template, fake):
    runs = run_all(team, tmp_path, sqlite_template, fake)
    console = runs["console"]
    assert console.statuses == EXPECTED_STATUSES
    kinds = [(who, internal, kind) for who, _, internal, kind in console.comments]
    assert ("agent", True, "note") in kinds and ("requester", False, "comment") in kinds
    assert [c for c in console.comments if c[2]] == [("agent", "SECRET-NOTE roller is worn, order part 7731",
                                                      True, "note")]
    assert len(console.history) == len(SCRIPT)  # one audit event per step
    for name, run in runs.items():
        assert run.statuses == console.statuses, name
        assert run.comments == console.comments, name
        assert run.history == console.history, name
    for name, run in runs.items():
        leaked = [text for text in run.requester_read if NOTE_TEXT in text]
        assert leaked == [], (name, leaked)
        assert run.requester_read, name  # the requester did hear things (the check can fail)
        for platform, target, template, params in run.outbox:
            if NOTE_TEXT not in str(params):
                continue
            assert target not in (f"user:{run.requester}", f"origin:{team}-1"), (name, target)
            if target.startswith("thread:"):
                assert not requester_in_thread(directory_team(team), platform), (name, platform, target)


def directory_team(key: str):
    from config.teams import load_teams
    from tests.conftest import FIXTURES

    return load_teams(FIXTURES / "teams.toml").teams[key]
