"""/ticket on Discord: syncing, every subcommand, the form, autocomplete, locale `id`."""
from __future__ import annotations

from bot.commands import CommandRunner, Reply
from tests.adapter.discord.harness import discord_world, run
from tests.adapter.discord.helpers import always_deferred, private, said

SUBCOMMANDS = {"new", "list", "show", "claim", "unclaim", "assign", "priority", "due", "wait", "resolve", "close",
               "reopen", "cancel", "comment", "note", "rate", "watch", "history", "help", "snooze", "stats", "export"}


def test_commands_are_refused_until_synced_then_every_subcommand_works(settings, engine, clock, directory):
    async def scenario():
        async with discord_world(settings, engine, clock, directory) as w:
            it = w.channels["it"]
            assert w.budi.available_commands(it) == ()
            await w.sync()
            assert {c.split()[1] for c in w.budi.available_commands(it) if c.startswith("ticket ")} == SUBCOMMANDS
            assert "Create ticket" in {c.name for c in await w.bot.tree.fetch_commands()}

            r = await w.budi.slash(it, "ticket new", team="IT", title="Printer jammed", description="2nd floor")
            assert r.acknowledged and private(r) and "IT-1" in said(r)
            steps = [
                (w.andi, "ticket claim", {"key": "it-1"}, "You claimed IT-1"),
                (w.andi, "ticket priority", {"key": "IT-1", "level": "high"}, "IT-1"),
                (w.andi, "ticket due", {"key": "IT-1", "when": "2d"}, "IT-1"),
                (w.andi, "ticket wait", {"key": "IT-1", "reason": "which tray?"}, "IT-1"),
                (w.budi, "ticket comment", {"key": "IT-1", "text": "tray 2"}, "IT-1"),
                (w.andi, "ticket note", {"key": "IT-1", "text": "needs a new roller"}, "IT-1"),
                (w.andi, "ticket snooze", {"key": "IT-1", "duration": "1h", "reason": "parts"}, "IT-1"),
                (w.andi, "ticket unclaim", {"key": "IT-1"}, "IT-1"),
                (w.sari, "ticket assign", {"key": "IT-1", "user": w.rina}, "IT-1"),
                (w.rina, "ticket resolve", {"key": "IT-1", "note": "replaced roller"}, "IT-1"),
                (w.budi, "ticket rate", {"key": "IT-1", "score": 5, "comment": "fast"}, "IT-1"),
                (w.budi, "ticket reopen", {"key": "IT-1", "reason": "jammed again"}, "IT-1"),
                (w.rina, "ticket close", {"key": "IT-1", "note": "done"}, "IT-1"),
                (w.citra, "ticket watch", {"key": "IT-1"}, "not found"),
                (w.andi, "ticket watch", {"key": "IT-1"}, "IT-1"),
                (w.budi, "ticket show", {"key": "IT-1"}, "Printer jammed"),
                (w.andi, "ticket history", {"key": "IT-1"}, "claim"),
                (w.budi, "ticket list", {}, ""),
                (w.andi, "ticket list", {"scope": "team", "team": "IT"}, ""),
                (w.andi, "ticket list", {"status": "closed"}, "IT-1"),
                (w.budi, "ticket help", {}, "/ticket"),
                (w.budi, "ticket help", {"command": "due"}, "/ticket due"),
            ]
            for who, name, options, expected in steps:
                result = await who.slash(it, name, **options)
                text = said(result)
                assert result.acknowledged and private(result), (name, text)
                assert expected.lower() in text.lower(), (name, options, text)
            ticket = w.ticket("IT-1")
            assert ticket.status.value == "closed" and ticket.assignee == w.uid("rina")
            assert ticket.priority.value == "high" and ticket.due_at is not None
            assert w.uid("andi") in ticket.watchers and w.uid("citra") not in ticket.watchers
            kinds = [(c.kind, c.internal) for c in w.comments("IT-1")]
            assert ("note", True) in kinds and ("comment", False) in kinds and ("resolution", False) in kinds

            r = await w.budi.slash(it, "ticket new", team="IT", title="Wrong order")
            r = await w.budi.slash(it, "ticket cancel", key="IT-2")
            assert "IT-2" in said(r) and w.ticket("IT-2").status.value == "cancelled"
            r = await w.budi.slash(it, "ticket due", key="IT-1", when="someday")
            assert "someday" in said(r)  # a clear refusal naming the bad input, no stack trace
            for name in ("stats", "export"):
                r = await w.andi.slash(it, f"ticket {name}", team="IT", period="7d")
                assert r.acknowledged and said(r)
                r = await w.andi.slash(it, f"ticket {name}", period="soon")
                assert "/ticket" in said(r)  # usage
            assert always_deferred(w)
    run(scenario)


def test_report_attachments_are_sent_as_files(settings, engine, clock, directory):
    async def scenario():
        async with discord_world(settings, engine, clock, directory) as w:
            await w.sync()
            c = w.container

            def stats(actor, cmd, lang):
                return Reply(f"stats {cmd.team} {cmd.scope}", command=cmd, attachments=[("stats.csv", b"a,b\n1,2\n")])

            w.bot.tiket._runner = CommandRunner(c.service, c.queries, c.directory, c.clock, extra={"stats": stats})
            r = await w.andi.slash(w.channels["it"], "ticket stats", team="IT", period="2026-11")
            messages = [r.response, *r.followups]
            files = [a for m in messages if m is not None for a in m.attachments]
            assert "stats IT 2026-11" in said(r) and [f.filename for f in files] == ["stats.csv"]
    run(scenario)


def test_new_without_title_opens_the_form(settings, engine, clock, directory):
    async def scenario():
        async with discord_world(settings, engine, clock, directory) as w:
            await w.sync()
            shown = await w.budi.slash(w.channels["it"], "ticket new")
            assert shown.modal is not None and shown.modal["custom_id"] == "tiket:new"
            done = await w.budi.submit_modal(shown, {"team": "IT", "title": "VPN down", "description": "since 8am"})
            assert "IT-1" in said(done) and private(done)
            ticket = w.ticket("IT-1")
            assert ticket.title == "VPN down" and ticket.description == "since 8am"
            assert ticket.requester == w.uid("budi")
            shown = await w.budi.slash(w.channels["general"], "ticket new")
            bad = await w.budi.submit_modal(shown, {"team": "XX", "title": "Hi"})
            assert "XX" in said(bad) and private(bad)  # unknown team: a translated refusal naming it
    run(scenario)


def test_key_autocomplete_offers_only_visible_tickets(settings, engine, clock, directory):
    async def scenario():
        async with discord_world(settings, engine, clock, directory) as w:
            await w.sync()
            it, hr = w.channels["it"], w.channels["hr"]
            await w.budi.slash(it, "ticket new", team="IT", title="Mouse broken")
            await w.budi.slash(hr, "ticket new", team="HR", title="Salary slip")
            await w.citra.slash(it, "ticket new", team="IT", title="Keyboard")

            def keys(choices):
                return {c["value"] for c in choices}

            assert keys(await w.budi.autocomplete(it, "ticket claim", "key", "")) == {"IT-1", "HR-1"}
            assert keys(await w.andi.autocomplete(it, "ticket claim", "key", "")) == {"IT-1", "IT-2"}
            assert keys(await w.dewi.autocomplete(hr, "ticket show", "key", "hr")) == {"HR-1"}
            assert keys(await w.tono.autocomplete(it, "ticket show", "key", "key")) == {"IT-2"}  # role member
            assert keys(await w.joko.autocomplete(it, "ticket show", "key", "")) == set()
    run(scenario)


def test_replies_follow_the_discord_locale(settings, engine, clock, directory):
    async def scenario():
        async with discord_world(settings, engine, clock, directory) as w:
            await w.sync()
            it = w.channels["it"]
            w.locales[w.budi.id] = "id"
            r = await w.budi.slash(it, "ticket new", team="IT", title="Layar mati")
            assert "IT-1" in said(r) and "Created" not in said(r)
            r = await w.budi.slash(it, "ticket claim", key="IT-1")
            en = await w.citra.slash(it, "ticket claim", key="IT-1")
            assert said(r) != said(en) and "IT-1" in said(r)
            w.locales[w.andi.id] = "id"
            r = await w.andi.slash(it, "ticket claim", key="IT-1")
            assert "IT-1" in said(r) and "You claimed" not in said(r)
            await w.deliver()
            dm = w.budi.user.dm_channel.last_message
            assert dm is not None and "IT-1" in dm.content  # Budi's DM in his own language
    run(scenario)
