"""Discord follows the command table: Indonesian names, the unknown-command answer for
a stale subcommand, and people shown as mentions in messages, display names in lists."""
from __future__ import annotations

from tests.adapter.discord.harness import discord_world, run
from tests.adapter.discord.helpers import private, said


def test_subcommands_are_localised_for_indonesian(settings, engine, clock, directory):
    async def scenario():
        async with discord_world(settings, engine, clock, directory) as w:
            await w.sync()
            ticket = next(c for c in await w.bot.tree.fetch_commands() if c.name == "ticket")
            assert ticket.name_localizations.get("id") or ticket.to_dict().get("name_localizations", {}).get("id")
            words = {o.name: (o.to_dict().get("name_localizations") or {}).get("id") for o in ticket.options}
            assert words["claim"] == "ambil" and words["due"] == "tenggat" and words["help"] == "bantuan"
            described = {o.name: (o.to_dict().get("description_localizations") or {}).get("id")
                         for o in ticket.options}
            assert described["note"] == "Menambah catatan internal: hanya tim yang melihatnya"
    run(scenario)


def test_a_stale_subcommand_gets_the_unknown_command_answer(settings, engine, clock, directory):
    async def scenario():
        async with discord_world(settings, engine, clock, directory) as w:
            await w.sync()
            w.bot.tree.get_command("ticket").remove_command("watch")  # Discord still lists it
            r = await w.budi.slash(w.channels["it"], "ticket watch", key="IT-1")
            assert private(r) and "Unknown command" in said(r) and "went wrong" not in said(r)
            assert [type(e).__name__ for e in w.env.errors] == ["CommandNotFound"]  # SimCord saw it; handled
    run(scenario)


def test_people_are_mentions_in_messages_and_names_in_lists(settings, engine, clock, directory):
    async def scenario():
        async with discord_world(settings, engine, clock, directory) as w:
            await w.sync()
            it = w.channels["it"]
            await w.budi.slash(it, "ticket new", team="IT", title="Printer")
            await w.andi.slash(it, "ticket claim", key="IT-1")
            taken = said(await w.rina.slash(it, "ticket claim", key="IT-1"))
            assert f"<@{w.andi.id}>" in taken and f" {w.andi.id}" not in taken.replace(f"<@{w.andi.id}>", "")
            listed = said(await w.andi.slash(it, "ticket list", scope="team", team="IT"))
            assert "andi" in listed and str(w.andi.id) not in listed
            await w.deliver()
            card = w.card("IT-1")
            fields = {f.name: f.value for f in card.embeds[0].fields}
            assert fields["Assignee"] == "andi" and fields["Requester"] == "budi"
    run(scenario)
