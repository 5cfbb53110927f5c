"""The team workflows on Discord (SimCord): /ticket-flow commands in both languages with refusals,
the approver's DM buttons and reason modal, the card's "Reply with…" select and DM intake."""
from __future__ import annotations

import dataclasses

from tests.adapter.discord.harness import discord_world, run
from tests.adapter.discord.helpers import private, said
from tickets.fields import CategoryRules, Macro
from tickets.teams import Actor


def with_workflows(directory):
    it, hr = directory.teams["IT"], directory.teams["HR"]
    directory.teams["IT"] = dataclasses.replace(it, macros=(
        Macro("restart", "Please restart it.", "Silakan nyalakan ulang.", "wait", "restart"),))
    directory.teams["HR"] = dataclasses.replace(hr, category_rules={
        "surat keterangan": CategoryRules(approval="supervisor")})
    return directory


def test_flow_commands_in_both_languages(settings, engine, clock, directory):
    async def scenario():
        async with discord_world(settings, engine, clock, with_workflows(directory)) as w:
            it = w.channels["it"]
            await w.sync()
            flow = {c.split()[1] for c in w.budi.available_commands(it) if c.startswith("ticket-flow ")}
            assert flow == {"move", "merge", "tag", "category", "fields", "approve", "reject", "macro"}
            await w.budi.slash(it, "ticket new", team="IT", title="Chairs for the new team")
            await w.budi.slash(it, "ticket new", team="IT", title="Printer jam")
            await w.citra.slash(it, "ticket new", team="IT", title="Printer jam again")
            refused = await w.budi.slash(it, "ticket-flow move", key="IT-1", team="LOG")
            assert private(refused) and "may not" in said(refused)
            w.locales[w.andi.id] = "id"
            moved = await w.andi.slash(it, "ticket-flow move", key="IT-1", team="LOG", reason="logistik")
            assert "Dipindahkan" in said(moved) and w.ticket("IT-1").key == "LOG-1"
            tagged = await w.andi.slash(it, "ticket-flow tag", key="IT-2", tags="+printer")
            assert "IT-2" in said(tagged) and w.ticket("IT-2").tags == {"printer"}
            listed = await w.andi.slash(it, "ticket list", scope="tag", text="printer")
            assert "IT-2" in said(listed) and "IT-3" not in said(listed)
            merged = await w.andi.slash(it, "ticket-flow merge", key="IT-3", into="IT-2")
            assert "IT-2" in said(merged) and w.ticket("IT-3").status.value == "closed"
            hidden = await w.citra.slash(it, "ticket-flow tag", key="IT-2", tags="+mine")
            assert "IT-2" in said(hidden) and w.ticket("IT-2").tags == {"printer"}
    run(scenario)


def test_a_dm_that_is_no_command_asks_the_team(settings, engine, clock, directory):
    async def scenario():
        async with discord_world(settings, engine, clock, directory) as w:
            await w.budi.user.send_dm("Kursi di ruang rapat patah\nkakinya goyang")
            question = [m for m in w.budi.user.dm_channel.history() if m.components][-1]
            assert "team" in question.content.lower()
            picked = await w.budi.user.click(question, label="LOG · Logistik")
            assert "LOG-1" in said(picked)
            made = w.ticket("LOG-1")
            assert made.title == "Kursi di ruang rapat patah" and made.requester == f"discord:{w.budi.id}"
    run(scenario)


def test_files_shared_in_the_ticket_thread_are_kept(settings, engine, clock, directory):
    async def scenario():
        async with discord_world(settings, engine, clock, directory) as w:
            it = w.channels["it"]
            await w.sync()
            await w.budi.slash(it, "ticket new", team="IT", title="Screen flickers")
            await w.deliver()
            thread = w.thread("IT-1")
            await w.budi.send(thread, "here is a photo", attachments=[("screen.png", b"\x89PNG flicker")])
            await w.budi.send(thread, "and the tool", attachments=[("tool.exe", b"MZ")])
            view = w.container.queries.show(Actor(w.uid("andi")), "IT-1")
            assert [(a["name"], a["size"]) for a in view.attachments] == [("screen.png", 12)]
            replies = [m.content for m in thread.history() if m.author.bot]
            assert any("tool.exe" in r for r in replies)
    run(scenario)
