"""Two-factor for confidential work (issue 10): a team with `require_2fa = true` takes staff actions only from
people whose platform confirms two-factor authentication; everyone else gets a refusal saying what to enable."""
from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import pytest

from config.teams import parse_teams
from tickets.errors import PermissionDenied
from tickets.teams import Actor

BUDI = Actor("console:budi")


@pytest.fixture
def strict(container):
    """IT requires two-factor for its staff."""
    container.directory.teams["IT"] = replace(container.directory.teams["IT"], require_2fa=True)
    container.service.open(BUDI, "IT", "printer jammed")
    return container


@pytest.mark.parametrize("actor, words", [
    (Actor("console:andi"), "cannot confirm"),
    (Actor("slack:UANDI", mfa=None), "Slack"),
    (Actor("slack:UANDI", mfa=False), "two-factor"),
    (Actor("discord:201", mfa=False), "Require 2FA for moderation"),
])
def test_staff_without_confirmed_two_factor_are_told_what_to_enable(strict, actor, words):
    with pytest.raises(PermissionDenied) as err:
        strict.service.claim(actor, "IT-1")
    assert err.value.key.startswith("mfa_required")
    reply = strict.runner().run(actor, "claim IT-1")
    assert not reply.ok and words in reply.text, reply.text
    assert "autentikasi dua faktor" in strict.runner().run(actor, "claim IT-1", lang="id").text


def test_confirmed_two_factor_lets_staff_work(strict):
    assert strict.service.claim(Actor("slack:UANDI", mfa=True), "IT-1").assignee == "slack:UANDI"
    assert strict.runner().run(Actor("discord:203", mfa=True), "priority IT-1 high").ok


def test_the_rule_holds_for_views_lists_and_reports_too(strict):
    sari_plain, sari_2fa = Actor("slack:USARI", mfa=False), Actor("slack:USARI", mfa=True)
    assert strict.queries.list(sari_plain, "all") == []  # staff view of the team needs two-factor
    assert [t.key for t in strict.queries.list(sari_2fa, "all")] == ["IT-1"]
    with pytest.raises(PermissionDenied, match="mfa_required"):
        strict.queries.show(sari_plain, "IT-1")
    assert "two-factor" in strict.runner().run(sari_plain, "stats IT").text
    assert strict.runner().run(sari_2fa, "stats IT").ok


def test_requesters_and_other_teams_need_nothing(strict):
    runner = strict.runner()
    assert runner.run(BUDI, "comment IT-1 any news?").ok  # the requester's own ticket
    assert runner.run(BUDI, "new IT another one").ok
    strict.service.open(BUDI, "LOG", "paper")
    assert strict.service.claim(Actor("console:joko"), "LOG-1").assignee == "console:joko"  # LOG: no rule


def test_teams_file_takes_require_2fa():
    data = {"teams": [{"key": "HR", "name": "HR", "confidential": True, "require_2fa": True,
                       "calendar": {"hours": "24/7", "holidays": None}}]}
    assert parse_teams(data, "teams.toml").teams["HR"].require_2fa is True


def test_discord_actor_carries_the_servers_mfa_level():
    from bot.discord.context import DiscordContext

    ctx = DiscordContext(container=SimpleNamespace())
    member = SimpleNamespace(id=201, roles=[])
    strict_guild = SimpleNamespace(locale=None, guild=SimpleNamespace(mfa_level=SimpleNamespace(value=1)))
    lax_guild = SimpleNamespace(locale=None, guild=SimpleNamespace(mfa_level=SimpleNamespace(value=0)))
    assert ctx.actor(member, strict_guild).mfa is True
    assert ctx.actor(member, lax_guild).mfa is False
    assert ctx.actor(member, SimpleNamespace(locale=None, guild=None)).mfa is None
    assert ctx.actor(member).mfa is None
