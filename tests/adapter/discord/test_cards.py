"""The ticket card: persistent buttons (also after a restart), races, refusals, re-posting."""
from __future__ import annotations

from tests.adapter.discord.harness import discord_world, run
from tests.adapter.discord.helpers import always_deferred, private, said


async def open_ticket(w, title="Laptop won't start", team="IT"):
    await w.sync()
    result = await w.budi.slash(w.channels[team.lower()], "ticket new", team=team, title=title)
    await w.deliver()
    return result


def test_card_buttons_work_before_and_after_a_restart(settings, engine, clock, directory):
    async def scenario():
        async with discord_world(settings, engine, clock, directory) as w:
            await open_ticket(w)
            card = w.card("IT-1")
            embed = card.embeds[0]
            assert embed.title == "IT-1 · Laptop won't start"
            assert {f.name: f.value for f in embed.fields}["Status"] == "new"
            claimed = await w.andi.click(card, label="Claim")
            assert "You claimed IT-1" in said(claimed) and private(claimed)
            await w.deliver()
            card = w.card("IT-1")
            fields = {f.name: f.value for f in card.embeds[0].fields}
            assert fields["Assignee"] == "andi" and fields["Status"] == "in progress"  # a name, not a number

            await w.env.restart_bot(w.new_bot())  # same virtual Discord, a fresh process

            chosen = await w.andi.select(card, ["urgent"], custom_id="tiket:priority:IT-1")
            assert "IT-1" in said(chosen) and w.ticket("IT-1").priority.value == "urgent"
            resolved = await w.andi.click(card, label="Resolve")
            assert "IT-1" in said(resolved) and w.ticket("IT-1").status.value == "resolved"
            await w.deliver()
            card = w.card("IT-1")
            assert [c.custom_id for row in card.components for c in row.children] == ["tiket:close:IT-1"]
            closed = await w.budi.click(card, label="Close")
            assert w.ticket("IT-1").status.value == "closed" and "IT-1" in said(closed)
            await w.deliver()
            assert w.card("IT-1").components == []
            assert always_deferred(w)
    run(scenario)


def test_a_supervisor_assigns_with_the_user_select(settings, engine, clock, directory):
    async def scenario():
        async with discord_world(settings, engine, clock, directory) as w:
            await open_ticket(w)
            card = w.card("IT-1")
            refused = await w.andi.select(card, [w.rina], custom_id="tiket:assign:IT-1")
            assert w.ticket("IT-1").assignee is None and "IT-1" in said(refused)
            done = await w.sari.select(card, [w.rina], custom_id="tiket:assign:IT-1")
            assert w.ticket("IT-1").assignee == w.uid("rina") and "IT-1" in said(done)
            not_agent = await w.sari.select(card, [w.citra], custom_id="tiket:assign:IT-1")
            assert w.ticket("IT-1").assignee == w.uid("rina") and said(not_agent)
    run(scenario)


def test_two_agents_claiming_at_once_get_one_winner(settings, engine, clock, directory):
    async def scenario():
        async with discord_world(settings, engine, clock, directory) as w:
            await open_ticket(w)
            card = w.card("IT-1")
            env = w.env
            # SimCord runs one actor operation at a time; to have both clicks in flight
            # together the first click skips its settling, the second settles both.
            settle = env._settle_internal

            async def no_settle(*args, **kwargs):
                return None

            env._settle_internal = no_settle
            try:
                first = await w.andi.click(card, label="Claim")
            finally:
                env._settle_internal = settle
            second = await w.tono.click(card, label="Claim")  # an agent by role
            answers = [said(first), said(second)]
            winners = [a for a in answers if "You claimed IT-1" in a]
            assert len(winners) == 1, answers
            loser = answers[1 - answers.index(winners[0])]
            assert "IT-1" in loser and "claimed" in loser.lower()
            assignee = w.ticket("IT-1").assignee
            assert assignee in (w.uid("andi"), w.uid("tono"))
            assert (assignee == w.uid("andi")) == ("You claimed" in said(first))
    run(scenario)


def test_someone_not_in_the_team_is_refused_privately(settings, engine, clock, directory):
    async def scenario():
        async with discord_world(settings, engine, clock, directory) as w:
            await open_ticket(w)
            card = w.card("IT-1")
            refused = await w.budi.click(card, label="Claim")  # the requester is no agent
            assert private(refused) and said(refused) == "Only IT agents can claim IT-1."
            w.locales[w.budi.id] = "id"
            refused_id = await w.budi.click(card, label="Claim")
            assert private(refused_id) and said(refused_id) == "Hanya agen IT yang dapat mengambil IT-1."
            outsider = await w.citra.click(card, label="Claim")  # the card is on show: say why, not "not found"
            assert private(outsider) and said(outsider) == "Only IT agents can claim IT-1."
            hidden = await w.citra.click(card, label="Resolve")  # anything else: not told the ticket exists
            assert private(hidden) and said(hidden) == "Ticket IT-1 was not found."
            assert w.ticket("IT-1").assignee is None
    run(scenario)


def test_a_deleted_card_or_thread_is_posted_again(settings, engine, clock, directory):
    async def scenario():
        async with discord_world(settings, engine, clock, directory) as w:
            await open_ticket(w)
            old_card, old_thread = w.card("IT-1"), w.refs("IT-1")["thread"]
            await w.bot.http.delete_message(old_card.channel.id, old_card.id)
            await w.bot.http.delete_channel(int(old_thread))
            await w.env.settle()
            r = await w.andi.slash(w.channels["it"], "ticket claim", key="IT-1")  # still workable
            assert "You claimed IT-1" in said(r)
            await w.deliver()
            card = w.card("IT-1")
            assert card.id != old_card.id and "andi" in str(card.embeds[0].fields)
            thread = w.thread("IT-1")
            assert str(thread.id) != old_thread and any("IT-1" in m.content for m in thread.history())
    run(scenario)


def test_rate_limits_delay_but_lose_nothing(settings, engine, clock, directory):
    async def scenario():
        async with discord_world(settings, engine, clock, directory) as w:
            await w.sync()
            await w.budi.slash(w.channels["it"], "ticket new", team="IT", title="Slow down")
            w.env.inject_error("POST", "/channels/*/messages", status=429, code=0, message="You are being rate limited.")
            assert await w.deliver() == 0
            assert w.refs("IT-1") == {}
            pending = [r for r in w.container.outbox.rows("pending", 10)]
            assert pending and all(r.attempts == 0 for r in pending)  # not counted as a failure
            clock.advance(seconds=10)
            assert await w.deliver() == 2
            assert "card" in w.refs("IT-1") and w.container.outbox.rows("pending", 10) == []
    run(scenario)


def test_the_bot_runs_sharded(settings, engine, clock, directory):
    from bot.discord import create_bot
    from discord.ext import commands

    settings = settings.model_copy(update={"discord": settings.discord.model_copy(update={"shard_count": 2})})
    bot = create_bot(settings, object())
    assert isinstance(bot, commands.AutoShardedBot) and bot.shard_count == 2

    async def scenario():
        async with discord_world(settings, engine, clock, directory) as w:
            assert isinstance(w.bot, commands.AutoShardedBot) and sorted(w.bot.shards) == [0, 1]
            await open_ticket(w)
            assert "card" in w.refs("IT-1")
    run(scenario)


def test_the_gateway_process_delivers_right_after_a_change(settings, engine, clock, directory):
    from bot.discord import create_bot

    async def scenario():
        async with discord_world(settings, engine, clock, directory) as w:
            await w.env.restart_bot(create_bot(settings, w.container, deliver_after_change=True))
            await w.sync()
            await w.budi.slash(w.channels["it"], "ticket new", team="IT", title="No drain needed")
            assert "card" in w.refs("IT-1") and "thread" in w.refs("IT-1")  # no explicit drain
            card = w.card("IT-1")
            await w.andi.click(card, label="Claim")
            fields = {f.name: f.value for f in w.card("IT-1").embeds[0].fields}
            assert fields["Assignee"] == "andi"
            assert w.container.outbox.rows("pending", 10) == []
    run(scenario)
