"""What every Discord handler needs: who is acting, in which language, and a way
to run the (blocking) service and queries off the event loop."""
from __future__ import annotations

import asyncio
import functools
import logging
from dataclasses import dataclass, field
from typing import Any, Callable

import discord

from bot.i18n import normalise_language
from bot.discord.people import mention
from bot.render import render_failure
from tickets.teams import Actor, Team

log = logging.getLogger(__name__)


def user_id(user: discord.abc.User | int) -> str:
    return f"discord:{user if isinstance(user, int) else user.id}"


def role_groups(member: Any) -> frozenset[str]:
    roles = getattr(member, "roles", None) or ()
    return frozenset(f"discord-role:{role.id}" for role in roles if not getattr(role, "is_default", lambda: False)())


def server_mfa(interaction: Any) -> bool | None:
    """Discord cannot say whether one person has two-factor; a server whose MFA level is "elevated"
    requires it of everyone holding moderation permissions. True there, False elsewhere, None in DMs."""
    guild = getattr(interaction, "guild", None) if interaction is not None else None
    level = getattr(guild, "mfa_level", None)
    if level is None:
        return None
    return int(getattr(level, "value", level)) >= 1


@dataclass
class DiscordContext:
    container: Any
    deliver_after_change: bool = False
    _kick: asyncio.Task | None = field(default=None, repr=False)
    _runner: Any = field(default=None, repr=False)
    _dirty: bool = field(default=False, repr=False)
    _intake: Any = field(default=None, repr=False)
    bot: Any = field(default=None, repr=False)  # the running bot (set when it starts): names in lists

    @property
    def runner(self):
        if self._runner is None:
            self._runner = self.container.runner()
        return self._runner

    @property
    def settings(self):
        return self.container.settings

    @property
    def directory(self):
        return self.container.directory

    @property
    def refs(self):
        """Discord's platform references (tickets.ports.PlatformRefs)."""
        return self.container.refs("discord")

    @property
    def service(self):
        return self.container.service

    @property
    def clock(self):
        return self.container.clock

    @property
    def inbox(self):
        """The inbound-events port: every interaction and event is stored here before it is acknowledged."""
        return self.container.inbox

    @property
    def intake(self):
        if self._intake is None:
            from bot.discord.durable import DiscordIntake

            self._intake = DiscordIntake(self)
            self.container.worker.register("discord", self._intake.handle)
        return self._intake

    def names(self, guild_id: int | None) -> Callable[[str | None], str]:
        """People as the server shows them (display names), looked up through the running bot; a
        mention where there is no bot (another process) or no such person. Call it off the loop."""
        from bot.discord.people import display_name, mention

        bot = self.bot
        if bot is None:
            return mention

        def lookup(user_id: int):
            guild = bot.get_guild(guild_id) if guild_id else None
            found = (guild.get_member(user_id) if guild is not None else None) or bot.get_user(user_id)
            if found is None:
                found = asyncio.run_coroutine_threadsafe(bot.fetch_user(user_id), bot.loop).result(timeout=10)
            return found
        return lambda user: display_name(lookup, user)

    def work_now(self, key: str) -> None:
        """Work the stored request now (blocking: call in a thread) and send its answer. The pump does the
        same for whatever is left; the inbox's lease makes sure each entry is worked once."""
        self.container.worker.run_once(key=key)
        if "discord" in self.container.notifiers:
            self.container.dispatcher().run_once(platforms=["discord"], dedup_prefix=f"inbox:{key}:")

    # -- people and languages ---------------------------------------------------
    def locale(self, interaction: discord.Interaction | None) -> str | None:
        raw = getattr(getattr(interaction, "locale", None), "value", None) if interaction else None
        lang = normalise_language(raw, "")
        return lang or None

    def actor(self, user: Any, interaction: discord.Interaction | None = None) -> Actor:
        return Actor(user_id(user), role_groups(user), self.locale(interaction), mfa=server_mfa(interaction))

    def lang(self, interaction: discord.Interaction | None = None, team: Team | None = None) -> str:
        """The user's Discord locale, else the team's language, else the default."""
        return self.locale(interaction) or (team.language if team and team.language else None) \
            or self.directory.default_language

    def team_for_channel(self, channel: Any) -> Team | None:
        if channel is None:
            return None
        parent = getattr(channel, "parent_id", None)
        for cid in (getattr(channel, "id", None), parent):
            if cid is not None:
                team = self.directory.team_for_channel("discord", str(cid))
                if team is not None:
                    return team
        return None

    # -- running blocking work --------------------------------------------------
    async def call(self, fn: Callable, /, *args: Any, **kwargs: Any) -> Any:
        """Run a service/query call in a worker thread (the database never blocks the loop)."""
        return await asyncio.to_thread(functools.partial(fn, *args, **kwargs))

    async def attempt(self, lang: str, fn: Callable, /, *args: Any, **kwargs: Any) -> tuple[Any, str | None]:
        """(result, None) or (None, translated refusal)."""
        try:
            return await self.call(fn, *args, **kwargs), None
        except Exception as exc:  # the one mapping from errors to replies
            return None, render_failure(exc, lang, mention)

    def changed(self) -> None:
        """A ticket changed: deliver its Discord messages now (the scheduler would, a moment later)."""
        if not self.deliver_after_change or "discord" not in self.container.notifiers:
            return
        self._dirty = True
        if self._kick is None or self._kick.done():
            self._kick = asyncio.get_running_loop().create_task(self._deliver())

    async def _deliver(self) -> None:
        def drain() -> None:
            dispatcher = self.container.dispatcher()
            while dispatcher.run_once(platforms=["discord"]):
                pass

        while self._dirty:
            self._dirty = False
            try:
                await asyncio.to_thread(drain)
            except Exception:  # the scheduler delivers whatever is left
                log.exception("discord: delivering after a change failed")


async def answer(interaction: discord.Interaction, text: str, *, files: list[tuple[str, bytes]] = ()) -> None:
    """Follow up a deferred interaction (or answer it, if nothing was sent yet), privately."""
    import io

    attachments = [discord.File(io.BytesIO(data), filename=name) for name, data in files]
    text = text[:2000] if text else "\u200b"
    if interaction.response.is_done():
        await interaction.followup.send(text, ephemeral=True, files=attachments,
                                        allowed_mentions=discord.AllowedMentions.none())
    else:
        await interaction.response.send_message(text, ephemeral=True, files=attachments,
                                                allowed_mentions=discord.AllowedMentions.none())


def context_of(interaction: discord.Interaction) -> DiscordContext:
    return interaction.client.tiket  # type: ignore[attr-defined]
