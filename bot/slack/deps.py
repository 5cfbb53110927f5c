"""What every Slack listener needs, and nothing more: the service, the queries, the
command runner, the directory, the clock, two ports (Slack's platform references; the
inbox) and a Web API client per workspace; plus who a Slack user is (locale, user
groups, cached) and the user's language. Built by bot.slack.runtime from the container."""
from __future__ import annotations

import logging
import re
import threading
import time
from typing import Any, Callable

from bot.i18n import normalise_language
from tickets.ports import Clock, Inbox, PlatformRefs
from tickets.queries import TicketQueries
from tickets.service import TicketService
from tickets.teams import Actor, Directory, Team

log = logging.getLogger(__name__)
MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")
LOCALE_TTL = 3600.0
GROUP_TTL = 300.0


class SlackDeps:
    def __init__(self, *, settings, directory: Directory, service: TicketService, queries: TicketQueries,
                 runner: Callable[[], Any], clock: Clock, refs: PlatformRefs, inbox: Inbox,
                 client_for: Callable[[str | None], Any], wake: Callable[[], None] | None = None) -> None:
        self.settings = settings
        self.directory = directory
        self.service = service
        self.queries = queries
        self.clock = clock
        self.refs = refs  # Slack's platform references (card, thread, origin, workspace, echo)
        self.inbox = inbox  # inbound requests, stored before they are acknowledged
        self.client_for = client_for  # workspace -> Web API client (the inbox worker has no Bolt client)
        self.wake = wake or (lambda: None)
        self._make_runner = runner
        self._runner = None
        self._lock = threading.Lock()
        self._locales: dict[str, tuple[float, str | None]] = {}
        self._mfa: dict[str, bool | None] = {}
        self._groups: dict[str, tuple[float, frozenset[str]]] = {}
        self.known_groups = sorted({m.split(":", 1)[1] for team in self.directory.teams.values()
                                    for m in (*team.agents, *team.supervisors) if m.startswith("slack-group:")}
                                   | {m.split(":", 1)[1] for m in self.directory.admins
                                      if m.startswith("slack-group:")})

    @property
    def runner(self):
        if self._runner is None:
            self._runner = self._make_runner()
        return self._runner

    # -- who is this -----------------------------------------------------------------
    def locale(self, client, user_id: str) -> str | None:
        now = time.monotonic()
        with self._lock:
            hit = self._locales.get(user_id)
        if hit and now - hit[0] < LOCALE_TTL:
            return hit[1]
        locale = None
        try:
            user = client.users_info(user=user_id, include_locale=True)["user"]
            locale = user.get("locale")
            # has_2fa is shown only to tokens allowed to see it (admins'); absent means "cannot tell"
            with self._lock:
                self._mfa[user_id] = bool(user["has_2fa"]) if "has_2fa" in user else None
        except Exception as exc:  # missing scope, deleted user: fall back to team/default language
            log.info("users.info %s: %s", user_id, exc)
        with self._lock:
            self._locales[user_id] = (now, locale)
        return locale

    def mfa(self, user_id: str) -> bool | None:
        """Two-factor as users.info showed it (read with the locale, cached alike)."""
        with self._lock:
            return self._mfa.get(user_id)

    def group_members(self, client, group: str) -> frozenset[str]:
        now = time.monotonic()
        with self._lock:
            hit = self._groups.get(group)
        if hit and now - hit[0] < GROUP_TTL:
            return hit[1]
        members: frozenset[str] = frozenset()
        try:
            members = frozenset(client.usergroups_users_list(usergroup=group).get("users") or ())
        except Exception as exc:
            log.warning("usergroups.users.list %s: %s", group, exc)
            if hit:
                return hit[1]
        with self._lock:
            self._groups[group] = (now, members)
        return members

    def actor(self, client, user_id: str) -> Actor:
        groups = frozenset(f"slack-group:{g}" for g in self.known_groups if user_id in self.group_members(client, g))
        return Actor(f"slack:{user_id}", groups, self.locale(client, user_id), mfa=self.mfa(user_id))

    def lang(self, actor: Actor | None, team: Team | str | None = None) -> str:
        """The user's Slack locale, else the team's language, else the default."""
        default = self.directory.default_language
        if actor is not None and actor.locale:
            return normalise_language(actor.locale, default)
        if isinstance(team, str):
            team = self.directory.teams.get(team.split("-")[0].upper())
        if team is not None and team.language:
            return normalise_language(team.language, default)
        return default

    @staticmethod
    def resolve_user(text: str) -> str:
        """``<@U123|budi>`` or ``<@U123>`` -> ``slack:U123``; anything else as typed."""
        match = MENTION.fullmatch(text.strip())
        if match:
            return f"slack:{match.group(1)}"
        return text.strip()

    @staticmethod
    def user_id(body: dict[str, Any]) -> str:
        user = body.get("user") or {}
        return body.get("user_id") or (user.get("id") if isinstance(user, dict) else user)

    @staticmethod
    def workspace(body: dict[str, Any]) -> str | None:
        team = body.get("team")
        return body.get("team_id") or (team.get("id") if isinstance(team, dict) else team)
