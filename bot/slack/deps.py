"""What every Slack listener needs: the container, who a Slack user is (locale, user
groups, cached), the user's language, and a way to wake the deliverer."""
from __future__ import annotations

import logging
import re
import threading
import time
from typing import Any, Callable

from bot.i18n import normalise_language
from tickets.teams import Actor, Team

log = logging.getLogger(__name__)
MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")
LOCALE_TTL = 3600.0
GROUP_TTL = 300.0


class SlackDeps:
    def __init__(self, container, *, wake: Callable[[], None] | None = None) -> None:
        self.container = container
        self.settings = container.settings
        self.directory = container.directory
        self.service = container.service
        self.engine = container.engine
        self.wake = wake or (lambda: None)
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
        return self.container.runner()

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
