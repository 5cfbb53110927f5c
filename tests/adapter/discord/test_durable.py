"""Every Discord interaction and event is stored in the inbox before it is acknowledged: when the
process dies right after the acknowledgement, the next one does the work and answers (the
interaction's follow-up while its token is valid, 15 minutes; a DM after that)."""
from __future__ import annotations

from tests.adapter.discord.harness import discord_world, run
from tests.adapter.discord.helpers import said
from tests.adapter.discord.test_cards import open_ticket


def dies_after_the_ack(w) -> None:
    """The bot acknowledges, then its process is gone before working the request."""
    w.bot.tiket.work_now = lambda key: None


def test_a_claim_acknowledged_by_a_dying_process_is_done_and_answered_by_the_next(settings, engine, clock,
                                                                                  directory):
    async def scenario():
        async with discord_world(settings, engine, clock, directory) as w:
            await open_ticket(w)
            dies_after_the_ack(w)
            claimed = await w.andi.click(w.card("IT-1"), label="Claim")
            assert claimed.acknowledged and "You claimed" not in said(claimed)
            assert w.ticket("IT-1").assignee is None
            assert w.container.inbox.counts("discord") == {"done": 1, "pending": 1}
            await w.env.restart_bot(w.new_bot())  # the next process: its pump works what is stored
            assert w.container.worker.drain() == 1
            await w.deliver()
            assert w.ticket("IT-1").assignee == w.uid("andi")
            assert "You claimed IT-1" in said(claimed)  # the follow-up of the original interaction
            assert w.container.worker.drain() == 0 and w.container.inbox.counts("discord") == {"done": 2}
    run(scenario)


def test_after_the_follow_up_window_the_answer_is_a_dm(settings, engine, clock, directory):
    async def scenario():
        async with discord_world(settings, engine, clock, directory) as w:
            await open_ticket(w)
            dies_after_the_ack(w)
            claimed = await w.andi.click(w.card("IT-1"), label="Claim")
            clock.advance(minutes=16)  # Discord's interaction token is no longer valid
            w.container.worker.drain()
            await w.deliver()
            assert w.ticket("IT-1").assignee == w.uid("andi") and "You claimed" not in said(claimed)
            texts = [m.content for m in w.andi.user.dm_channel.history()]
            assert any("You claimed IT-1" in text for text in texts), texts
    run(scenario)


def test_thread_messages_and_reactions_are_stored_once_by_discord_id(settings, engine, clock, directory):
    async def scenario():
        async with discord_world(settings, engine, clock, directory) as w:
            message = await w.budi.send(w.channels["it"], "VPN drops every hour\nsince Monday")
            await w.budi.react(message, "🎫")
            await w.budi.react(message, "🎫")  # the same person again: the same stored request
            assert w.ticket("IT-1").title == "VPN drops every hour"
            keys = [row.key for row in w.container.inbox.rows(platform="discord")]
            assert keys == [f"discord:reaction:{message.id}:{w.budi.id}"]
    run(scenario)
