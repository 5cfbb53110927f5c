"""A chat message becomes a ticket: 🎫 reaction or the "Create ticket" message menu, once."""
from __future__ import annotations

from tests.adapter.discord.harness import discord_world, run
from tests.adapter.discord.helpers import always_deferred, private, said


def count(w) -> int:
    with w.container.uow() as uow:
        return len(uow.tickets.search(limit=100))


def test_a_ticket_reaction_opens_one_ticket_for_the_author(settings, engine, clock, directory):
    async def scenario():
        async with discord_world(settings, engine, clock, directory) as w:
            it = w.channels["it"]
            message = await w.citra.send(it, "Wifi keeps dropping\nin meeting room 3 since Monday")
            await w.andi.react(message, "👍")
            assert count(w) == 0  # only the ticket emoji counts
            await w.andi.react(message, "🎫")
            assert count(w) == 1
            ticket = w.ticket("IT-1")
            assert ticket.title == "Wifi keeps dropping" and "meeting room 3" in ticket.description
            assert ticket.requester == w.uid("citra") and ticket.reporter == w.uid("andi")
            assert ticket.source == "discord" and ticket.source_ref.endswith(f"{it.id}:{message.id}")
            await w.budi.react(message, "🎫")  # a second reaction makes no second ticket
            assert count(w) == 1
            await w.deliver()
            replies = [m for m in it.history() if m.reference and m.reference.message_id == message.id]
            assert len(replies) == 1 and "IT-1" in replies[0].content  # the origin hears back, once
            assert w.card("IT-1").embeds[0].title.startswith("IT-1")
    run(scenario)


def test_the_message_menu_creates_a_ticket_once(settings, engine, clock, directory):
    async def scenario():
        async with discord_world(settings, engine, clock, directory) as w:
            await w.sync()
            it = w.channels["it"]
            message = await w.citra.send(it, "Need a new monitor cable")
            first = await w.andi.context_menu(it, "Create ticket", message)
            assert "IT-1" in said(first) and private(first)
            second = await w.rina.context_menu(it, "Create ticket", message)
            assert "IT-1" in said(second) and said(second) != said(first)  # "already a ticket"
            await w.budi.react(message, "🎫")  # a reaction on the same message joins the same ticket
            assert count(w) == 1
            ticket = w.ticket("IT-1")
            assert ticket.requester == w.uid("citra") and ticket.reporter == w.uid("andi")
            assert always_deferred(w)
    run(scenario)


def test_intake_in_a_channel_of_no_team(settings, engine, clock, directory):
    async def scenario():
        async with discord_world(settings, engine, clock, directory) as w:
            await w.sync()
            general = w.channels["general"]
            message = await w.citra.send(general, "Who can fix the coffee machine?")
            result = await w.citra.context_menu(general, "Create ticket", message)
            assert "/ticket new" in said(result) and count(w) == 0
            await w.citra.react(message, "🎫")
            assert count(w) == 0
            # an agent of exactly one team files it for that team
            result = await w.joko.context_menu(general, "Create ticket", message)
            assert "LOG-1" in said(result)
    run(scenario)
