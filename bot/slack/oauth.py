"""Multi-workspace installs: OAuth settings over Tiket's database, and the bot token
for a workspace (the notifier asks which token to post with)."""
from __future__ import annotations

from typing import Callable

from sqlalchemy import select

BOT_SCOPES = ("app_mentions:read", "channels:history", "channels:read", "chat:write", "commands",
              "files:read", "files:write", "groups:history", "groups:read", "im:history", "im:write", "reactions:read",
              "usergroups:read", "users:read")


def oauth_enabled(settings) -> bool:
    slack = settings.slack
    return bool(slack.client_id and slack.client_secret)


def oauth_settings(settings, engine):
    from slack_bolt.oauth.oauth_settings import OAuthSettings

    from storage.slack_install import installation_store, state_store

    slack = settings.slack
    return OAuthSettings(client_id=slack.client_id, client_secret=slack.client_secret.get_secret_value(),
                         scopes=list(BOT_SCOPES), install_path="/slack/install",
                         redirect_uri_path="/slack/oauth_redirect",
                         installation_store=installation_store(slack.client_id, engine),
                         state_store=state_store(engine))


def token_lookup(settings, engine) -> Callable[[str | None], str | None]:
    """workspace (team id) -> bot token: the configured one, else the installation's."""
    slack = settings.slack
    if slack.bot_token is not None and not oauth_enabled(settings):
        token = slack.bot_token.get_secret_value()
        return lambda workspace: token
    from storage.slack_install import installation_store

    store = installation_store(slack.client_id or "", engine)

    def lookup(workspace: str | None) -> str | None:
        if workspace:
            bot = store.find_bot(enterprise_id=None, team_id=workspace)
            if bot is not None:
                return bot.bot_token
        with engine.connect() as conn:  # one workspace installed: that one
            c = store.bots.c
            return conn.execute(select(c.bot_token).where(c.client_id == store.client_id)
                                .order_by(c.installed_at.desc()).limit(1)).scalar()
    return lookup
