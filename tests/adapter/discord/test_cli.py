"""`tiket discord sync`: registered on the CLI, refuses without a token, publishes per guild."""
from __future__ import annotations

from typer.testing import CliRunner

from bot.discord.runtime import publish
from cli.main import app
from tests.adapter.discord.harness import discord_world, run


def test_sync_command_is_registered_and_needs_a_token(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.delenv("TIKET_DISCORD__TOKEN", raising=False)
    result = CliRunner().invoke(app, ["discord", "sync", "--help"])
    assert result.exit_code == 0 and "--guild" in result.output
    result = CliRunner().invoke(app, ["discord", "sync"])
    assert result.exit_code == 2 and "TIKET_DISCORD__TOKEN" in result.output


def test_publishing_to_one_guild(settings, engine, clock, directory):
    async def scenario():
        async with discord_world(settings, engine, clock, directory) as w:
            it = w.channels["it"]
            assert w.budi.available_commands(it) == ()
            names = await publish(w.bot, w.guild.id)
            assert sorted(names) == ["Create ticket", "ticket", "ticket-flow"]
            assert "ticket new" in w.budi.available_commands(it)
            assert "ticket-flow move" in w.budi.available_commands(it)  # the team workflows' own group
            assert await w.bot.tree.fetch_commands() == []  # nothing global was created
    run(scenario)


def test_only_the_needed_intents_and_one_privileged(settings, engine, clock, directory):
    import discord

    from bot.discord import create_bot

    bot = create_bot(settings, object())
    wanted = bot.intents
    assert wanted.guilds and wanted.guild_messages and wanted.guild_reactions and wanted.message_content
    assert wanted.dm_messages  # DM intake (issue 15)
    assert not (wanted.members or wanted.presences or wanted.voice_states)
    approved = discord.Intents.none()
    approved.message_content = True  # the one privileged toggle to switch on in the developer portal

    async def scenario():
        async with discord_world(settings, engine, clock, directory, approved_intents=approved) as w:
            assert w.bot.is_ready()
    run(scenario)
