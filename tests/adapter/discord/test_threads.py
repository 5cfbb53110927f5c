"""Ticket threads (private for confidential teams), thread messages as comments, DMs and rating."""
from __future__ import annotations

import discord
import pytest
from simcord import SetupError

from tests.adapter.discord.harness import discord_world, run
from tests.adapter.discord.helpers import private, said


def test_a_confidential_ticket_gets_a_private_thread_with_only_requester_and_team(settings, engine, clock, directory):
    async def scenario():
        async with discord_world(settings, engine, clock, directory) as w:
            await w.sync()
            await w.budi.slash(w.channels["hr"], "ticket new", team="HR", title="Salary slip is wrong")
            await w.deliver()
            thread = w.thread("HR-1")
            cached = w.bot.get_channel(thread.id) or await w.bot.fetch_channel(thread.id)
            assert cached.type == discord.ChannelType.private_thread
            members = {int(m["user_id"]) for m in await w.bot.http.get_thread_members(thread.id)}
            assert members == {w.budi.id, w.dewi.id, w.sari.id, w.bot.user.id}
            assert any("HR-1" in m.content for m in thread.history(viewer=w.dewi))
            assert thread.history(viewer=w.budi)
            for outsider in (w.andi, w.citra, w.joko):
                with pytest.raises(SetupError):
                    thread.history(viewer=outsider)
            # nothing about the ticket anywhere else: only the card in HR's own channel
            for name in ("it", "log", "general"):
                assert all("HR-1" not in (m.content + str(m.embeds)) for m in w.channels[name].history())
    run(scenario)


def test_thread_messages_become_comments_without_echo(settings, engine, clock, directory):
    async def scenario():
        async with discord_world(settings, engine, clock, directory) as w:
            await w.sync()
            await w.budi.slash(w.channels["it"], "ticket new", team="IT", title="Cannot print")
            await w.deliver()
            await w.andi.slash(w.channels["it"], "ticket claim", key="IT-1")
            await w.deliver()
            thread = w.thread("IT-1")
            await w.budi.send(thread, "It says paper jam")
            await w.andi.send(thread, "checking the spooler first")
            await w.citra.send(thread, "me too!")  # not a party: not stored
            await w.rina.send(w.channels["it"], "unrelated chatter")
            comments = [(c.author, c.body, c.internal) for c in w.comments("IT-1")]
            assert comments == [(w.uid("budi"), "It says paper jam", False),
                                (w.uid("andi"), "checking the spooler first", True)]
            before = len(thread.history())
            await w.deliver()
            assert len(thread.history()) == before  # not posted back into the thread they came from
            dm = w.andi.user.dm_channel.last_message  # the assignee hears of the requester's reply
            assert dm is not None and "It says paper jam" in dm.content
            r = await w.andi.slash(w.channels["it"], "ticket comment", key="IT-1", text="try tray 2")
            assert "IT-1" in said(r) and w.comments("IT-1")[-1].internal is False
            await w.deliver()
            assert "try tray 2" in thread.history()[-1].content
            assert "try tray 2" in w.budi.user.dm_channel.last_message.content
    run(scenario)


def test_requester_dms_and_rating_buttons(settings, engine, clock, directory):
    async def scenario():
        async with discord_world(settings, engine, clock, directory) as w:
            await w.sync()
            it = w.channels["it"]
            await w.budi.slash(it, "ticket new", team="IT", title="New mouse")
            await w.andi.slash(it, "ticket claim", key="IT-1")
            await w.andi.slash(it, "ticket wait", key="IT-1", reason="wired or wireless?")
            await w.deliver()
            dms = [m.content for m in w.budi.user.dm_channel.history()]
            assert len(dms) == 2 and "IT-1" in dms[0] and "wired or wireless?" in dms[1]
            await w.andi.slash(it, "ticket resolve", key="IT-1", note="wireless one on your desk")
            await w.deliver()
            resolved = w.budi.user.dm_channel.last_message
            assert "wireless one on your desk" in resolved.content
            ids = [c.custom_id for row in resolved.components for c in row.children]
            assert ids == [f"tiket:rate:IT-1:{n}" for n in range(1, 6)]
            await w.env.restart_bot(w.new_bot())  # rating still works after a restart
            rated = await w.budi.user.click(resolved, custom_id="tiket:rate:IT-1:4")
            assert "IT-1" in said(rated) and private(rated)
            again = await w.budi.user.click(resolved, custom_id="tiket:rate:IT-1:5")
            assert "IT-1" in said(again) and said(again) != said(rated)  # already rated
            await w.deliver()
            assert any("4" in m.content for m in w.thread("IT-1").history())
            await w.andi.slash(it, "ticket close", key="IT-1")
            await w.deliver()
            assert "IT-1" in w.budi.user.dm_channel.last_message.content and \
                w.budi.user.dm_channel.last_message.id != resolved.id
    run(scenario)


def test_closed_dms_fall_back_to_the_ticket_thread(settings, engine, clock, directory):
    async def scenario():
        async with discord_world(settings, engine, clock, directory) as w:
            await w.sync()
            it = w.channels["it"]
            await w.budi.slash(it, "ticket new", team="IT", title="Broken chair")
            await w.deliver()
            # SimCord gap: users cannot close their DMs; Discord answers 50007, so inject exactly that.
            dm = w.budi.user.dm_channel
            w.env.inject_error("POST", f"/channels/{dm.id}/messages", status=403, code=50007,
                               message="Cannot send messages to this user", times=None)
            await w.andi.slash(it, "ticket claim", key="IT-1")
            await w.andi.slash(it, "ticket resolve", key="IT-1", note="new chair ordered")
            await w.deliver()
            assert dm.history() == []
            mine = [m for m in w.thread("IT-1").history() if m.content.startswith(w.budi.mention)]
            assert len(mine) == 2 and "new chair ordered" in mine[1].content
            assert [c.custom_id for row in mine[1].components for c in row.children][-1] == "tiket:rate:IT-1:5"
            rated = await w.budi.click(mine[1], custom_id="tiket:rate:IT-1:5")
            assert "IT-1" in said(rated)
            refused = await w.citra.click(mine[1], custom_id="tiket:rate:IT-1:1")  # only the requester rates
            assert said(refused) and said(refused) != said(rated)
            assert w.container.outbox.rows("dead", 10) == []
    run(scenario)


def test_role_agents_of_a_confidential_team_are_called_into_its_thread(settings, engine, clock, directory):
    import dataclasses

    async def scenario():
        async with discord_world(settings, engine, clock, directory) as w:
            hr = w.container.directory.teams["HR"]
            role = f"discord-role:{w.role.id}"
            w.container.directory.teams["HR"] = dataclasses.replace(hr, agents=hr.agents | {role})
            await w.sync()
            await w.budi.slash(w.channels["hr"], "ticket new", team="HR", title="Leave request")
            await w.deliver()
            thread = w.thread("HR-1")
            # SimCord gap: a role mention does not add the role's members to a private thread
            # as Discord does, so the test checks the mention the bot sends for it.
            calls = [m for m in thread.history() if m.content == f"<@&{w.role.id}>"]
            assert len(calls) == 1 and calls[0].raw_role_mentions == [w.role.id]
    run(scenario)
